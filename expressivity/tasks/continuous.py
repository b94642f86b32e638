"""Continuous targets sampled on a seeded grid or uniformly at random.

Each target maps inputs (B, d) to outputs (B,). ``sample`` returns float64
inputs (B, d) and targets (B, 1).
"""
import numpy as np


def square(x, **_):
    return x[:, 0] ** 2


def sin(x, **_):
    return np.sin(np.pi * x[:, 0])


def product(x, **_):
    return x.prod(axis=1)


def tent(x):
    """Telgarsky's tent map on [0, 1]: 2x up to ½, then 2(1 - x)."""
    return np.where(x <= 0.5, 2 * x, 2 * (1 - x))


def sawtooth(x, L=3, **_):
    """The tent map composed ``L`` times: 2^L linear pieces on [0, 1]."""
    y = x[:, 0]
    for _ in range(L):
        y = tent(y)
    return y


# Each target's input box (low, high) per coordinate.
CONTINUOUS_TARGETS = {
    "square": (square, (-1.0, 1.0)),
    "sin": (sin, (-1.0, 1.0)),
    "product": (product, (-1.0, 1.0)),
    "sawtooth": (sawtooth, (0.0, 1.0)),
}


def sample(name, n=1, points=256, sampling="grid", rng=None, **params):
    """Inputs (points, n) and targets (points, 1) of a continuous target.

    ``sampling="grid"`` takes evenly spaced points on the line (n = 1) or a
    regular grid with ⌈points^(1/n)⌉ values per axis; ``"uniform"`` draws
    ``points`` inputs uniformly from ``rng``.
    """
    if name not in CONTINUOUS_TARGETS:
        raise ValueError(f"task.name={name!r} is not a continuous target; allowed: "
                         f"{', '.join(sorted(CONTINUOUS_TARGETS))}")
    if sampling not in ("grid", "uniform"):
        raise ValueError(f"task.sampling={sampling!r}; allowed: 'grid', 'uniform'")
    fn, (low, high) = CONTINUOUS_TARGETS[name]
    if name != "product":
        n = 1
    if sampling == "grid":
        per_axis = int(np.ceil(points ** (1.0 / n)))
        axes = [np.linspace(low, high, per_axis)] * n
        X = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, n)
    else:
        rng = np.random.default_rng(0) if rng is None else rng
        X = rng.uniform(low, high, size=(points, n))
    return X, fn(X, **params)[:, None]


def constant_data(distribution="lognormal", points=256, outlier_fraction=0.1, rng=None):
    """Samples to fit a constant to: inputs all zero (B, 1), targets (B, 1).

    A net with no hidden layer and a bias then outputs its bias alone, so the
    loss picks a single number: the mean for ``squared``, the median for
    ``absolute``. ``lognormal`` is skewed (mean > median); ``outliers`` is
    N(0, 1) with a fraction of points moved to +50; ``point`` is every target
    equal to 1, a fit whose residuals can all vanish (where the two losses'
    gradients differ most: one shrinks with the error, the other does not).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    if distribution == "lognormal":
        y = rng.lognormal(0.0, 1.0, size=points)
    elif distribution == "outliers":
        y = rng.normal(0.0, 1.0, size=points)
        y[: int(round(outlier_fraction * points))] = 50.0
    elif distribution == "point":
        y = np.ones(points)
    else:
        raise ValueError(f"task.distribution={distribution!r}; allowed: 'lognormal', 'outliers', 'point'")
    return np.zeros((points, 1)), y[:, None]
