"""The activations' values and derivatives as passes over buffers the caller owns.

These are ``nn.activations``' own functions, called with ``out=`` so that a
training epoch allocates nothing (fresh temporaries of a few MB each fall out
of the cache). ``train.accelerator.kernels()`` returns them, or, when the
compiled accelerator is on, fused compiled passes for some of them, which
``train.agreement`` checks against ``nn.activations``.

``FORWARD[name](z, out, work)`` sets ``out = f(z)``.
``TIMES_DERIVATIVE[name](delta, z, a, work)`` sets ``delta *= f'(z)``, using
``a = f(z)`` where that is cheaper. ``work`` is a ``Work`` of ``z``'s shape.
``FROM_HALF[name](z_half, out, work)`` sets ``out = f(z)`` from ``z / 2``.
"""
import numpy as np

from expressivity.nn.activations import ACTIVATIONS, DERIVATIVES, TRAINABLE, sigmoid_from_half


class Work:
    """A scratch buffer of one shape."""

    def __init__(self, shape, dtype):
        self.f = np.empty(shape, dtype)

    @classmethod
    def view(cls, work, members):
        """The first ``members`` entries (leading axis) of another ``Work``."""
        part = cls.__new__(cls)
        part.f = work.f[:members]
        return part


def _forward(name):
    f = ACTIVATIONS[name]

    def forward(z, out, work):
        f(z, out=out)
    forward.__name__ = f"{name}_forward"
    return forward


def _times_derivative(name):
    d = DERIVATIVES[name]

    def times_derivative(delta, z, a, work):
        np.multiply(delta, d(z, a, out=work.f), out=delta)
    times_derivative.__name__ = f"{name}_times_derivative"
    return times_derivative


def _identity_times_derivative(delta, z, a, work):
    """f' = 1: nothing to multiply (``train.agreement`` checks this against nn)."""


def _sigmoid_from_half(z_half, out, work):
    sigmoid_from_half(z_half, out=out)


FORWARD = {name: _forward(name) for name in TRAINABLE}
FROM_HALF = {"sigmoid": _sigmoid_from_half}
TIMES_DERIVATIVE = {name: _times_derivative(name) for name in TRAINABLE}
TIMES_DERIVATIVE["identity"] = _identity_times_derivative

