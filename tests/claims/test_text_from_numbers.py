"""Issue 19, point 7: sentences that state a finding are computed from the run's numbers. Each
test renders a claim's text on synthetic evidence that contradicts the old template's wording
and checks that the sentence follows the numbers."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from tests.support.claimkit import rule_of
from expressivity.claims.depth_vs_width import text as depth_report
from expressivity.claims.stepsize import claim as stepsize
from expressivity.claims.contract import Decision


def _existence(any_depth):
    ns = np.arange(4, 13)
    return pd.DataFrame({"function": "half of all", "n": ns, "lower_bound_depth1": 2.0 ** ns / ns,
                         "lower_bound_any_depth": [any_depth(n) for n in ns]})


def test_the_any_depth_sentence_follows_the_any_depth_bound():
    rule = rule_of("depth_vs_width")
    exponential = depth_report.any_depth_clause(_existence(lambda n: 2.0 ** n / n), rule)
    assert "any depth is exponential too" in exponential and "at n = 12" in exponential
    polynomial = depth_report.any_depth_clause(_existence(lambda n: float(n * n)), rule)
    assert "exponential" not in polynomial and "is polynomial" in polynomial   # the old template lied here
    missing = depth_report.any_depth_clause(_existence(lambda n: np.nan), rule)
    assert "not computed" in missing


def _pairs(outcome, half, iqr=0.5):
    return pd.DataFrame([{"task": "parity", "schedule": "exp", "median": 0.002, "constant_median": 0.001,
                          "ratio": 2.0, "cumulative_ratio": 0.9, "iqr_ratio": iqr, "outcome": outcome,
                          "half_budget_ratio": half}])


def _text(pairs):
    table = pd.DataFrame([{"task": "parity", "schedule": s, "lr": 0.1, "diverged": 0}
                          for s in ("constant", "exp")])
    ev = SimpleNamespace(pairs=pairs, table=table, curves=pd.DataFrame())
    decisions = {"training": Decision("mixed"), "exists": Decision("not tested")}
    return stepsize.text(ev, decisions, rule_of("stepsize"))


def test_the_decay_explanation_follows_when_the_gap_opened():
    late = _text(_pairs("worse", half=0.98))      # equal at half budget: no early plateau
    assert "early plateau" not in late.replace("not training held on an early plateau", "")
    assert "the gap opened late" in late
    early = _text(_pairs("worse", half=3.0))
    assert "already x3 worse at half the budget" in early and "slowed it early" in early
    better = _text(_pairs("better", half=1.0, iqr=1.4))
    assert "not by damping the jumps" in better and "damped the jumps)" not in better
    assert "the decay damped the jumps" in _text(_pairs("better", half=1.0, iqr=0.5))
