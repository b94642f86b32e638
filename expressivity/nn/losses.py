"""Per-example losses and their derivatives with respect to the prediction.

Convention (docs/design.md): a per-example loss is summed over output units; a
batch loss is the mean over examples. ``squared`` has no factor ½, as in the
essay. Shapes: ``prediction`` and ``target`` are ``(..., batch, n_out)``
(``target`` broadcasts); values are ``(..., batch)``.
"""
import numpy as np

# Keeps log() finite for binary cross-entropy.
BCE_EPS = 1e-12


def squared(prediction, target):
    return ((prediction - target) ** 2).sum(axis=-1)


def absolute(prediction, target):
    return np.abs(prediction - target).sum(axis=-1)


def bce(prediction, target):
    p = np.clip(prediction, BCE_EPS, 1 - BCE_EPS)
    return -(target * np.log(p) + (1 - target) * np.log1p(-p)).sum(axis=-1)


def squared_derivative(prediction, target):
    return 2 * (prediction - target)


def absolute_derivative(prediction, target):
    # np.sign(0) == 0: the derivative at a perfect fit is 0, as docs/design.md states.
    return np.sign(prediction - target)


def bce_derivative(prediction, target):
    p = np.clip(prediction, BCE_EPS, 1 - BCE_EPS)
    return (p - target) / (p * (1 - p))


LOSSES = {"squared": squared, "absolute": absolute, "bce": bce}
LOSS_DERIVATIVES = {"squared": squared_derivative, "absolute": absolute_derivative,
                    "bce": bce_derivative}
