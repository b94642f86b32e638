"""Exact linear pieces of a one-input ReLU network on an interval.

Between two consecutive breakpoints of layers 1 … l−1, every pre-activation
of layer l is linear in x, so its zero crossings are found exactly by linear
interpolation between the two points. Adding every unit's crossings, layer by
layer, gives every point where the network can bend; where the output's slope
does not actually change on both sides, the two segments are one piece.
All values come from running the network itself (its first l layers).
"""
import numpy as np

from expressivity.nn import MLP

PIECEWISE_LINEAR = ("relu", "identity")
# Points closer than this (relative to the interval) are one point: rounding dust.
MERGE_TOL = 1e-12
# Slopes that differ by less than this (relative) are one slope.
SLOPE_TOL = 1e-9


def pre_activations(net, layer, x):
    """z of hidden/output layer ``layer`` at points x (K,): (K, units), member 0 of ``net``."""
    head = MLP(net.weights[:layer + 1],
               None if net.biases is None else net.biases[:layer + 1],
               list(net.activations[:layer]) + ["identity"])
    return head.forward(x[:, None])[0]


def candidate_points(net, low, high):
    """Sorted points (K,) on [low, high]: the ends plus every zero crossing of every ReLU unit."""
    _check(net)
    x = np.array([low, high], dtype=float)
    for layer, name in enumerate(net.activations):
        if name != "relu":
            continue
        z = pre_activations(net, layer, x)                       # (K, units)
        z0, z1 = z[:-1], z[1:]
        cross = z0 * z1 < 0                                      # strict: a touch is no crossing
        seg, _ = np.nonzero(cross)
        roots = x[seg] - z0[cross] * (x[seg + 1] - x[seg]) / (z1[cross] - z0[cross])
        x = _merge(np.concatenate([x, roots]), high - low)
    return x


def linear_pieces(net, low, high):
    """Breakpoints (interior points where the output's slope changes) and the piece count.

    Returns (breakpoints (K,), pieces = K + 1) for member 0 of a one-input, one-output net.
    """
    x = candidate_points(net, low, high)
    y = net.forward(x[:, None])[0, :, 0]
    slope = np.diff(y) / np.diff(x)
    scale = np.maximum(np.abs(slope[1:]), np.abs(slope[:-1]))
    bends = np.abs(np.diff(slope)) > SLOPE_TOL * np.maximum(scale, 1.0)
    breakpoints = x[1:-1][bends]
    return breakpoints, len(breakpoints) + 1


def _merge(x, span):
    x = np.sort(x)
    keep = np.concatenate([[True], np.diff(x) > MERGE_TOL * span])
    return x[keep]


def _check(net):
    bad = [a for a in net.activations if a not in PIECEWISE_LINEAR]
    if bad or net.sizes[0] != 1 or net.sizes[-1] != 1:
        raise ValueError(f"network with sizes {net.sizes} and activations {net.activations}; "
                         f"allowed: one input, one output, activations in {PIECEWISE_LINEAR}")
