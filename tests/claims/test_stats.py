"""Interval formulas against closed forms and published values."""
import numpy as np
import pytest

from expressivity.claims.stats import bootstrap_interval, restarts_for, wilson_interval


def test_wilson_interval_known_values():
    # Standard worked example: 8 successes in 10 trials -> (0.4902, 0.9433) at 95%.
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    low, high = wilson_interval(0, 100)
    assert low == 0 and high == pytest.approx(0.0370, abs=1e-4)   # the "rule of ~3.7/n"
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_bootstrap_interval_covers_the_mean_and_shrinks_with_n():
    rng = np.random.default_rng(1)
    small = bootstrap_interval(rng.normal(5, 1, 20))
    large = bootstrap_interval(rng.normal(5, 1, 2000))
    assert small[0] < 5 < small[1] and large[0] < 5 < large[1]
    assert large[1] - large[0] < (small[1] - small[0]) / 5
    med = bootstrap_interval([1, 2, 3, 100, 4], statistic=np.median)
    assert med[1] <= 100 and med[0] >= 1


def test_restarts_for_99_percent():
    # p = 0.5: ln(0.01)/ln(0.5) = 6.64 -> 7 restarts
    np.testing.assert_array_equal(restarts_for([0.5, 1.0, 0.0, 0.01]), [7, 1, np.inf, 459])
