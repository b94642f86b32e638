"""Claim `activation`: synthetic member tables for which the rule must say
supported, mixed, refuted or inconclusive; the gradient factor recovered."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims import activation
from claimkit import analyse, rule_of
from expressivity.results import Results

RULE = rule_of("activation")
TRIALS = 60
CELLS = [("parity", 3), ("parity", 4), ("sin", 1)]
DEPTHS = (1, 2, 4, 8)
SHRINK = {"sigmoid": 0.25, "relu": 1.0, "tanh": 0.9}


def members(successes, epochs=lambda a, d: 100):
    """successes(cell, activation, init, depth) -> fitted count out of TRIALS."""
    rows = []
    for name, n in CELLS:
        for act, init in [("sigmoid", "xavier"), ("relu", "he"), ("tanh", "xavier")]:
            for depth in DEPTHS:
                count = successes((name, n), act, init, depth)
                for m in range(TRIALS):
                    ok = m < count
                    row = {"task.name": name, "task.n": n, "task.seed": 0, "model.depth": depth,
                           "model.activation": act, "model.init": init,
                           "fitted": ok and name != "sin", "converged": ok and name == "sin",
                           "fit_epoch": epochs(act, depth) + m if ok and name != "sin" else -1}
                    # gradient norm per weight layer: shrinks by SHRINK per layer toward the input
                    for layer in range(depth + 1):
                        row[f"grad_norm_init.{layer}"] = SHRINK[act] ** (depth - layer) * (1 + 0.01 * m)
                    rows.append(row)
    return pd.DataFrame(rows)


def run(frame, tmp_path=None):
    if tmp_path is not None:
        return analyse("activation", Results(frame, pd.DataFrame(), pd.DataFrame()), tmp_path)
    prepared = activation.prepare(frame)
    rates = activation.success_table(prepared)
    deep = activation.compare(rates, RULE, lambda d: d >= RULE.deep_from)
    return activation.decide(deep)


def test_relu_winning_every_deep_cell_is_supported(tmp_path):
    deep_sigmoid_fails = lambda cell, a, i, d: 0 if (a == "sigmoid" and d >= 4) else 50
    finding = run(members(deep_sigmoid_fails), tmp_path)
    assert finding.verdict == "supported"
    assert finding.numbers["deep_cells"] == 6 and finding.numbers["deep_cells_relu_better"] == 6
    assert finding.numbers["sigmoid_xavier_grad_factor_per_layer"] == pytest.approx(0.25)
    assert finding.numbers["sigmoid_xavier_grad_factor_in_band"] is True
    assert finding.numbers["relu_he_grad_factor_per_layer"] == pytest.approx(1.0)
    assert len(finding.figures) == 3 and all((tmp_path / f).exists() for f in finding.figures)


def test_relu_winning_only_at_depth_8_is_mixed():
    verdict, numbers = run(members(lambda cell, a, i, d: 0 if (a == "sigmoid" and d == 8) else 50))
    assert verdict == "mixed" and numbers["deep_cells_relu_better"] == 3


def test_sigmoid_winning_deep_cells_refutes():
    verdict, numbers = run(members(lambda cell, a, i, d: 5 if (a == "relu" and d >= 4) else 55))
    assert verdict == "refuted" and numbers["deep_cells_sigmoid_better"] == 6


def test_equal_success_is_decided_by_epochs_to_fit_or_left_inconclusive():
    same = lambda cell, a, i, d: 40
    slow_sigmoid = lambda a, d: 1500 if a == "sigmoid" else 100
    verdict, numbers = run(members(same, epochs=slow_sigmoid))
    # parity cells decided by epochs; the continuous cells have no epochs -> mixed
    assert verdict == "mixed" and numbers["deep_cells_relu_better"] == 4
    assert run(members(same))[0] == "inconclusive"


def test_gradient_factor_needs_three_hidden_layers():
    frame = activation.prepare(members(lambda cell, a, i, d: 30))
    factors = activation.gradient_factors(frame[frame["model.depth"] <= 2])
    assert factors["factor_per_layer"].isna().all()
