"""Claim `depth_vs_width`: synthetic search tables for which the rule must say
supported, refuted, mixed or inconclusive; parameter counts against the MLP."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims import depth_vs_width as dvw
from claimkit import analyse, rule_of
from expressivity.nn import MLP
from expressivity.results import Results

RULE = rule_of("depth_vs_width")
NS = range(3, 9)


def jobs(widths, depths=(1,), seeds=(0,), cap=64):
    """widths: {function: f(n, depth, seed) -> minimal width or None (no fit up to cap)}."""
    rows = []
    for function, width_of in widths.items():
        for n in NS:
            for depth in depths:
                for seed in (seeds if function == "random" else (0,)):
                    rows.append({"task.name": function, "task.n": n, "task.seed": seed, "model.depth": depth,
                                 "summary.min_width": width_of(n, depth, seed), "summary.max_width": cap})
    return pd.DataFrame(rows)


RANDOM = lambda n, d, s: max(1, round(2 ** n / (2 * n) * (1 + 0.1 * s)))   # ~2^n / 2n
PARITY = lambda n, d, s: n
MAJORITY = lambda n, d, s: 1


def verdict(widths):
    sizes = dvw.minimal_sizes(jobs(widths, seeds=(0, 1, 2)))
    fits = dvw.growth(sizes)
    fits["class"] = [dvw.classify(r, RULE) for _, r in fits.iterrows()]
    return dvw.decide(fits), fits.set_index("function")


def test_parameter_count_matches_the_network():
    for n, width, depth in [(3, 2, 1), (5, 4, 3), (8, 13, 2)]:
        net = MLP.init((n, *[width] * depth, 1), "tanh", population=1, rng=np.random.default_rng(0))
        assert dvw.parameters(n, width, depth) == net.n_parameters


def test_exponential_random_and_polynomial_structure_is_supported():
    result, fits = verdict({"random": RANDOM, "parity": PARITY, "majority": MAJORITY})
    assert result == "supported"
    assert fits.loc["random", "factor"] > 1.6 and fits.loc["parity", "factor"] < 1.3
    assert fits.loc["majority", "factor"] == pytest.approx(1.0)


def test_linear_growth_of_random_tables_refutes():
    assert verdict({"random": lambda n, d, s: n + s, "parity": PARITY, "majority": MAJORITY})[0] == "refuted"


def test_parity_growing_exponentially_too_is_mixed():
    result, fits = verdict({"random": RANDOM, "parity": lambda n, d, s: 2 ** (n - 2), "majority": MAJORITY})
    assert result == "mixed" and fits.loc["parity", "class"] == "exponential"


def test_noisy_random_growth_or_missing_functions_are_inconclusive():
    noisy = lambda n, d, s: [1, 40, 2, 50, 3, 64][n - 3] if s == 0 else 2 ** (n - 2)
    result, fits = verdict({"random": noisy, "parity": PARITY, "majority": MAJORITY})
    assert fits.loc["random", "factor"] >= 1.4 and fits.loc["random", "r2"] < 0.9
    assert result == "inconclusive"
    assert verdict({"random": RANDOM, "parity": PARITY})[0] == "inconclusive"   # majority missing
    jumpy = lambda n, d, s: [2, 4, 4, 6, 7, 64][n - 3]      # a censored last point: factor high, R^2 low
    result, fits = verdict({"random": RANDOM, "parity": jumpy, "majority": MAJORITY})
    assert fits.loc["parity", "class"] == "undecided" and result == "inconclusive"


def test_a_search_without_fit_enters_at_max_width_and_is_flagged():
    sizes = dvw.minimal_sizes(jobs({"random": lambda n, d, s: None if n == 8 else 4}, cap=64))
    last = sizes[sizes["n"] == 8].iloc[0]
    assert last["censored"] and last["min_width"] == 64
    assert last["min_parameters"] == dvw.parameters(8, 64, 1)


def test_depth_gain_compares_the_best_deeper_net_at_the_largest_common_n():
    frame = jobs({"compositional": lambda n, d, s: 8 if d == 1 else 2}, depths=(1, 2, 3))
    sizes = dvw.minimal_sizes(frame)
    ratio, n = dvw.depth_gain(sizes, "compositional")
    assert n == 8
    assert ratio == pytest.approx(dvw.parameters(8, 2, 2) / dvw.parameters(8, 8, 1))
    assert np.isnan(dvw.depth_gain(sizes, "random")[0])


def test_analysis_end_to_end(tmp_path):
    frame = jobs({"random": RANDOM, "parity": PARITY, "majority": MAJORITY,
                  "compositional": lambda n, d, s: n if d == 1 else 2}, depths=(1, 2), seeds=(0, 1))
    finding = analyse("depth_vs_width", Results(pd.DataFrame(), pd.DataFrame(), frame), tmp_path)
    assert finding.verdict == "supported"
    assert finding.numbers["compositional.depth_helps"] is True
    assert finding.numbers["random.depth_helps"] is False
    assert len(finding.figures) == 2 and all((tmp_path / f).exists() for f in finding.figures)


def test_training_beyond_the_known_constructions_is_named():
    sizes = dvw.minimal_sizes(jobs({"parity": lambda n, d, s: n if n < 7 else 64, "majority": MAJORITY}))
    numbers = dvw.beyond_constructions(sizes)
    assert numbers["parity.n_where_training_exceeded_construction"] == "[7, 8]"
    assert numbers["majority.n_where_training_exceeded_construction"] == "[]"
