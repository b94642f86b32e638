"""depth_vs_width rules on synthetic tables: each verdict reachable, budget-bound widths never
make growth exponential, and the evidence tables parse real job rows."""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from expressivity.claims.depth_vs_width.evidence import existence, searches, trained
from expressivity.claims.depth_vs_width.rules import decide_exists_on, decide_training_on, depth_ratio

RULE = SimpleNamespace(aic_margin=2.0, min_n=3)
RANDOM_N, STRUCTURED_N = range(3, 11), range(3, 13)
RANDOM = lambda n: np.ceil(2 ** n / n)


def table(widths, converged=True, depth=1):
    """widths: {function: f(n) -> width or None}; three seeds per random n."""
    rows = []
    for function, width_of in widths.items():
        for n in (RANDOM_N if function == "random" else STRUCTURED_N):
            for seed in ((0, 1, 2) if function == "random" else (0,)):
                w = width_of(n)
                ok = converged(function, n) if callable(converged) else converged
                rows.append({"function": function, "task_seed": seed, "seed": 0, "n": n, "depth": depth,
                             "shape": "uniform", "min_width": np.nan if w is None else float(w) * (1 + 0.05 * seed),
                             "censored": w is None, "converged": ok and w is not None,
                             "bound": (not ok) and w is not None, "max_width": 256,
                             "min_parameters": np.nan if w is None else (n + 2) * w + 1,
                             "epochs": 1000, "restarts": 8})
    return pd.DataFrame(rows)


STRUCTURED = {"parity": lambda n: n, "majority": lambda n: 1}


def test_training_supported_refuted_mixed():
    assert decide_training_on(table({"random": RANDOM, **STRUCTURED}), RULE)[0] == "supported"
    assert decide_training_on(table({"random": lambda n: n ** 2, **STRUCTURED}), RULE)[0] == "refuted"
    mixed = decide_training_on(table({"random": RANDOM, "parity": lambda n: 2 ** (n - 2),
                                      "majority": lambda n: 1}), RULE)
    assert mixed[0] == "mixed" and mixed[1]["parity.class"] == "exponential"


def test_budget_bound_widths_cannot_make_growth_exponential():
    unsettled = lambda f, n: not (f == "random" and n == 10)
    verdict, numbers = decide_training_on(table({"random": RANDOM, **STRUCTURED}, converged=unsettled), RULE)
    assert verdict == "inconclusive" and numbers["random.class"] == "exponential (unsettled)"
    # ... but upper bounds that grow polynomially do show "not exponential"
    bounds = lambda f, n: f != "parity"
    verdict, numbers = decide_training_on(table({"random": RANDOM, **STRUCTURED}, converged=bounds), RULE)
    assert verdict == "supported" and not numbers["parity.converged_at_largest_n"]
    # polynomial upper bounds on random tables refute: more budget can only lower them
    assert decide_training_on(table({"random": lambda n: n ** 2, **STRUCTURED},
                                    converged=lambda f, n: f != "random"), RULE)[0] == "refuted"


def test_a_search_without_any_fit_leaves_the_class_unsettled():
    capped = lambda n: None if n == 10 else RANDOM(n)
    verdict, numbers = decide_training_on(table({"random": capped, **STRUCTURED}), RULE)
    assert verdict == "inconclusive" and numbers["random.class"] == "exponential (unsettled)"
    plateau = lambda n: None if n == 12 else n                   # parity stuck at its largest n
    verdict, numbers = decide_training_on(table({"random": RANDOM, "parity": plateau,
                                                 "majority": lambda n: 1}), RULE)
    assert verdict == "inconclusive" and numbers["parity.censored"]


def test_too_few_n_is_inconclusive():
    short = table({"random": RANDOM, **STRUCTURED})
    assert decide_training_on(short[short["n"] <= 4], RULE)[0] == "inconclusive"


def exist_frame(worst, parity=lambda n: n, ns=range(4, 13)):
    rows = [{"function": "half of all", "n": n, "lower_bound_depth1": worst(n)} for n in ns]
    rows += [{"function": "parity", "n": n, "construction_depth1": parity(n)} for n in ns]
    rows += [{"function": "majority", "n": n, "construction_depth1": 1} for n in ns]
    return pd.DataFrame(rows)


def test_existence_rule_each_way():
    assert decide_exists_on(exist_frame(lambda n: 2 ** n / n ** 2), RULE)[0] == "supported"
    assert decide_exists_on(exist_frame(lambda n: n), RULE)[0] == "refuted"
    assert decide_exists_on(exist_frame(lambda n: 2 ** n / n ** 2, parity=lambda n: 2 ** (n - 1)), RULE)[0] == "mixed"


def test_existence_on_the_real_bounds():
    frame = existence(pd.DataFrame(columns=["function", "n", "min_width"]), range(4, 13))
    verdict, numbers = decide_exists_on(frame, RULE)
    assert verdict == "supported" and numbers["worst.class"] == "exponential"
    assert numbers["parity.class"] == "polynomial" and numbers["majority.class"] == "constant"


def test_depth_ratio_and_trained_summary():
    deep = pd.concat([table({"parity": lambda n: n}), table({"parity": lambda n: 3}, depth=2)])
    summary = trained(deep)
    assert set(summary.columns) >= {"median", "min", "max", "converged", "bounds"}
    ratio, n = depth_ratio(summary, "parity")
    assert n == 12 and ratio == pytest.approx((14 * 3 + 1) / (14 * 12 + 1))


def test_searches_parse_job_rows():
    jobs = pd.DataFrame([{"task.name": "parity", "task.seed": 0, "task.n": 8, "model.depth": 1, "seed": 1,
                          "summary.min_width": 7, "summary.min_widths": "[26, 16, 7]",
                          "summary.budgets": "[[1000, 8], [3000, 8], [10000, 16]]", "summary.converged": False,
                          "summary.max_width": 64, "summary.min_parameters": 71,
                          "summary.non_monotone": "[{'level': 0, 'width': 27}]", "summary.shape": "uniform"}])
    row = searches(jobs).iloc[0]
    assert row["bound"] and not row["converged"] and row["epochs"] == 10000 and row["restarts"] == 16
    assert row["widths_by_budget"] == [26, 16, 7] and row["non_monotone"] == 1


# Rule v3: agreement within a tolerance, and the construction envelope for structured functions.
V3 = SimpleNamespace(aic_margin=2.0, min_n=3, agree_units=1, agree_share=0.1, envelope_factor=2.0)


def budgets(frame, last_two):
    """Give every search the answers ``last_two(function, n, width)`` at its last two budgets."""
    frame = frame.copy()
    frame["widths_by_budget"] = [list(last_two(f, n, w)) for f, n, w in
                                 zip(frame["function"], frame["n"], frame["min_width"])]
    return frame


def test_settled_means_the_last_two_budgets_within_one_unit_or_ten_percent():
    from expressivity.claims.depth_vs_width.rules import settled
    assert settled([37, 28, 27], 1, 0.1) and settled([9, 9], 1, 0.1) and settled([40, 36], 1, 0.1)
    assert not settled([31, 27], 1, 0.1) and not settled([5, 3], 1, 0.1)
    assert not settled([27], 1, 0.1) and not settled([None, 27], 1, 0.1)


def test_v3_supported_when_random_settles_within_tolerance_and_parity_stays_in_its_envelope():
    from expressivity.claims.depth_vs_width.rules import decide_training_v3_on
    # random: exponential widths whose last two budgets differ by one unit (v2: bounds, unsettled);
    # parity: widths 1.6 n, budget bounds whose growth the models cannot class (v2: not supported).
    frame = table({"random": RANDOM, "parity": lambda n: round(1.6 * n) if n < 12 else 19,
                   "majority": lambda n: 1}, converged=lambda f, n: f == "majority")
    frame = budgets(frame, lambda f, n, w: (w + 1, w) if f == "random" else (w + 6, w))
    v2, numbers_v2 = decide_training_on(frame, V3)
    assert v2 == "inconclusive" and numbers_v2["random.class"].endswith("(unsettled)")
    v3, numbers = decide_training_v3_on(frame, V3)
    assert v3 == "supported", numbers
    assert numbers["random.class"] == "exponential" and numbers["parity.within_envelope"]
    assert numbers["parity.envelope_ratio"] == pytest.approx(5 / 3)   # round(1.6 * 3) / 3, the largest


def test_v3_refuted_and_mixed_and_the_envelope_can_fail():
    from expressivity.claims.depth_vs_width.rules import decide_training_v3_on
    settle = lambda f, n, w: (w, w)
    refuted = budgets(table({"random": lambda n: n ** 2, **STRUCTURED}), settle)
    assert decide_training_v3_on(refuted, V3)[0] == "refuted"
    # parity at 2^(n-2) leaves twice its n-unit construction: the envelope does not rescue it
    mixed = budgets(table({"random": RANDOM, "parity": lambda n: 2 ** (n - 2), "majority": lambda n: 1}), settle)
    verdict, numbers = decide_training_v3_on(mixed, V3)
    assert verdict == "mixed" and not numbers["parity.within_envelope"]
    assert numbers["parity.envelope_ratio"] > V3.envelope_factor
    # random widths still falling by more than the tolerance stay unsettled: inconclusive
    falling = budgets(table({"random": RANDOM, **STRUCTURED}, converged=lambda f, n: f != "random"),
                      lambda f, n, w: (2 * w, w))
    assert decide_training_v3_on(falling, V3)[0] == "inconclusive"
