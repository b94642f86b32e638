"""Activation functions and their derivatives, as small pure functions.

Each activation maps pre-activations ``z`` to outputs ``a = f(z)``; each
derivative receives both ``z`` and ``a`` so that it can use whichever is
cheaper (the logistic derivative ``s(1 - s)`` reuses the forward output, the
softplus derivative needs ``z``). Arrays may have any shape, typically
``(P, batch, units)``.
"""
import numpy as np


def sigmoid(z):
    # tanh form: never overflows, unlike 1 / (1 + exp(-z)) for large negative z.
    return 0.5 * np.tanh(0.5 * z) + 0.5


def tanh(z):
    return np.tanh(z)


def relu(z):
    return np.maximum(z, 0)


def identity(z):
    return z


def softplus(z):
    # log(1 + e^z) computed without overflow for large z.
    return np.logaddexp(0, z)


def step(z):
    """Heaviside step, 1 where ``z >= 0``: forward only, for exact constructions."""
    return (z >= 0).astype(np.result_type(z, np.float32))


def sigmoid_derivative(z, a):
    return a * (1 - a)


def tanh_derivative(z, a):
    return 1 - a * a


def relu_derivative(z, a):
    # The subgradient at 0 is taken to be 0.
    return (z > 0).astype(z.dtype)


def identity_derivative(z, a):
    return np.ones_like(z)


def softplus_derivative(z, a):
    return sigmoid(z)


def step_derivative(z, a):
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
