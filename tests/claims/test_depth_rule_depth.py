"""The depth rule of part (c) on synthetic tables: supported, refuted, mixed, inconclusive."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims.depth_vs_width import depth_rule as R


def table(family, ns, depth1, deep, seeds=3, noise=0.05, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for n in ns:
        for depth, size in ((1, depth1(n)), (2, deep(n)), (3, deep(n) * 1.1)):
            for s in range(seeds):
                rows.append({"family": family, "n": n, "depth": depth, "seed": s,
                             "parameters": float(size * np.exp(rng.normal(0, noise)))})
    return pd.DataFrame(rows)


GROW = dict(depth1=lambda n: 2.0 ** n, deep=lambda n: 4.0 * n)          # the product: 2^n against 4n
FLAT = dict(depth1=lambda n: 10.0 * n, deep=lambda n: 12.0 * n)         # depth costs 1.2x at every n
FALL = dict(depth1=lambda n: 5.0 * n, deep=lambda n: 5.0 * n * 1.1 ** n)
N = range(2, 8)


def test_ratio_growing_in_a_named_family_is_supported():
    t = table("product", N, **GROW)
    verdict, numbers = R.decide_depth(t, ["product"], ["product"], 6, resamples=300)
    assert verdict == "supported" and numbers["product.depth_status"] == R.GROWING
    assert numbers["product.slope_low"] > 0
    assert numbers["product.slope"] == pytest.approx(np.log(2) - np.polyfit(list(N), np.log(np.array(list(N), float)), 1)[0], abs=0.05)


def test_ratio_flat_or_falling_everywhere_is_refuted():
    t = pd.concat([table("product", N, **FLAT), table("parity", N, **FALL, seed=1)])
    verdict, numbers = R.decide_depth(t, ["product", "parity"], ["product"], 6, resamples=300)
    assert numbers["parity.depth_status"] == R.NOT_GROWING
    # a flat ratio with noise: its interval straddles 0 or sits below; never "growing"
    assert numbers["product.depth_status"] in (R.NOT_GROWING, R.UNDECIDED)
    t = pd.concat([table("product", N, **FALL), table("parity", N, **FALL, seed=1)])
    assert R.decide_depth(t, ["product", "parity"], ["product"], 6, resamples=300)[0] == "refuted"


def test_exactly_flat_ratio_is_not_growing():
    t = table("product", N, **FLAT, noise=0.0)
    verdict, numbers = R.decide_depth(t, ["product"], ["product"], 6, resamples=100)
    assert verdict == "refuted" and abs(numbers["product.slope_high"]) <= 1e-9


def test_too_few_n_is_inconclusive():
    t = table("product", range(2, 7), **GROW)                         # 5 distinct n
    verdict, numbers = R.decide_depth(t, ["product"], ["product"], 6, resamples=100)
    assert verdict == "inconclusive" and numbers["product.depth_status"] == R.TOO_FEW
    assert R.decide_depth(t.iloc[:0], ["product"], ["product"], 6)[0] == "inconclusive"


def test_growth_in_a_family_the_essay_does_not_name_is_mixed():
    t = pd.concat([table("inner_product", N, **GROW), table("product", N, **FALL)])
    assert R.decide_depth(t, ["inner_product", "product"], ["product"], 6, resamples=300)[0] == "mixed"


def test_depth_verdict_table():
    g, ng, u = R.GROWING, R.NOT_GROWING, R.UNDECIDED
    assert R.depth_verdict({"a": g, "b": ng}, ["a"]) == "supported"
    assert R.depth_verdict({"a": ng, "b": ng}, ["a"]) == "refuted"
    assert R.depth_verdict({"a": u, "b": g}, ["a"]) == "mixed"
    assert R.depth_verdict({"a": u, "b": ng}, ["a"]) == "inconclusive"
    assert R.depth_verdict({}, ["a"]) == "inconclusive"


def test_ratio_table_takes_medians_and_the_cheapest_deep_depth():
    t = pd.DataFrame({"family": "f", "n": 3, "depth": [1, 1, 1, 2, 3],
                      "parameters": [10.0, 30.0, 20.0, 8.0, 5.0]})
    row = R.ratio_table(t, "f").iloc[0]
    assert (row["depth1"], row["deep"], row["deep_depth"]) == (20.0, 5.0, 3)
    assert row["log_ratio"] == pytest.approx(np.log(4))


def test_cells_drop_an_n_without_a_deep_net():
    t = pd.DataFrame({"family": "f", "n": [3, 4, 4], "depth": [1, 1, 2], "parameters": [1.0, 2.0, 3.0]})
    assert list(R.cells(t, "f")) == [4]


def test_classifier_rates_are_exact_without_noise_and_fall_with_it():
    clean = R.classifier_rates(range(4, 13), 0.0, trials=20)
    assert clean["exponential_called_exponential"] == 1.0 and clean["polynomial_called_polynomial"] == 1.0
    assert R.reaches_target(clean, 0.9)
    noisy = R.classifier_rates(range(4, 13), 0.3, trials=100)
    assert noisy["exponential_called_exponential"] < 0.9 and not R.reaches_target(noisy, 0.9)
    assert np.isnan(R.classifier_rates([4, 5], 0.1)["polynomial_called_polynomial"])


def test_seed_noise_is_the_median_log_spread_and_never_below_the_default():
    t = pd.DataFrame({"family": "f", "n": 3, "depth": [1, 1, 2, 2],
                      "parameters": [10.0, 10.0 * np.e, 5.0, 5.0]})
    assert R.seed_noise(t, 0.1) == pytest.approx(np.std([0, 1], ddof=1) / 2)
    assert R.seed_noise(t.iloc[[0, 2]], 0.1) == 0.1
