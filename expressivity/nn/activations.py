"""Activation functions and their derivatives, as small pure functions.

Each activation maps pre-activations ``z`` to outputs ``a = f(z)``; each
derivative receives both ``z`` and ``a`` so that it can use whichever is
cheaper (the logistic derivative ``s(1 - s)`` reuses the forward output, the
softplus derivative needs ``z``). Arrays may have any shape, typically
``(P, batch, units)``.

Every function takes an optional ``out`` buffer of ``z``'s shape and writes
its result there (and returns it), so the training kernels (``train.inplace``)
call these very functions on preallocated buffers: each activation's value and
derivative is written once, here.
"""
import numpy as np


def sigmoid_from_half(half_z, out=None):
    """Sigmoid of ``z`` given ``z / 2``: ½ tanh(z/2) + ½ (the fast kernel gets z/2 from θ/2)."""
    if out is None:
        return 0.5 * np.tanh(half_z) + 0.5
    np.tanh(half_z, out=out)
    np.multiply(out, 0.5, out=out)
    return np.add(out, 0.5, out=out)


def sigmoid(z, out=None):
    # tanh form: never overflows, unlike 1 / (1 + exp(-z)) for large negative z.
    if out is None:
        return sigmoid_from_half(0.5 * z)
    return sigmoid_from_half(np.multiply(z, 0.5, out=out), out=out)


def tanh(z, out=None):
    return np.tanh(z, out=out)


def relu(z, out=None):
    return np.maximum(z, 0, out=out)


def identity(z, out=None):
    if out is None:
        return z
    np.copyto(out, z)
    return out


def softplus(z, out=None):
    # log(1 + e^z) computed without overflow for large z.
    return np.logaddexp(0, z, out=out)


def step(z, out=None):
    """Heaviside step, 1 where ``z >= 0``: forward only, for exact constructions."""
    if out is None:
        return (z >= 0).astype(np.result_type(z, np.float32))
    return np.greater_equal(z, 0, out=out)


def sigmoid_derivative(z, a, out=None):
    if out is None:
        return a * (1 - a)
    np.subtract(1, a, out=out)
    return np.multiply(out, a, out=out)


def tanh_derivative(z, a, out=None):
    if out is None:
        return 1 - a * a
    np.multiply(a, a, out=out)
    return np.subtract(1, out, out=out)


def relu_derivative(z, a, out=None):
    # The subgradient at 0 is taken to be 0.
    if out is None:
        return (z > 0).astype(z.dtype)
    return np.greater(z, 0, out=out)


def identity_derivative(z, a, out=None):
    if out is None:
        return np.ones_like(z)
    out[...] = 1
    return out


def softplus_derivative(z, a, out=None):
    return sigmoid(z, out=out)


def step_derivative(z, a, out=None):
    raise ValueError("activation 'step' has no useful derivative (0 almost everywhere); "
                     "use it only in explicit constructions, not in training")


ACTIVATIONS = {
    "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
    "identity": identity, "softplus": softplus, "step": step,
}

DERIVATIVES = {
    "sigmoid": sigmoid_derivative, "tanh": tanh_derivative, "relu": relu_derivative,
    "identity": identity_derivative, "softplus": softplus_derivative, "step": step_derivative,
}

# Activations that backprop can train through.
TRAINABLE = tuple(name for name in ACTIVATIONS if name != "step")
