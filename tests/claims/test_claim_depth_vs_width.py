"""Claim `depth_vs_width` through the engine: synthetic converged_width job tables that make the
training rule say supported, refuted and inconclusive; the existence side from the exact table,
counting bounds and constructions; the first registered rule shown beside; figures written."""
import numpy as np
import pandas as pd

from tests.support.claimkit import analyse, rule_of
from expressivity.storage.results import Results

RULE = rule_of("depth_vs_width")


def jobs(widths, depths=(1,), converged=True):
    """widths: {function: f(n, depth) -> minimal width or None (no fit up to the cap)}."""
    rows = []
    for function, width_of in widths.items():
        ns = range(4, 11) if function == "random" else range(4, 13)
        for n in ns:
            for depth in depths:
                for table in ((0, 1) if function == "random" else (0,)):
                    w = width_of(n, depth)
                    w = None if w is None else int(round(w * (1 + 0.1 * table)))
                    ok = converged and w is not None
                    rows.append({"task.name": function, "task.seed": table, "task.n": n, "model.depth": depth,
                                 "seed": 0, "summary.min_width": w,
                                 "summary.min_widths": str([w if ok else (None if w is None else 2 * w), w]),
                                 "summary.budgets": "[[2000, 4], [8000, 8]]", "summary.converged": ok,
                                 "summary.max_width": 128,
                                 "summary.min_parameters": None if w is None else (n + 2) * w + 1,
                                 "summary.non_monotone": "[]", "summary.shape": "uniform"})
    return pd.DataFrame(rows)


def results(widths, **kw):
    return Results(pd.DataFrame(), pd.DataFrame(), jobs(widths, **kw))


RANDOM = lambda n, d: np.ceil(2 ** n / n)
STRUCTURED = {"parity": lambda n, d: n if d == 1 else max(2, n // 2), "majority": lambda n, d: 1}


def test_supported_on_both_sides(tmp_path):
    finding = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}, depths=(1, 2)), tmp_path)
    assert finding.exists.verdict == "verified" and finding.training.verdict == "supported"
    assert finding.exists.numbers["exact.max_width.n4"] == 4
    assert finding.training.numbers["parity.depth_parameter_ratio"] < 1
    assert all((tmp_path / name).exists() for name in finding.figures) and len(finding.figures) == 3
    assert any("23920" in table for table in finding.tables)        # the exact histogram is shown
    assert len(finding.registered) == 4                              # exists v2; training v1, v2, v3


def test_polynomial_random_tables_refute_training(tmp_path):
    finding = analyse("depth_vs_width", results({"random": lambda n, d: n ** 2, **STRUCTURED}), tmp_path)
    assert finding.training.verdict == "refuted" and finding.exists.verdict == "verified"


def test_budget_bounds_and_caps_leave_training_inconclusive(tmp_path):
    bound = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}, converged=False), tmp_path)
    assert bound.training.verdict == "inconclusive"
    capped = analyse("depth_vs_width", results({"random": RANDOM, "majority": lambda n, d: 1,
                                                "parity": lambda n, d: None if n == 12 else n}), tmp_path)
    assert capped.training.verdict == "inconclusive" and capped.training.numbers["parity.censored"]


def test_existence_rule_can_fail(tmp_path):
    """Rule numbers that leave too few n make the existence side undecidable."""
    finding = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}), tmp_path,
                      exist_n_min=4, exist_n_max=5)
    assert finding.exists.verdict == "inconclusive"
