"""Backprop's gradient against central finite differences, for a whole population.

Each parameter entry is nudged by ±h in every member at once (members never
interact), so the cost is two batched losses per entry. Points where the
loss is not differentiable (a ReLU pre-activation or, for ``absolute``, an
error within a few h of 0) would make finite differences meaningless there;
``kink_distance`` reports how close each member comes so that callers can
draw again or exclude it.
"""
import numpy as np

# Central differences: truncation ~h², rounding ~eps/h; h = 1e-5 balances them near 1e-10.
STEP = 1e-5


def numeric_gradients(net, X, Y, loss, h=STEP):
    """Central-difference gradients, shaped like ``weights`` (+ ``biases``): list of arrays."""
    params = net.weights + (net.biases if net.biases is not None else [])
    grads = []
    for param in params:
        grad = np.zeros_like(param)
        for idx in np.ndindex(*param.shape[1:]):
            where = (slice(None), *idx)
            old = param[where].copy()
            param[where] = old + h
            up = net.loss(X, Y, loss)
            param[where] = old - h
            down = net.loss(X, Y, loss)
            param[where] = old
            grad[where] = (up - down) / (2 * h)
        grads.append(grad)
    return grads


def relative_errors(net, X, Y, loss, h=STEP, per_matrix=False, floor=1e-12):
    """Per member: max |backprop − numeric| over all parameters / max |numeric|, (P,).

    ``per_matrix``: each weight matrix and bias vector is normalised by its own max |numeric|
    and the largest of those ratios is returned, so an error in a layer whose gradients are
    small is not hidden by the largest gradient elsewhere in the network (``floor``: see
    ``compare``)."""
    _, wgrads, bgrads = net.loss_and_gradients(X, Y, loss)
    exact = wgrads + (bgrads if bgrads is not None else [])
    return compare(exact, numeric_gradients(net, X, Y, loss, h), per_matrix, floor)


def compare(exact, numeric, per_matrix=False, floor=1e-12):
    """Per member: the relative error of ``exact`` against ``numeric`` (lists of (P, ...)
    arrays): over the whole network, or the largest per-array ratio when ``per_matrix``.

    ``floor``: the smallest denominator of a per-array ratio. An array whose gradient is
    (near) zero has a numeric gradient made of the differences' own rounding (about
    eps * |loss| / h: 5.6e-12 for a dead ReLU layer's biases, where backprop gives exactly 0),
    so its ratio would read ~1 whatever backprop does; with ``floor`` such an array is judged
    by its absolute error over ``floor`` instead."""
    diffs = np.array([np.abs(e - g).reshape(len(e), -1).max(axis=1) for e, g in zip(exact, numeric)])
    sizes = np.array([np.abs(g).reshape(len(g), -1).max(axis=1) for g in numeric])
    if per_matrix:
        return (diffs / np.maximum(sizes, max(floor, 1e-12))).max(axis=0)
    return diffs.max(axis=0) / np.maximum(sizes.max(axis=0), 1e-12)


def kink_distance(net, X, Y, loss):
    """Per member: the smallest |z| over ReLU units (and |ŷ − y| for ``absolute``): (P,).

    Finite differences straddle a kink when this is below about h.
    """
    out = net.forward(X)
    closest = np.full(net.population, np.inf)
    for z, name in zip(net.pre_activations, net.activations):
        if name == "relu":
            closest = np.minimum(closest, np.abs(z).min(axis=(1, 2)))
    if loss == "absolute":
        closest = np.minimum(closest, np.abs(out - Y).min(axis=(1, 2)))
    return closest
