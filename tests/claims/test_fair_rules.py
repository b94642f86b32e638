"""Issue 10's changed rules, each made to say supported and refuted on synthetic tables."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from tests.support.jobs import construction_results
from expressivity.claims.counting import claim as counting
from expressivity.claims.linear import claim as linear
from expressivity.claims.stepsize import claim as stepsize
from expressivity.claims.universality import claim as universality


def test_linear_exists_is_the_theorem_check(tmp_path):
    rule = SimpleNamespace(collapse_tolerance=1e-12, floor_slack=1e-9)
    assert linear.exists_verdict(1e-16, False, 0.25, rule) == "supported"
    assert linear.exists_verdict(1e-6, False, 0.25, rule) == "refuted"         # collapse fails
    assert linear.exists_verdict(1e-16, True, 0.25, rule) == "refuted"         # XOR separable
    separable, count = linear.xor_separable(construction_results(tmp_path, ("linear_xor", {})))
    assert (separable, count) == (False, 14)   # 14 threshold functions of 2 bits: all but XOR, XNOR


def _summary(identity_fits=0, identity_min=0.25, control_fits=(5, 0)):
    rows = [{"activation": "identity", "depth": d, "fits": identity_fits, "flagged": identity_fits,
             "min_loss": identity_min} for d in (1, 2)]
    rows += [{"activation": "sigmoid", "depth": d, "fits": f, "flagged": f, "min_loss": 0.1}
             for d, f in zip((1, 2), control_fits)]
    return pd.DataFrame(rows)


def test_linear_training_ignores_the_control_and_can_fail():
    rule = SimpleNamespace(floor_slack=1e-9)
    assert linear.identity_verdict(_summary(), 0.25, rule) == "supported"
    assert linear.training_verdict(_summary(), 0.25, rule) == "mixed"          # the rule before: control decides
    assert linear.identity_verdict(_summary(identity_fits=1), 0.25, rule) == "refuted"
    assert linear.identity_verdict(_summary(identity_min=0.2), 0.25, rule) == "refuted"


def _pairs(outcomes):
    return pd.DataFrame([{"task": t, "schedule": s, "median": 1.0, "outcome": o}
                         for (t, s), o in outcomes.items()])


def test_stepsize_rule_by_task():
    better = {("sin", "exp"): "better", ("sin", "inv"): "tie", ("parity", "exp"): "better", ("parity", "inv"): "tie"}
    assert stepsize.task_verdict(_pairs(better)) == "supported"
    assert stepsize.verdict(_pairs(better)) == "mixed"                       # the rule before: every pair
    ties = {k: "tie" for k in better}
    assert stepsize.task_verdict(_pairs(ties)) == "refuted"
    assert stepsize.task_verdict(_pairs({**better, ("parity", "inv"): "worse"})) == "mixed"
    worse = {k: "worse" for k in better}
    assert stepsize.task_verdict(_pairs(worse)) == "refuted"


def _thresholds(two=(4, 16, 254, 41614), known=(4, 14, 104, 1882, 94572), counted=None):
    counted = list(known if counted is None else counted)
    n = np.arange(1, 6)
    functions = 2.0 ** (2.0 ** n)
    two = list(two) + [np.nan]
    return pd.DataFrame({"n": n, "counted": counted, "known": list(known),
                         "counted_by_networks": counted[:4] + [None], "stable_at_m": [1, 1, 2, 3, 5],
                         "threshold_share": np.array(counted) / functions,
                         "two_unit_share": np.array(two) / functions})


def _arch(shares):
    return pd.DataFrame({"n": [3, 4, 5], "hidden": "[2]", "networks": [10 ** 6] * 3,
                         "functions": [256, 65536, 2 ** 32], "distinct": [10, 20, 30], "share_of_all": shares})


def test_counting_rule_with_small_net_shares():
    rule = SimpleNamespace(max_share_at_largest_n=0.01)
    assert counting.verdict(_arch([0.2, 0.01, 1e-5]), _thresholds(), rule) == "supported"
    # two units' share not falling: mixed
    assert counting.verdict(_arch([0.2, 0.01, 1e-5]), _thresholds(two=(4, 16, 100, 65536)), rule) == "mixed"
    # a count at n = 5 off the known sequence: inconclusive
    bad = _thresholds(counted=(4, 14, 104, 1882, 94000))
    assert counting.verdict(_arch([0.2, 0.01, 1e-5]), bad, rule) == "inconclusive"
    assert counting.verdict_before(_arch([0.2, 0.01, 1e-5]), bad, rule) == "supported"    # saw only n <= 4
    assert counting.verdict(_arch([0.2, 0.3, 0.5]), _thresholds(), rule) == "mixed"


def test_universality_counting_bound_can_contradict():
    parity = pd.DataFrame({"exact": [True]})
    dnf = pd.DataFrame({"wrong": [0, 0], "widest_used": [1, 2], "architecture_width": [1, 2],
                        "counting_lower_bound": [1, 1]})
    assert universality.verdict(dnf, parity) == "supported"
    assert universality.verdict(dnf.assign(counting_lower_bound=[1, 3]), parity) == "inconclusive"
    assert universality.verdict(dnf.assign(wrong=[0, 1]), parity) == "refuted"


def test_counting_rule_v3_can_refute():
    rule = SimpleNamespace(max_share_at_largest_n=0.01)
    assert counting.verdict_v3(_arch([0.2, 0.01, 1e-5]), _thresholds(), rule) == "supported"
    violated = _arch([0.2, 0.01, 1e-5]).assign(distinct=[10, 20, 2 * 10 ** 6])   # more than k^N
    assert counting.verdict_v3(violated, _thresholds(), rule) == "refuted"
    assert counting.verdict(violated, _thresholds(), rule) == "inconclusive"          # v2 could not
    assert counting.verdict_v3(_arch([0.2, 0.3, 0.5]), _thresholds(), rule) == "refuted"   # rising share
    assert counting.verdict_v3(_arch([0.2, 0.3, 0.005]), _thresholds(), rule) == "mixed"
    bad = _thresholds(counted=(4, 14, 104, 1882, 94000))
    assert counting.verdict_v3(_arch([0.2, 0.01, 1e-5]), bad, rule) == "inconclusive"


def test_approximation_training_rule_v2_can_refute():
    from expressivity.claims.approximation import claim as approximation
    rule = SimpleNamespace(max_spearman=-0.8)
    assert approximation.training_verdict({"square": -1.0, "sin": -0.9}, rule) == "supported"
    assert approximation.training_verdict({"square": 0.2, "sin": -0.5}, rule) == "refuted"
    assert approximation.training_verdict({"square": 0.2, "sin": -0.5}, rule, refute=False) == "mixed"
    assert approximation.training_verdict({"square": -1.0, "sin": 0.5}, rule) == "mixed"


def test_bias_existence_v4_leaves_unknown_functions_open():
    from expressivity.claims.bias.cells import decide_exists
    table = pd.DataFrame({"encoding": ["01", "pm1"], "activation": ["relu", "tanh"], "n": [3, 3],
                          "lost_without_bias": [2, 0], "unknown": [0, 5], "contradictions": [0, 0]})
    assert decide_exists(table) == "mixed"                                   # v3: unknown = not lost
    assert decide_exists(table, unknown_open=True) == "inconclusive"
    assert decide_exists(table.assign(unknown=[0, 0]), unknown_open=True) == "mixed"
    assert decide_exists(table.assign(lost_without_bias=[0, 0], unknown=[0, 0]), unknown_open=True) == "refuted"
    assert decide_exists(table.assign(lost_without_bias=[1, 1]), unknown_open=True) == "supported"
