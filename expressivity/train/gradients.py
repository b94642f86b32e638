"""Per-member gradients from the kernels that actually train, for checking them.

``nn.MLP.loss_and_gradients`` is the readable reference; training runs
``train.folded.Folded`` (full batch and minibatch) and
``train.per_example.PerExample`` (batch size 1, compiled when the accelerator
is on). These functions ask those kernels for their gradients and return them
in ``MLP``'s layout, so a check (finite differences, the ``backprop`` claim)
tests the code that trains, not only the reference.
"""
import numpy as np

from expressivity.train.folded import Folded, with_ones
from expressivity.train.per_example import PerExample


def _check(net, X, Y):
    X = np.asarray(X, dtype=net.weights[0].dtype)
    Y = np.asarray(Y, dtype=net.weights[0].dtype)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"X and Y must be (rows, n_in) and (rows, n_out) with equal rows; "
                         f"got X {X.shape}, Y {Y.shape}")
    return X, Y


def _unfold(thetas, fan_in, bias):
    weights = [t[:, :, :k].transpose(0, 2, 1).copy() for t, k in zip(thetas, fan_in)]
    biases = [t[:, :, -1].copy() for t in thetas] if bias else None
    return weights, biases


def full_batch_gradients(net, X, Y, loss="squared"):
    """∂(mean loss over X)/∂W and ∂/∂b of every member, from the full-batch kernel.

    net : nn.MLP of P members; X : (rows, n_in); Y : (rows, n_out)
    Returns (weights [(P, fan_in, fan_out)], biases [(P, fan_out)] or None).
    """
    X, Y = _check(net, X, Y)
    kernel = Folded(net.weights, net.biases, net.activations)
    inputs = with_ones(X) if kernel.bias else X
    kernel.run(np.ascontiguousarray(inputs.T), np.ascontiguousarray(Y.T), loss)
    return _unfold(kernel.grads, kernel.fan_in, kernel.bias)


def per_example_gradients(net, x, y, loss="squared"):
    """∂(loss on the one example x, y)/∂W and ∂/∂b of every member, from the per-example kernel.

    The kernel never stores a gradient: it applies ``theta -= step · gradient``.
    So it takes one step of size 1 and the gradient is theta before minus theta
    after (exact up to one rounding of theta, about 1e-16 · |theta|).
    x : (n_in,); y : (n_out,). Returns the same as ``full_batch_gradients``.
    """
    X, Y = _check(net, np.atleast_2d(x), np.atleast_2d(y))
    if X.shape[0] != 1:
        raise ValueError(f"per_example_gradients takes one example; got {X.shape[0]} rows")
    kernel = Folded(net.weights, net.biases, net.activations)
    stepper = PerExample(kernel)
    before = [t.copy() for t in stepper.theta]
    inputs = with_ones(X) if kernel.bias else X
    P = kernel.size
    stepper.epoch(np.zeros((P, 1), np.int64), np.ascontiguousarray(inputs.T),
                  np.ascontiguousarray(Y.T), np.ones(P), np.ones(P, bool), loss, 0.0)
    steps = [(b - t).transpose(2, 1, 0) for b, t in zip(before, stepper.theta)]   # (P, V, K+1)
    return _unfold(steps, kernel.fan_in, kernel.bias)


def finite_difference_gap(net, X, Y, loss="squared", kernel="full_batch", eps=1e-6):
    """Largest |kernel gradient - central difference| per member, relative to max(1, |gradient|).

    The central differences perturb one parameter of every member at once (members
    never interact) and evaluate ``nn.MLP.loss``, the reference forward pass and
    ``nn.losses``; ``kernel`` is ``"full_batch"`` (mean loss over X) or
    ``"per_example"`` (X, Y one row). Returns (P,) float, float64 work.
    """
    if kernel not in ("full_batch", "per_example"):
        raise ValueError(f"kernel={kernel!r} is not known; allowed: full_batch, per_example")
    X, Y = _check(net, np.atleast_2d(X), np.atleast_2d(Y))
    if kernel == "per_example":
        weights, biases = per_example_gradients(net, X[0], Y[0], loss)
    else:
        weights, biases = full_batch_gradients(net, X, Y, loss)
    params = net.weights + (net.biases or [])
    grads = weights + (biases or [])
    gap = np.zeros(net.population)
    for p, g in zip(params, grads):
        flat_p, flat_g = p.reshape(p.shape[0], -1), g.reshape(g.shape[0], -1)
        if not np.shares_memory(flat_p, p):
            raise ValueError("finite_difference_gap needs contiguous parameter arrays in net")
        for j in range(flat_p.shape[1]):
            keep = flat_p[:, j].copy()
            flat_p[:, j] = keep + eps
            up = net.loss(X, Y, loss)
            flat_p[:, j] = keep - eps
            down = net.loss(X, Y, loss)
            flat_p[:, j] = keep
            numeric = (up - down) / (2 * eps)
            gap = np.maximum(gap, np.abs(flat_g[:, j] - numeric) / np.maximum(1, np.abs(numeric)))
    return gap
