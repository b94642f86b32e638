"""The first registered depth_vs_width rule, kept for the report: synthetic jobs for each verdict."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from expressivity.claims.depth_vs_width.v1 import decide_v1

RULE = SimpleNamespace(growth_factor=1.4, r2_min=0.9, min_n=3)


def jobs(widths):
    rows = []
    for function, width_of in widths.items():
        for n in range(3, 9):
            w = width_of(n)
            rows.append({"task.name": function, "task.n": n, "model.depth": 1,
                         "summary.min_width": w, "summary.max_width": 64})
    return pd.DataFrame(rows)


def test_each_verdict():
    random, parity, majority = (lambda n: max(1, round(2 ** n / (2 * n)))), (lambda n: n), (lambda n: 1)
    assert decide_v1(jobs({"random": random, "parity": parity, "majority": majority}), RULE).verdict == "supported"
    assert decide_v1(jobs({"random": lambda n: n, "parity": parity, "majority": majority}), RULE).verdict == "refuted"
    mixed = decide_v1(jobs({"random": random, "parity": lambda n: 2 ** (n - 2), "majority": majority}), RULE)
    assert mixed.verdict == "mixed" and mixed.numbers["parity.class_v1"] == "exponential"
    capped = decide_v1(jobs({"random": lambda n: None if n > 6 else random(n), "parity": parity,
                             "majority": majority}), RULE)
    assert capped.numbers["random.growth_factor"] > 1.4 and np.isfinite(capped.numbers["random.r2"])
