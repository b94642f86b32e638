"""A step-unit ``MLP`` built from a SAT witness, so every exact width is checked by running a net.

``weights_of`` finds integer weights for a threshold function's code by the
same enumeration that lists them; ``witness_network`` assembles hidden units
hᵢ and output g into MLP sizes (n, k, 1) with step activations throughout.
"""
import itertools

import numpy as np

from expressivity.nn import MLP
from expressivity.tasks import all_inputs
from expressivity.theory.tables import table_codes


def weights_of(code, n, span=3):
    """Integer (w (n,), threshold θ) with step(w·x − θ) equal to the function ``code`` of n bits."""
    X = all_inputs(n).astype(np.int64)
    W = np.array(list(itertools.product(range(-span, span + 1), repeat=n)), dtype=np.int64)
    sums = X @ W.T                                               # (2ⁿ, W)
    for theta in np.arange(sums.min(), sums.max() + 2) - 0.5:
        codes = table_codes((sums > theta).T.astype(np.int8))
        hit = np.flatnonzero(codes == code)
        if hit.size:
            return W[hit[0]].astype(float), float(theta)
    raise ValueError(f"code={code} is not a threshold function of n={n} bits with weights in "
                     f"[-{span}, {span}]; allowed: a threshold function's code")


def witness_network(n, hidden, g):
    """MLP (n, k, 1) of step units: hidden unit i computes ``hidden[i]``, the output computes ``g``."""
    k = len(hidden)
    W1, b1 = np.zeros((n, k)), np.zeros(k)
    for i, code in enumerate(hidden):
        W1[:, i], theta = weights_of(int(code), n)
        b1[i] = -theta
    v, theta = weights_of(int(g), k, span=k)
    return MLP([W1[None], v[None, :, None]], [b1[None], np.array([[-theta]])], ["step", "step"])
