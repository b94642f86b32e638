"""product, training side: minimal trained widths and the rule, on synthetic tables."""
import numpy as np
import pandas as pd

from expressivity.claims.product_train import decide, minimal_widths, target_variance


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
