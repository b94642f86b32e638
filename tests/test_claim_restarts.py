"""Claim `restarts`: synthetic member tables made so the rule must say refuted,
supported or mixed; the analysis end to end on one of them."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims import restarts
from claimkit import analyse, rule_of
from expressivity.results import Results

RULE = rule_of("restarts")
TRIALS = 100


def members(successes):
    """successes: {(task.name, n, activation): {width: fitted count out of TRIALS}}."""
    rows = []
    for (name, n, activation), by_width in successes.items():
        for width, count in by_width.items():
            for member in range(TRIALS):
                fitted = member < count
                rows.append({"task.name": name, "task.n": n, "task.seed": 0, "model.activation": activation,
                             "width": width, "member": member, "fitted": fitted,
                             "accuracy": 1.0 if fitted else 1 - 1 / 2 ** n,
                             "final_loss": 0.01 if fitted else 0.0625 + member * 1e-4,
                             "grad_norm_final.0": 1e-2 if fitted else 1e-5, "grad_norm_final.1": 0.0,
                             "grad_norm_init.0": 0.1, "grad_norm_init.1": 0.0})
    return pd.DataFrame(rows)


RISING = {1: 0, 2: 20, 8: 60, 32: 95}
FALLING = {1: 0, 2: 70, 8: 40, 32: 5}
FLAT = {1: 0, 2: 50, 8: 52, 32: 48}


def verdict_of(successes):
    frame = members(successes)
    frame["cell"] = restarts.task_labels(frame)
    rates = restarts.rate_table(frame, ["cell", "model.activation", "width"])
    return restarts.decide(restarts.cell_trends(rates), RULE.min_cells)


def test_success_rising_with_width_refutes_the_essay():
    verdict, numbers = verdict_of({("parity", 2, "sigmoid"): RISING, ("parity", 3, "relu"): RISING,
                                   ("parity", 4, "relu"): FLAT})
    assert verdict == "refuted"
    assert numbers["cells_rising"] == 2 and numbers["cells_flat"] == 1


def test_success_falling_with_width_supports_it():
    verdict, _ = verdict_of({("parity", 2, "sigmoid"): FALLING, ("parity", 3, "relu"): FALLING})
    assert verdict == "supported"


def test_rising_in_one_cell_and_falling_in_another_is_mixed():
    assert verdict_of({("parity", 2, "sigmoid"): RISING, ("parity", 3, "relu"): FALLING})[0] == "mixed"


def test_flat_or_too_few_cells_is_inconclusive():
    assert verdict_of({("parity", 2, "sigmoid"): FLAT, ("parity", 3, "relu"): FLAT})[0] == "inconclusive"
    assert verdict_of({("parity", 2, "sigmoid"): RISING})[0] == "inconclusive"   # min_cells = 2


def test_the_smallest_fitting_width_is_the_first_with_a_success():
    frame = members({("parity", 3, "relu"): {1: 0, 2: 0, 3: 10, 32: 90}})
    frame["cell"] = restarts.task_labels(frame)
    trends = restarts.cell_trends(restarts.rate_table(frame, ["cell", "model.activation", "width"]))
    assert trends.loc[0, "smallest_fitting_width"] == 3 and trends.loc[0, "trend"] == "rises"


def test_restarts_needed_follow_the_rate_and_its_bounds():
    frame = members({("parity", 2, "sigmoid"): {2: 20, 32: 100}})
    frame["cell"] = restarts.task_labels(frame)
    rates = restarts.success_rates(frame, 0.99).set_index("width")
    # 20 of 100: ln(0.01)/ln(0.8) = 20.6 -> 21 restarts; the Wilson bounds (0.133, 0.289) give 14..33
    assert rates.loc[2, "restarts_needed"] == 21
    assert (rates.loc[2, "needed_low"], rates.loc[2, "needed_high"]) == (14, 33)
    assert rates.loc[32, "restarts_needed"] == 1 and rates.loc[32, "needed_high"] == 2
    assert rates.loc[2, "p_best_of_1000"] == pytest.approx(1 - 0.8 ** 1000)


def test_analysis_end_to_end(tmp_path):
    frame = members({("parity", 2, "sigmoid"): RISING, ("random", 4, "relu"): RISING})
    finding = analyse("restarts", Results(frame, pd.DataFrame(), pd.DataFrame()), tmp_path)
    assert finding.verdict == "refuted"
    for name in finding.figures:
        assert (tmp_path / name).stat().st_size > 1000
    assert finding.numbers["median_final_grad_norm_failed"] == pytest.approx(1e-5)
    assert finding.numbers["restarts_total"] == 2 * 4 * TRIALS
    assert np.isfinite(finding.numbers["median_final_loss_failed"])


def test_failures_at_the_largest_width_count_the_rows_still_wrong():
    frame = restarts._prepare(members({("parity", 4, "sigmoid"): {2: 50, 32: 10}}))
    profile = restarts.failures_at_largest_width(frame).iloc[0]
    assert profile["failed_at_largest"] == 90 and profile["failed_rows_wrong"] == 1
    assert profile["failed_grad_norm"] == pytest.approx(1e-5)
    assert profile["failed_grad_drop"] == pytest.approx(1e-4)


def test_best_of_k_table_takes_the_expected_minimum():
    frame = restarts._prepare(members({("parity", 2, "relu"): {2: 0}}))   # losses 0.0625 + m*1e-4
    row = restarts.best_of_k_table(frame).iloc[0]
    assert row["best of 1"] == pytest.approx(0.0625 + 1e-4 * np.mean(np.arange(TRIALS)))   # the mean
    assert row["best of 100"] == pytest.approx(0.0625)                                    # the minimum
    assert row["best of 1"] > row["best of 10"] > row["best of 100"]
