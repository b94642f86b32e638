"""product, training side: minimal trained widths and the rule, on synthetic tables."""
import numpy as np
import pytest
import pandas as pd

from expressivity.claims.product.training import decide, minimal_widths, target_variance


def _cells(rel):
    """rel: {(n, depth): [best rel mse at widths 1, 2, 4, 8]}."""
    rows = []
    for (n, depth), values in rel.items():
        for width, v in zip((1, 2, 4, 8), values):
            rows.append({"n": n, "depth": depth, "width": width, "best_rel_mse": v})
    return pd.DataFrame(rows)


def test_minimal_width_is_the_smallest_width_under_tolerance():
    m = minimal_widths(_cells({(3, 1): [0.9, 0.5, 0.01, 0.001], (3, 2): [0.9, 0.2, 0.3, 0.2]}), 0.05)
    by = m.set_index("depth")
    assert by.loc[1, "min_width"] == 4 and by.loc[1, "min_units"] == 4
    assert not by.loc[2, "learned"] and np.isnan(by.loc[2, "min_width"]) and by.loc[2, "largest_width"] == 8


def test_rule_supported_refuted_mixed_inconclusive():
    deep_wins = {(3, 1): [1, 1, 0.01, 0.01], (3, 2): [0.01, 0.01, 0.01, 0.01],
                 (4, 1): [1, 1, 1, 1], (4, 2): [1, 1, 0.01, 0.01]}
    assert decide(minimal_widths(_cells(deep_wins), 0.05), {}) == "supported"
    shallow_wins = {(3, 1): [1, 0.01, 0.01, 0.01], (3, 2): [1, 1, 1, 0.01],
                    (4, 1): [1, 0.01, 0.01, 0.01], (4, 2): [1, 1, 1, 1]}
    assert decide(minimal_widths(_cells(shallow_wins), 0.05), {}) == "refuted"
    split = {**deep_wins, (4, 1): [1, 0.01, 0.01, 0.01], (4, 2): [1, 1, 1, 1]}
    assert decide(minimal_widths(_cells(split), 0.05), {}) == "mixed"
    none = {**deep_wins, (4, 1): [1, 1, 1, 1], (4, 2): [1, 1, 1, 1]}
    assert decide(minimal_widths(_cells(none), 0.05), {}) == "inconclusive"


def test_target_variance_close_to_closed_form():
    # Var(x1 x2) for independent uniforms on [-1, 1] is (1/3)^2
    row = {"task.n": 2, "task.points": 4096, "task.sampling": "uniform", "task.seed": 0}
    assert abs(target_variance(row) - 1 / 9) < 0.01


def _budgeted(rel, epochs):
    cells = _cells(rel)
    cells["epochs"] = epochs
    return cells


def test_the_bounded_rule_decides_from_the_n_that_are_not_two_bounds():
    from expressivity.claims.product.training import compare_bounded, decide_bounded
    # n = 3: deep learns at 2 units, shallow never (bound > 8); n = 4: both bounds.
    deep_at_3 = {(3, 1): [1, 1, 1, 1], (3, 2): [1, 0.01, 0.01, 0.01],
                 (4, 1): [1, 1, 1, 1], (4, 2): [1, 1, 1, 1]}
    m = minimal_widths(_budgeted(deep_at_3, 8000), 0.05)
    assert compare_bounded(m) == {3: "deep", 4: "bounds"}
    assert decide_bounded(m) == "supported" and decide(m, {}) == "inconclusive"   # old rule
    shallow_at_3 = {**deep_at_3, (3, 1): [1, 0.01, 0.01, 0.01], (3, 2): [1, 1, 1, 1]}
    assert decide_bounded(minimal_widths(_budgeted(shallow_at_3, 8000), 0.05)) == "refuted"
    nothing = {**deep_at_3, (3, 2): [1, 1, 1, 1]}
    assert decide_bounded(minimal_widths(_budgeted(nothing, 8000), 0.05)) == "inconclusive"
    # Deep learning only with more units (2 x 8) than the shallow grid's largest (8) decides nothing.
    late = {**deep_at_3, (3, 2): [1, 1, 1, 0.01]}
    assert compare_bounded(minimal_widths(_budgeted(late, 8000), 0.05))[3] == "bounds"


def test_each_cell_is_read_at_its_largest_budget_and_the_ladder_shows_both():
    from expressivity.claims.product.training import ladder, top_budget
    short = _budgeted({(3, 1): [1, 1, 0.2, 0.2]}, 2000)
    long = _budgeted({(3, 1): [1, 1, 0.2, 0.01]}, 8000)
    long = long[long["width"] == 8]
    cells = pd.concat([short, long], ignore_index=True)
    assert len(top_budget(cells)) == 4
    m = minimal_widths(cells, 0.05)
    assert m["min_width"].iloc[0] == 8 and m["epochs"].iloc[0] == 8000
    lad = ladder(cells)
    assert lad[["best_rel_mse_at_2000", "best_rel_mse_at_8000"]].iloc[0].tolist() == [0.2, 0.01]


def test_rule_v4_counts_two_bounds_both_ways_and_says_inconclusive_budget():
    from types import SimpleNamespace

    from expressivity.claims.product import claim as product
    from tests.support.claimkit import rule_of
    rule = rule_of("product")
    deep_at_3 = {(3, 1): [1, 1, 1, 1], (3, 2): [1, 0.01, 0.01, 0.01],
                 (4, 1): [1, 1, 1, 1], (4, 2): [1, 1, 1, 1]}
    short = _budgeted({**deep_at_3, (4, 2): [1, 1, 1, 0.5]}, 2000)
    cells = pd.concat([short, _budgeted(deep_at_3, 8000)], ignore_index=True)
    ev = SimpleNamespace(minimal=minimal_widths(cells, 0.01), cells=cells, half=minimal_widths(cells, 0.01))
    d = product.decide_training(ev, rule)
    assert d.verdict == "inconclusive: budget" and d.sensitivity == "mixed"     # n = 4 as shallow
    assert d.budget["budget"] == 8000 and d.budget["rate per 1000"] == pytest.approx(0.5 / 6)
    assert product.decide_training_ladder(ev, rule).verdict == "supported"        # v3: n = 4 left out
    both_deep = {**deep_at_3, (4, 2): [1, 0.01, 0.01, 0.01]}
    settled = _budgeted(both_deep, 8000)
    ev = SimpleNamespace(minimal=minimal_widths(settled, 0.01), cells=settled,
                         half=minimal_widths(settled, 0.01))
    assert product.decide_training(ev, rule).verdict == "supported"
    shallow = {(3, 1): [1, 0.01, 0.01, 0.01], (3, 2): [1, 1, 1, 1], (4, 1): [1, 0.01, 0.01, 0.01],
               (4, 2): [1, 1, 1, 1]}
    lost = _budgeted(shallow, 8000)
    ev = SimpleNamespace(minimal=minimal_widths(lost, 0.01), cells=lost, half=minimal_widths(lost, 0.01))
    assert product.decide_training(ev, rule).verdict == "refuted"
