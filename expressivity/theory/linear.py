"""Identity activations collapse a deep network into one affine map.

With ``a = z`` in every layer, ``a_L = (…((x W₁ + b₁) W₂ + b₂)…) W_L + b_L``
``= x (W₁W₂…W_L) + b``, where the biases fold forward: ``b ← b W_l + b_l``.
So depth adds nothing a single layer without hidden units cannot do.
"""
import numpy as np

from expressivity.nn import MLP


def collapse(net):
    """The single affine map of an all-identity network.

    Returns (W (P, n_in, n_out), b (P, n_out) or None when the net has no biases).
    """
    if any(name != "identity" for name in net.activations):
        raise ValueError(f"activations={net.activations}; allowed: only 'identity' (a network "
                         f"with any other activation is not linear)")
    W = net.weights[0]
    b = None if net.biases is None else net.biases[0]
    for l in range(1, len(net.weights)):
        W = W @ net.weights[l]
        if b is not None:
            b = (b[:, None, :] @ net.weights[l])[:, 0] + net.biases[l]
    return W, b


def collapsed_network(net):
    """The same function as an MLP with no hidden layer: sizes (n_in, n_out)."""
    W, b = collapse(net)
    return MLP([W], None if b is None else [b], ["identity"])


def best_affine_fit(X, Y):
    """The least-squares affine map x -> x·w + c on (X (B, n), Y (B, m)).

    Returns (loss, predictions (B, m)): the mean over rows of the squared error
    summed over columns (the ``squared`` loss), which no identity-activation
    network can go below whatever its depth, and that map's outputs.
    """
    design = np.hstack([X, np.ones((X.shape[0], 1))])
    coef, *_ = np.linalg.lstsq(design, Y, rcond=None)
    predictions = design @ coef
    return float(((Y - predictions) ** 2).sum(axis=1).mean()), predictions


def best_affine_loss(X, Y):
    """The least ``squared`` loss any affine map reaches on (X, Y): see ``best_affine_fit``."""
    return best_affine_fit(X, Y)[0]
