"""Multiplying numbers with smooth units (Lin, Tegmark & Rolnick 2017).

Gate. For any activation with σ''(b) ≠ 0, the even part of σ around b gives
``σ(b + a) + σ(b − a) = 2σ(b) + σ''(b) a² + O(a⁴)``, so

    uv ≈ [σ(b + λ(u+v)) + σ(b − λ(u+v)) − σ(b + λ(u−v)) − σ(b − λ(u−v))] / (4 λ² σ''(b))

with 4 hidden units and an error that falls like λ² (leading term
λ² σ⁗(b)/(6σ''(b)) · uv(u² + v²)).

Tree. Pair up the n inputs, multiply each pair with a gate, and repeat on the
products: ⌈log₂ n⌉ hidden layers, n − 1 gates (4(n − 1) units); each gate's
read-out is linear, so it is folded into the next layer's weights. An odd
value out is carried up by two units, (σ(b + λv) − σ(b − λv)) / (2λσ'(b)),
which is exact for softplus at b = 0 (softplus(z) − softplus(−z) = z).

Shallow. With one hidden layer, Σ_s (Π s_i) σ(b + λ s·x) over all 2ⁿ sign
vectors s keeps only the monomial x₁⋯xₙ up to O(λ²) relative error, so
x₁⋯xₙ ≈ that sum / (2ⁿ λⁿ σ⁽ⁿ⁾(b)): 2ⁿ units (Rolnick & Tegmark 2018 show a
shallow net cannot do with fewer).
"""
import itertools

import numpy as np

from expressivity.nn import MLP
from expressivity.theory.derivatives import SMOOTH, derivative

GATE_SIGNS = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])   # unit i sees λ(sᵤu + sᵥv)
GATE_READOUT = np.array([1.0, 1.0, -1.0, -1.0])


def multiplication_gate(scale, activation="softplus", shift=0.0, dtype=np.float64):
    """u·v from 4 hidden units: MLP sizes (2, 4, 1), P = 1."""
    return product_tree(2, scale, activation, shift, dtype)


def product_tree(n, scale, activation="softplus", shift=0.0, dtype=np.float64):
    """x₁⋯xₙ as a binary tree of gates: ⌈log₂ n⌉ hidden layers, P = 1."""
    _check(n, scale, activation, least=2)
    curvature = _nonzero(activation, 2, shift)
    slope = _nonzero(activation, 1, shift)
    readout = np.eye(n)                                  # the inputs are the first values
    weights, biases = [], []
    while readout.shape[1] > 1:
        values = readout.shape[1]
        pairs, carry = values // 2, values % 2
        width = 4 * pairs + 2 * carry
        unit_in = np.zeros((values, width))
        next_readout = np.zeros((width, pairs + carry))
        for p in range(pairs):
            units = slice(4 * p, 4 * p + 4)
            unit_in[2 * p, units] = scale * GATE_SIGNS[:, 0]
            unit_in[2 * p + 1, units] = scale * GATE_SIGNS[:, 1]
            next_readout[units, p] = GATE_READOUT / (4 * scale ** 2 * curvature)
        if carry:
            unit_in[values - 1, width - 2:] = (scale, -scale)
            next_readout[width - 2:, pairs] = np.array([1.0, -1.0]) / (2 * scale * slope)
        weights.append(readout @ unit_in)
        biases.append(np.full(width, float(shift)))
        readout = next_readout
    weights.append(readout)
    biases.append(np.zeros(1))
    return MLP([w.astype(dtype)[None] for w in weights], [b.astype(dtype)[None] for b in biases],
               [activation] * (len(weights) - 1) + ["identity"])


def product_shallow(n, scale, activation="softplus", shift=0.5, dtype=np.float64):
    """x₁⋯xₙ with one hidden layer of 2ⁿ units: MLP sizes (n, 2ⁿ, 1), P = 1."""
    _check(n, scale, activation, least=1)
    nth = _nonzero(activation, n, shift)
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))     # (2ⁿ, n)
    W1 = scale * signs.T
    b1 = np.full(2 ** n, float(shift))
    W2 = (signs.prod(axis=1) / (2 ** n * scale ** n * nth))[:, None]
    return MLP([W1.astype(dtype)[None], W2.astype(dtype)[None]],
               [b1.astype(dtype)[None], np.zeros((1, 1), dtype)], [activation, "identity"])


def product_error(net, X):
    """Sup error max |net(x) − Π x| over the rows of X (K, n)."""
    return float(np.abs(net.forward(X)[0, :, 0] - X.prod(axis=1)).max())


def gate_error_coefficient(activation="softplus", shift=0.0):
    """lim error/λ² of the gate on [−1, 1]²: |σ⁗(b)/σ''(b)| · max|uv(u² + v²)| / 6 = |σ⁗/σ''| / 3."""
    return abs(derivative(activation, 4, shift) / derivative(activation, 2, shift)) / 3


def _nonzero(activation, order, shift):
    value = float(derivative(activation, order, shift))
    if abs(value) < 1e-12:
        raise ValueError(f"shift={shift!r}: the {order}-th derivative of {activation} is 0 there; "
                         f"allowed: a shift where it is not (e.g. 0.5)")
    return value


def _check(n, scale, activation, least):
    if not isinstance(n, (int, np.integer)) or n < least:
        raise ValueError(f"n={n!r}; allowed: an integer >= {least}")
    if not scale > 0:
        raise ValueError(f"scale={scale!r}; allowed: a positive number")
    if activation not in SMOOTH:
        raise ValueError(f"activation={activation!r}; allowed: {', '.join(SMOOTH)}")
