"""Shared summaries of the claim analyses, against brute force and closed forms."""
import itertools

import numpy as np
import pandas as pd
import pytest

from expressivity.claims.best_of_k import expected_best, prob_any_success
from expressivity.claims.stats import bootstrap_interval, wilson_interval
from expressivity.claims.summaries import (loglinear_fit, markdown, median_interval, order, rate_table,
                                           task_labels)


def test_expected_best_of_k_equals_the_average_over_every_subset():
    values = np.array([0.3, 0.1, 0.7, 0.2, 0.9, 0.5])
    for k in range(1, 7):
        brute = np.mean([min(c) for c in itertools.combinations(values, k)])
        assert expected_best(values, [k])[0] == pytest.approx(brute, rel=1e-12)


def test_expected_best_treats_nan_as_worst_and_is_infinite_when_k_can_be_all_nan():
    values = np.array([np.nan, 0.4, np.nan])
    # k=1: mean of (inf, 0.4, inf) -> inf; k=2: every pair contains 0.4 or is (nan, nan)
    assert expected_best(values, [1, 2]).tolist() == [np.inf, np.inf]
    assert expected_best(values, [3])[0] == 0.4
    with pytest.raises(ValueError, match="k=4 is not allowed; allowed: 1..3"):
        expected_best(values, [4])


def test_probability_that_best_of_k_contains_a_success():
    # 2 successes among 5: P(none of k=2) = C(3,2)/C(5,2) = 3/10
    assert prob_any_success(2, 5, [1, 2, 3, 4])[:2] == pytest.approx([0.4, 0.7])
    assert prob_any_success(2, 5, [4])[0] == 1.0
    assert prob_any_success(0, 5, [5])[0] == 0.0
    brute = np.mean([any(c) for c in itertools.combinations([1, 1, 0, 0, 0], 3)])
    assert prob_any_success(2, 5, [3])[0] == pytest.approx(brute)


def test_rate_table_counts_and_wilson_bounds():
    frame = pd.DataFrame({"g": ["a"] * 10 + ["b"] * 4, "fitted": [True] * 8 + [False] * 2 + [False] * 4})
    table = rate_table(frame, ["g"]).set_index("g")
    assert table.loc["a", ["successes", "trials"]].tolist() == [8, 10]
    assert table.loc["a", "rate"] == 0.8
    assert (table.loc["a", "low"], table.loc["a", "high"]) == pytest.approx(wilson_interval(8, 10))
    assert table.loc["b", "low"] == 0 and table.loc["b", "rate"] == 0


def test_median_interval_contains_the_median_and_ignores_non_finite():
    med, low, high = median_interval([1, 2, 3, 4, 5, np.nan, np.inf])
    assert med == 3 and low <= 3 <= high
    assert all(np.isnan(median_interval([np.nan])))


def test_median_interval_equals_the_reference_bootstrap():
    values = np.random.default_rng(3).lognormal(size=37)
    _, low, high = median_interval(values, seed=5)
    assert (low, high) == bootstrap_interval(values, statistic=np.median, seed=5)


def test_loglinear_fit_recovers_an_exponential_exactly():
    n = np.arange(3, 9)
    fit = loglinear_fit(n, 5 * 1.7 ** n)
    assert fit["factor"] == pytest.approx(1.7) and fit["r2"] == pytest.approx(1.0)
    assert fit["intercept"] == pytest.approx(np.log(5))
    flat = loglinear_fit(n, np.ones_like(n))
    assert flat["factor"] == pytest.approx(1.0) and np.isnan(flat["r2"])
    assert np.isnan(loglinear_fit([3, 3], [1, 2])["slope"])


def test_order_of_two_intervals():
    assert order(0.6, 0.9, 0.1, 0.5) == "above"
    assert order(0.1, 0.5, 0.6, 0.9) == "below"
    assert order(0.1, 0.6, 0.5, 0.9) == "overlap"


def test_task_labels_name_each_instance():
    frame = pd.DataFrame({"task.name": ["parity", "parity", "random", "sin"], "task.n": [2, 4, 4, 4],
                          "task.seed": [0, 0, 3, 0]})
    assert task_labels(frame).tolist() == ["XOR", "parity-4", "random-4 #3", "sin"]


def test_markdown_has_caption_header_and_rounded_numbers():
    text = markdown(pd.DataFrame({"x": [1.23456, np.inf], "y": ["a", "b"]}), "Caption.")
    assert text.startswith("Caption.\n\n|") and "1.235" in text and "inf" in text


def test_missing_values_show_as_a_dash_never_as_nan_in_either_table_path():
    frame = pd.DataFrame({"n": [1, 2], "rate": [0.5, np.nan], "label": ["x", np.nan],
                          "count": [np.nan, 3]})
    for text in (markdown(frame, "t"), markdown(frame, "t", floatfmt=".2g")):
        rows = [line for line in text.splitlines() if line.startswith("|")][2:]
        assert "nan" not in text.lower()
        assert [c.strip() for c in rows[1].strip("|").split("|")] == ["2", "—", "—", "3"]


def test_a_cell_with_no_failures_says_so_instead_of_a_nan_percentage():
    from expressivity.claims.restarts.claim import _vanished
    assert _vanished(float("nan")) == "no failed restarts to diagnose"
    assert _vanished(0.25) == "failures with a vanished gradient: 25%"
