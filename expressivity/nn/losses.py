"""Per-example losses and their derivatives: the one home of the loss math.

Convention (docs/design.md): a per-example loss is summed over output units; a
batch loss is the mean over examples. ``squared`` has no factor ½, as in the
essay. Shapes: ``prediction``, ``z`` and ``target`` are ``(..., batch, n_out)``
(``target`` broadcasts); values are ``(..., batch)``.

Binary cross-entropy on a sigmoid output is computed from the logit ``z``
(the output pre-activation), never from a clipped prediction: its value is
``logaddexp(0, z) - y z`` and its output delta ∂L/∂z is ``sigmoid(z) - y``.
A clipped prediction loses the gradient once |z| > ~27.6, so a confidently
wrong output could never recover. Every kernel asks ``fused`` whether its
(loss, output) pair takes this path and then uses ``value`` and
``output_gradient`` (``train.agreement`` and tests/core/test_kernels_agree.py check
the compiled and torch kernels against these).
"""
import numpy as np

from expressivity.nn.activations import DERIVATIVES

# Keeps log() finite for binary cross-entropy on an output that is not a sigmoid
# (the prediction is then all there is). Never used on a sigmoid output.
BCE_EPS = 1e-12


def squared(prediction, target):
    return ((prediction - target) ** 2).sum(axis=-1)


def absolute(prediction, target):
    return np.abs(prediction - target).sum(axis=-1)


def bce(prediction, target):
    """Cross-entropy from a prediction in (0, 1), clipped to [BCE_EPS, 1 - BCE_EPS]."""
    p = np.clip(prediction, BCE_EPS, 1 - BCE_EPS)
    return -(target * np.log(p) + (1 - target) * np.log1p(-p)).sum(axis=-1)


def bce_from_logit(z, target):
    """Cross-entropy of sigmoid(z) against ``target``, stable for any z: logaddexp(0, z) - y z."""
    return (np.logaddexp(0, z) - target * z).sum(axis=-1)


def squared_derivative(prediction, target):
    return 2 * (prediction - target)


def absolute_derivative(prediction, target):
    # np.sign(0) == 0: the derivative at a perfect fit is 0, as docs/design.md states.
    return np.sign(prediction - target)


def bce_derivative(prediction, target):
    p = np.clip(prediction, BCE_EPS, 1 - BCE_EPS)
    return (p - target) / (p * (1 - p))


def bce_logit_delta(prediction, target):
    """∂ bce_from_logit / ∂z = sigmoid(z) - y, given ``prediction`` = sigmoid(z); no clip."""
    return prediction - target


LOSSES = {"squared": squared, "absolute": absolute, "bce": bce}
LOSS_DERIVATIVES = {"squared": squared_derivative, "absolute": absolute_derivative,
                    "bce": bce_derivative}
# (loss, output activation) pairs computed from the logit, with a fused output delta.
FUSED = {("bce", "sigmoid")}


def fused(loss, output_activation):
    """True when ``loss`` on ``output_activation`` is computed from the logit (see above)."""
    return (loss, output_activation) in FUSED


def value(loss, output_activation, prediction, z, target):
    """Per-example loss (..., batch): from the logit ``z`` when fused, else from the prediction."""
    if fused(loss, output_activation):
        return bce_from_logit(z, target)
    return LOSSES[loss](prediction, target)


def output_gradient(loss, output_activation, prediction, target):
    """What a kernel hands to ``nn.backprop.backward``: ∂L/∂z when fused, else ∂L/∂ŷ."""
    if fused(loss, output_activation):
        return bce_logit_delta(prediction, target)
    return LOSS_DERIVATIVES[loss](prediction, target)


def output_delta(loss, output_activation, prediction, z, target):
    """δ_L = ∂L/∂z of the output layer, (..., batch, n_out)."""
    g = output_gradient(loss, output_activation, prediction, target)
    if fused(loss, output_activation):
        return g
    return g * DERIVATIVES[output_activation](z, prediction)
