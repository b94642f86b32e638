"""A one-hidden-layer ReLU network through given points (the shallow construction).

On knots t₀ < t₁ < … < t_N with values v_i and segment slopes s_i,
``f(x) = v₀ + Σ_{i<N} (s_i − s_{i−1}) relu(x − t_i)`` (with s₋₁ = 0) is the
piecewise-linear interpolant on [t₀, t_N]: N units for N pieces. Conversely a
one-hidden-layer ReLU net with N units on the line bends at most N times, so
it has at most N + 1 pieces.
"""
import numpy as np

from expressivity.nn import MLP


def relu_interpolant(knots, values, dtype=np.float64):
    """MLP sizes (1, N, 1), relu then identity, that interpolates (knots (N+1,), values (N+1,))."""
    t = np.asarray(knots, dtype)
    v = np.asarray(values, dtype)
    if t.ndim != 1 or t.shape != v.shape or len(t) < 2 or not (np.diff(t) > 0).all():
        raise ValueError("knots and values must be 1-D, of equal length >= 2, knots strictly increasing")
    slopes = np.diff(v) / np.diff(t)                          # (N,)
    kinks = np.diff(np.concatenate([[0.0], slopes]))          # s_i − s_{i−1}
    N = len(slopes)
    W1 = np.ones((1, 1, N), dtype)
    b1 = -t[None, :-1]
    W2 = kinks[None, :, None]
    b2 = np.full((1, 1), v[0], dtype)
    return MLP([W1, W2], [b1, b2], ["relu", "identity"])


def interpolant_error(fn, low, high, units, per_piece=256):
    """Sup error of the N-unit interpolant of ``fn`` on N + 1 uniform knots, on a fine grid.

    ``fn`` maps (K,) -> (K,). Returns max |net(x) − fn(x)| over ``per_piece`` grid steps per
    piece of [low, high]; the knots and the midpoints of the pieces are on the grid.
    """
    knots = np.linspace(low, high, units + 1)
    net = relu_interpolant(knots, fn(knots))
    x = np.linspace(low, high, units * per_piece + 1)
    return float(np.abs(net.forward(x[:, None])[0, :, 0] - fn(x)).max())
