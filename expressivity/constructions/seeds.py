"""Seeded generators for the constructions: same (seed, keys) -> same numbers."""
import numpy as np


def generator(seed, *keys):
    """A generator for one named piece of work: same (seed, keys) -> same numbers."""
    words = [int(seed)] + [int.from_bytes(str(k).encode(), "little") % (2 ** 32) for k in keys]
    return np.random.default_rng(words)
