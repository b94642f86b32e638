"""NPN classes: boolean functions up to negating inputs, permuting inputs, negating the output.

The minimal width of a one-hidden-layer net of step units is the same for
every function of a class: a negated or permuted input is absorbed into the
hidden weights, a negated output into the output weights. Known class counts
(OEIS A000370): 2, 4, 14, 222 for n = 1..4.
"""
import itertools

import numpy as np

from expressivity.tasks import all_inputs
from expressivity.theory.tables import all_functions, table_codes


def input_transforms(n):
    """Row permutations of the truth table for every input permutation and negation: (2ⁿ·n!, 2ⁿ)."""
    X = all_inputs(n).astype(np.int64)
    place = 1 << np.arange(n - 1, -1, -1)
    rows = []
    for perm in itertools.permutations(range(n)):
        for flip in itertools.product((0, 1), repeat=n):
            rows.append(((X[:, list(perm)] ^ np.array(flip)) @ place))
    return np.array(rows)


def npn_classes(n):
    """Canonical code (smallest in the class) of every function of n bits: (2^(2ⁿ),) int64."""
    tables = all_functions(n)
    full = (1 << (2 ** n)) - 1
    best = np.full(len(tables), np.iinfo(np.int64).max)
    for rows in input_transforms(n):
        codes = table_codes(tables[:, rows])
        best = np.minimum(best, np.minimum(codes, full ^ codes))
    return best


def class_table(n):
    """(representatives, sizes): each class's canonical code and how many functions it holds."""
    reps, sizes = np.unique(npn_classes(n), return_counts=True)
    return reps, sizes
