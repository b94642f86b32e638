"""Weight initialisers: ``name(rng, shape, fan_in, fan_out, scale) -> array``.

``shape`` is ``(fan_in, fan_out)`` for one member or ``(P, fan_in, fan_out)``
for a population drawn from one generator.
"""
import numpy as np


def xavier(rng, shape, fan_in, fan_out, scale=1.0):
    """Glorot uniform: U(-r, r) with r = scale * sqrt(6 / (fan_in + fan_out))."""
    limit = scale * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def he(rng, shape, fan_in, fan_out, scale=1.0):
    """He normal: N(0, (scale * sqrt(2 / fan_in))^2), suited to ReLU."""
    return rng.normal(0.0, scale * np.sqrt(2.0 / fan_in), size=shape)


def uniform(rng, shape, fan_in, fan_out, scale=1.0):
    """U(-scale, scale), the classic "small random weights"."""
    return rng.uniform(-scale, scale, size=shape)


def zeros(rng, shape, fan_in, fan_out, scale=1.0):
    return np.zeros(shape)


INITIALISERS = {"xavier": xavier, "he": he, "uniform": uniform, "zeros": zeros}
