"""Threshold counts by sorting, checked against networks run on every input (an independent way)."""
import numpy as np
import pytest

from expressivity.tasks import all_inputs
from expressivity.theory.counting import count_functions
from expressivity.theory.threshold import threshold_count
from expressivity.theory.threshold_sorted import (KNOWN, complement, count_until_stable, growth_table,
                                                  threshold_codes, two_unit_codes)


@pytest.mark.parametrize("n,m", [(1, 1), (2, 1), (3, 1), (3, 2), (4, 3)])
def test_sorted_codes_match_running_step_networks(n, m):
    # the same codes as every network step(w.x + b) with half-integer biases, run on all inputs
    weights = np.arange(-m, m + 1)
    biases = np.arange(-n * m, n * m + 2) - 0.5
    expected = count_functions((n, 1), weights, biases)["codes"]
    assert np.array_equal(threshold_codes(n, m).astype(np.int64), np.sort(expected))


def test_counts_stop_moving_at_the_known_values():
    for n in (1, 2, 3, 4):
        counts = count_until_stable(n)
        assert counts[-1][1] == counts[-2][1] == KNOWN[n] == threshold_count(n, 3)
    assert [c for _, c in count_until_stable(3)] == [56, 104, 104]   # m = 1 misses majority-like ones


def test_two_units_match_composition_through_every_2bit_threshold_function():
    n = 3
    T = threshold_codes(n, 2)
    rows = np.arange(2 ** n, dtype=np.uint64)
    bits = lambda c: ((c[:, None] >> rows) & np.uint64(1)).astype(np.int64)      # noqa: E731
    g_tables = [g for g in itertools_tables() if g not in ((0, 1, 1, 0), (1, 0, 0, 1))]
    assert len(g_tables) == 14
    A = bits(T)
    found = set()
    for g in g_tables:
        out = np.array(g)[2 * A[:, None, :] + A[None, :, :]]       # g(a(x), b(x)) for every pair
        found |= set((out.reshape(-1, 2 ** n) << np.arange(2 ** n)).sum(axis=1).tolist())
    assert set(two_unit_codes(n, T).astype(np.int64).tolist()) == found
    assert len(found) == 254                                        # all but parity and its negation


def itertools_tables():
    import itertools
    return list(itertools.product((0, 1), repeat=4))    # g(a, b) at rows (a, b) = 00, 01, 10, 11


def test_two_units_reach_every_function_of_two_bits_and_complement_is_an_involution():
    assert len(two_unit_codes(2, threshold_codes(2, 1))) == 16       # XOR needs exactly two units
    codes = threshold_codes(4, 3)
    assert np.array_equal(np.sort(complement(complement(codes, 4), 4)), codes)
    assert set(complement(codes, 4).tolist()) == set(codes.tolist())  # closed under negation


def test_growth_table_small():
    rows = growth_table(3)
    assert [r["threshold"] for r in rows] == [4, 14, 104]
    assert [r["two_units"] for r in rows] == [4, 16, 254]
    assert rows[2]["log2_functions"] == 8.0


@pytest.mark.parametrize("n,m", [(0, 1), (6, 1), (2, 0), (2, 1.5)])
def test_bad_input(n, m):
    with pytest.raises(ValueError, match="allowed"):
        threshold_codes(n, m)
    assert all_inputs(2).shape == (4, 2)
