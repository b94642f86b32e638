"""Growth classifier: exact model recovery on closed forms, and the classes the claim relies on
over the n ranges the sweeps use (random tables 3..10, parity/majority/compositional 3..12)."""
import numpy as np
import pytest

from expressivity.claims.growth_models import classify_growth, fit_model, held_out_error, ratio_to_bound

RANDOM_N, STRUCTURED_N = np.arange(3, 11), np.arange(3, 13)


def test_fits_recover_closed_forms():
    n = np.arange(3, 11)
    exp = fit_model(n, 0.5 * 1.7 ** n, "exponential")
    assert exp["rate"] == pytest.approx(1.7) and exp["c"] == pytest.approx(0.5) and exp["rss"] < 1e-20
    poly = fit_model(n, 3 * n ** 2.5, "polynomial")
    assert poly["rate"] == pytest.approx(2.5) and poly["c"] == pytest.approx(3)
    assert held_out_error(n, 3 * n ** 2.5, "polynomial") == pytest.approx(0, abs=1e-9)
    # by hand: a line through (3, log 3), (4, log 4) predicts log 5 at n = 5 under the exponential model
    assert held_out_error([3, 4, 5], [3, 4, 5], "exponential") == pytest.approx(
        abs(np.log(4) + np.log(4 / 3) - np.log(5)))


@pytest.mark.parametrize("n", [RANDOM_N, STRUCTURED_N])
@pytest.mark.parametrize("width", [lambda n: 2 ** n / n, lambda n: 2 ** n / (2 * n), lambda n: 2 ** n / n ** 2])
def test_counting_bound_like_data_is_exponential(n, width):
    assert classify_growth(n, np.ceil(width(n)))["class"] == "exponential"


@pytest.mark.parametrize("n", [RANDOM_N, STRUCTURED_N])
@pytest.mark.parametrize("width", [lambda n: n, lambda n: n ** 2, lambda n: 3 * n])
def test_polynomial_data_is_polynomial(n, width):
    result = classify_growth(n, width(n))
    assert result["class"] == "polynomial" and result["delta_aic"] < -10


def test_noisy_seeds_keep_their_class():
    rng = np.random.default_rng(0)
    n = np.repeat(RANDOM_N, 3)
    noisy = lambda w: np.maximum(1, np.round(w * rng.uniform(0.8, 1.25, size=w.shape)))
    assert classify_growth(n, noisy(2.0 ** n / n))["class"] == "exponential"
    assert classify_growth(n, noisy(n ** 2.0))["class"] == "polynomial"


def test_constant_and_undecided():
    assert classify_growth(STRUCTURED_N, np.ones(10))["class"] == "constant"
    assert classify_growth([3, 4, 5, 6], [2, 2, 3, 2])["class"] == "undecided"


def test_ratio_to_bound():
    n = np.arange(3, 9)
    ratio, factor = ratio_to_bound(n, 2.0 ** n, lambda v: 2 ** v / v)
    assert np.allclose(ratio, n) and factor == pytest.approx(np.exp(np.polyfit(n, np.log(n), 1)[0]))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="at least 3 distinct"):
        classify_growth([3, 3, 4], [1, 2, 3])
    with pytest.raises(ValueError, match="shape"):
        classify_growth([3, 4, 5], [1, 2])
