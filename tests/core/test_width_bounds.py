"""Counting bounds and construction widths: against the exact n <= 4 table, hand arithmetic,
and the constructions' own layer sizes."""
import math

import pytest

from expressivity.claims.depth_vs_width.exact_table import exact_table
from expressivity.theory import inner_product_deep, parity_shallow, parity_tree
from expressivity.theory.width_bounds import (construction_width, counting_width, log2_nets_one_layer,
                                              log2_threshold_count)


def test_counts_by_hand():
    assert log2_threshold_count(4) == pytest.approx(math.log2(1882))
    assert log2_threshold_count(12) == 144                       # the m^2 upper bound past the table
    # one hidden unit on 4 bits: 1882 choices times 4 output functions of one bit
    assert log2_nets_one_layer(4, 1) == pytest.approx(math.log2(1882 * 4))
    assert counting_width(4) == 2                                # 1882*4 < 2^15 <= 1882^2*14/2


def test_counting_bound_is_below_the_exact_median_width():
    """More than half of all functions need >= counting_width units: check it on the exact table."""
    for n in (3, 4):
        table = exact_table(n)
        needing = table.loc[table["min_width"] >= counting_width(n), "functions"].sum()
        assert needing > 2 ** 2 ** n / 2


def test_bound_grows_and_depth_does_not_remove_it():
    one = [counting_width(n) for n in range(4, 15)]
    assert one == sorted(one) and one[-1] >= 50
    assert all(counting_width(n, "any") <= counting_width(n) for n in range(4, 15))
    assert counting_width(14, "any") >= 20


@pytest.mark.parametrize("n", range(2, 11))
def test_construction_widths_match_the_nets(n):
    assert construction_width("parity", n, 1) == sum(parity_shallow(n).sizes[1:-1])
    tree = parity_tree(n)
    assert construction_width("parity", n, len(tree.sizes) - 2) == sum(tree.sizes[1:-1])
    assert construction_width("inner_product", n, 2) == sum(inner_product_deep(n).sizes[1:-1])
    assert construction_width("majority", n, 3) == 1 and construction_width("random", n, 1) is None


def test_bad_input():
    with pytest.raises(ValueError, match="depth='two'"):
        counting_width(4, "two")
    with pytest.raises(ValueError, match="m=-1"):
        log2_threshold_count(-1)
