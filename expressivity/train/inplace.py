"""Activations and their derivatives written into preallocated buffers.

The same functions as ``nn.activations``, but every pass writes into a buffer
that the caller owns, so a training epoch allocates nothing (DESIGN.md, speed:
fresh temporaries of a few MB each fall out of the cache). Shapes are free;
``out`` may be a strided view of a larger buffer.

``FORWARD[name](z, out, work)`` sets ``out = f(z)``.
``TIMES_DERIVATIVE[name](delta, z, a, work)`` sets ``delta *= f'(z)``, using
``a = f(z)`` where that is cheaper. ``work`` is a ``Work`` of ``z``'s shape.
"""
import numpy as np


class Work:
    """Scratch buffers of one shape: a float one, a boolean one and zeros."""

    def __init__(self, shape, dtype):
        self.f = np.empty(shape, dtype)
        self.b = np.empty(shape, bool)
        # np.maximum against an array runs ~2x faster than against the scalar 0.
        self.zeros = np.zeros(shape, dtype)

    @classmethod
    def view(cls, work, members):
        """The first ``members`` entries (leading axis) of another ``Work``."""
        part = cls.__new__(cls)
        part.f, part.b, part.zeros = work.f[:members], work.b[:members], work.zeros[:members]
        return part


def sigmoid(z, out, work):
    # The tanh form, as nn.activations: never overflows, and it gives the same
    # bits as the reference MLP, so a fit found here is a fit found there.
    w = work.f
    np.multiply(z, 0.5, out=w)
    np.tanh(w, out=w)
    np.multiply(w, 0.5, out=w)
    np.add(w, 0.5, out=out)


def sigmoid_of_half(z_half, out, work):
    """Sigmoid from z/2, which ``Folded`` gets exactly from a matmul with θ/2: one pass fewer."""
    w = work.f
    np.tanh(z_half, out=w)
    np.multiply(w, 0.5, out=w)
    np.add(w, 0.5, out=out)


def sigmoid_times_derivative(delta, z, a, work):
    w = work.f
    np.subtract(1, a, out=w)
    np.multiply(w, a, out=w)
    np.multiply(delta, w, out=delta)


def tanh(z, out, work):
    np.tanh(z, out=out)


def tanh_times_derivative(delta, z, a, work):
    w = work.f
    np.multiply(a, a, out=w)
    np.subtract(1, w, out=w)
    np.multiply(delta, w, out=delta)


def relu(z, out, work):
    np.maximum(z, work.zeros, out=out)


def relu_times_derivative(delta, z, a, work):
    # The subgradient at 0 is 0, as in nn.activations.
    np.greater(z, 0, out=work.b)
    np.multiply(delta, work.b, out=delta)


def identity(z, out, work):
    np.copyto(out, z)


def identity_times_derivative(delta, z, a, work):
    return None


def softplus(z, out, work):
    np.logaddexp(0, z, out=out)


def softplus_times_derivative(delta, z, a, work):
    sigmoid(z, work.f, work)
    np.multiply(delta, work.f, out=delta)


FORWARD = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "identity": identity,
           "softplus": softplus}
# Activations whose forward pass takes z/2 (see ``sigmoid_of_half``).
FROM_HALF = {"sigmoid": sigmoid_of_half}

TIMES_DERIVATIVE = {"sigmoid": sigmoid_times_derivative, "tanh": tanh_times_derivative,
                    "relu": relu_times_derivative, "identity": identity_times_derivative,
                    "softplus": softplus_times_derivative}
