"""Threshold functions of n ≤ 5 bits by sorting, and what two threshold units compute.

One step unit ``step(w·x + b)`` with integer weights w in {−m … m}ⁿ computes,
as b varies, exactly the "top sets" of the sorted values w·x: the inputs whose
sum exceeds a cut placed between two distinct sums (or above / below all). So
for every weight vector we sort the 2ⁿ sums and read off each top set as one
integer code (bit i = row i, the convention of ``tables.table_codes``): no
bias is enumerated and no network is run. This is an implementation
independent of ``threshold.threshold_count`` (which runs networks), and it
reaches n = 5 (11⁵ weight vectors at m = 5 in well under a second).

The count grows with m until every threshold function has an integer
realisation with weights ≤ m; it is measured at increasing m until it stops
moving (a budget-bound number), then compared with OEIS A000609.

Two hidden threshold units and a threshold read-out compute g(a(x), b(x)) with
a, b threshold functions and g one of the 14 threshold functions of 2 bits
(all but XOR and XNOR). Threshold functions are closed under negation, so
that set is A ∪ ¬A with A = {a ∧ b}: ``two_unit_count`` counts it exactly.
"""
import itertools

import numpy as np

from expressivity.tasks import all_inputs

MAX_BITS = 5          # codes are 2ⁿ-bit integers: n = 5 fills 32 bits of a uint64
KNOWN = {1: 4, 2: 14, 3: 104, 4: 1882, 5: 94572}   # OEIS A000609
CHUNK = 1 << 16       # weight vectors per sort


def _check(n, max_weight):
    if not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_BITS:
        raise ValueError(f"n={n!r}; allowed: an integer 1..{MAX_BITS}")
    if not isinstance(max_weight, (int, np.integer)) or max_weight < 1:
        raise ValueError(f"max_weight={max_weight!r}; allowed: an integer >= 1")


def threshold_codes(n, max_weight):
    """Sorted unique codes (uint64) of every function step(w·x + b), w integer in [−m, m]ⁿ, b real."""
    _check(n, max_weight)
    X = all_inputs(n).astype(np.int64)                                   # (2ⁿ, n)
    span = np.arange(-max_weight, max_weight + 1)
    W = np.array(list(itertools.product(span, repeat=n)), dtype=np.int64)  # ((2m+1)ⁿ, n)
    bits = np.left_shift(np.uint64(1), np.arange(2 ** n, dtype=np.uint64))
    found = [np.zeros(1, np.uint64)]                                     # the empty top set
    for start in range(0, len(W), CHUNK):
        sums = W[start:start + CHUNK] @ X.T                              # (K, 2ⁿ)
        order = np.argsort(-sums, axis=1, kind="stable")
        ranked = np.take_along_axis(sums, order, axis=1)
        tops = np.cumsum(bits[order], axis=1, dtype=np.uint64)           # distinct bits: sum = OR
        cut = np.ones_like(ranked, dtype=bool)
        cut[:, :-1] = ranked[:, :-1] > ranked[:, 1:]                     # a cut only between distinct sums
        found.append(np.unique(tops[cut]))
    return np.unique(np.concatenate(found))


def count_until_stable(n, start=1, stop=8):
    """Counts at m = start, start+1, … until two consecutive m agree: list of (m, count)."""
    _check(n, start)
    counts = []
    for m in range(start, stop + 1):
        counts.append((m, len(threshold_codes(n, m))))
        if len(counts) >= 2 and counts[-1][1] == counts[-2][1]:
            return counts
    return counts


def complement(codes, n):
    """The negations of functions given by codes: (K,) uint64."""
    full = np.uint64((1 << 2 ** n) - 1)
    return np.bitwise_xor(np.asarray(codes, np.uint64), full)


def two_unit_codes(n, threshold):
    """Codes of every g(a, b) with a, b in ``threshold`` (codes) and g a threshold function of 2 bits."""
    T = np.asarray(threshold, np.uint64)
    if len(T) ** 2 > 4e7:
        raise ValueError(f"n={n!r}: {len(T)} threshold functions make {len(T) ** 2} pairs; "
                         f"allowed: at most 4e7 pairs (n <= 4)")
    ands = np.unique(np.bitwise_and(T[:, None], T[None, :]).ravel())
    return np.union1d(ands, complement(ands, n))


def growth_table(max_n, two_unit_max_n=4):
    """Per n: all functions 2^(2ⁿ), one threshold unit (count, stable m), two units (n ≤ 4).

    Returns a list of dicts with ``n``, ``functions``, ``threshold``, ``stable_at``,
    ``known``, ``two_units`` (None past ``two_unit_max_n``) and ``log2_*`` columns.
    """
    rows = []
    for n in range(1, max_n + 1):
        counts = count_until_stable(n)
        m, count = counts[-1]
        stable = len(counts) >= 2 and counts[-1][1] == counts[-2][1]
        two = len(two_unit_codes(n, threshold_codes(n, m))) if n <= two_unit_max_n else None
        functions = 2 ** 2 ** n
        rows.append({"n": n, "functions": functions, "threshold": count, "known": KNOWN.get(n),
                     "stable_at_m": m - 1 if stable else None, "counts_by_m": counts,
                     "two_units": two, "log2_functions": float(2 ** n),
                     "log2_threshold": float(np.log2(count)),
                     "log2_two_units": float(np.log2(two)) if two else None})
    return rows


def log2_threshold_bound(m, exact):
    """An upper bound on log2 of the number of threshold functions of m bits: the exact count
    where known (``exact``: {m: count}), else m² (Winder's bound |T_m| <= 2^(m²))."""
    return float(np.log2(exact[m])) if m in exact else float(m * m)


def universal_width_lower_bound(n, exact):
    """Smallest h for which one hidden layer of h step units could reach all 2^(2ⁿ) functions of
    n bits by counting: such a net computes at most |T_n|^h · |T_h| functions, so it needs
    h·log2|T_n| + log2|T_h| >= 2ⁿ. A lower bound on the width of any universal single layer."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r}; allowed: an integer >= 1")
    h = 1
    while h * log2_threshold_bound(n, exact) + log2_threshold_bound(h, exact) < 2 ** n:
        h += 1
    return h
