"""Threshold (linearly separable) functions as truth-table codes, by enumeration.

A step unit ``step(w·x + b)`` on n bits computes a threshold function. For
n <= 4 integer weights in [-3, 3] with half-integer biases reach every one
(``theory.threshold``; counts 4, 14, 104, 1882 for n = 1..4, OEIS A000609).
The output unit of a one-hidden-layer net reads k hidden bits; flipping a
hidden unit (negating its weights) flips its bit, so the output may be taken
*positive* (non-decreasing in every bit). Positive threshold functions of k
bits number 3, 6, 20, 150, 3287 for k = 1..5 (OEIS A000617); integer weights
0..k (k <= 5) reach them all, which the tests check against those counts.
Codes follow ``theory.tables``: bit i of a code is the output on input row i.
"""
import itertools

import numpy as np

from expressivity.tasks import all_inputs
from expressivity.theory.tables import table_codes

# Integer weights in [-3, 3] reach every threshold function of n <= 4 bits.
MAX_INPUT_BITS = 4
# Positive output functions are enumerated up to this many hidden bits.
MAX_OUTPUT_BITS = 5


def _codes(weights, n):
    """Truth-table codes of step(w·x − θ) for every row of ``weights`` (W, n) and every θ."""
    X = all_inputs(n).astype(np.int64)
    sums = X @ weights.T                                      # (2ⁿ, W)
    thresholds = np.arange(sums.min(), sums.max() + 2) - 0.5  # every distinct cut
    bits = (sums[None, :, :] > thresholds[:, None, None])     # (Θ, 2ⁿ, W)
    bits = bits.transpose(0, 2, 1).reshape(-1, 2 ** n).astype(np.int8)
    return np.unique(table_codes(bits))


def threshold_functions(n):
    """Every threshold function of n bits (constants included): sorted int64 codes, shape (T,)."""
    if not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_INPUT_BITS:
        raise ValueError(f"n={n!r}; allowed: an integer 1..{MAX_INPUT_BITS}")
    span = np.arange(-3, 4)
    weights = np.array(list(itertools.product(span, repeat=n)), dtype=np.int64)
    return _codes(weights, n)


def positive_threshold_functions(k):
    """Every positive threshold function of k bits (constants included): sorted codes, shape (T,)."""
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_OUTPUT_BITS:
        raise ValueError(f"k={k!r}; allowed: an integer 1..{MAX_OUTPUT_BITS}")
    weights = np.array(list(itertools.product(range(k + 1), repeat=k)), dtype=np.int64)
    return _codes(weights, k)


def depends_on_all(code, k):
    """True if the k-bit function ``code`` changes with every one of its k bits."""
    rows = np.arange(2 ** k)
    out = (code >> rows) & 1
    for bit in range(k):
        mask = 1 << (k - 1 - bit)                     # row i's bit ``bit`` (most significant first)
        if np.array_equal(out, out[rows ^ mask]):
            return False
    return True


def output_functions(k):
    """The positive threshold functions of k bits that use all k bits, one per permutation class.

    Returns a list of codes; permuting the hidden units permutes the output's
    bits, so one representative per class is enough.
    """
    seen, kept = set(), []
    perms = [np.array(p) for p in itertools.permutations(range(k))]
    X = all_inputs(k).astype(np.int64)
    place = 1 << np.arange(k - 1, -1, -1)
    for code in positive_threshold_functions(k):
        code = int(code)
        if code in seen or not depends_on_all(code, k):
            continue
        out = (code >> np.arange(2 ** k)) & 1
        for p in perms:
            rows = X[:, p] @ place                    # where row i lands under the permutation
            seen.add(int((out[rows] << np.arange(2 ** k)).sum()))
        kept.append(code)
    return kept
