"""Claim `activation`: synthetic member tables for which the registered rule (deep cells and
the shallow sub-claim together) must say supported, mixed, refuted or inconclusive; the rule
as first registered; the verdict under a cut budget; the gradient factor recovered."""
import pandas as pd
import pytest

from expressivity.claims.activation import claim as activation
from tests.support.claimkit import analyse, rule_of
from expressivity.storage.results import Results

RULE = rule_of("activation")
TRIALS = 60
CELLS = [("parity", 3), ("parity", 4), ("sin", 1)]
DEPTHS = (1, 2, 4, 8)
SHRINK = {"sigmoid": 0.25, "relu": 1.0, "tanh": 0.9}
EPOCHS = 1500


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
                           "model.activation": act, "model.init": init, "trainer.lr": 9.0,
                           "tuned.trainer.lr": 0.1 * depth, "trainer.max_epochs": EPOCHS,
                           "fitted": ok and name != "sin", "converged": ok and name == "sin",
                           "fit_epoch": epochs(act, depth) + m if ok and name != "sin" else -1}
                    for layer in range(depth + 1):
                        row[f"grad_norm_init.{layer}"] = SHRINK[act] ** (depth - layer) * (1 + 0.01 * m)
                    rows.append(row)
    return pd.DataFrame(rows)


def decide(frame):
    ev = activation.evidence(Results(frame, pd.DataFrame(), pd.DataFrame()), RULE)
    return activation.decide_training(ev, RULE), ev


DEEP_SIGMOID_FAILS = lambda cell, a, i, d: 0 if (a == "sigmoid" and d >= 4) else 50   # noqa: E731


def test_relu_winning_every_deep_cell_with_sigmoid_fine_when_shallow_is_supported(tmp_path):
    finding = analyse("activation", Results(members(DEEP_SIGMOID_FAILS), pd.DataFrame(),
                                            pd.DataFrame()), tmp_path)
    assert finding.training.verdict == "supported"
    n = finding.numbers
    assert n["deep_cells"] == 6 and n["deep_cells_relu_better"] == 6
    assert n["shallow_cells"] == 6 and n["shallow_cells_sigmoid_worse"] == 0
    assert n["sigmoid_xavier_grad_factor_per_layer"] == pytest.approx(0.25)
    assert n["relu_he_grad_factor_per_layer"] == pytest.approx(1.0)
    assert len(finding.figures) == 3 and all((tmp_path / f).exists() for f in finding.figures)
    assert list(finding.registered.values())[0].verdict == "supported"


def test_sigmoid_failing_some_shallow_cells_makes_it_mixed_where_the_old_rule_said_supported():
    shallow_too = lambda cell, a, i, d: 0 if (a == "sigmoid" and (d >= 4 or (d == 1 and cell[1] == 3))) else 50
    d, ev = decide(members(shallow_too))
    assert d.verdict == "mixed" and d.numbers["shallow_cells_sigmoid_worse"] == 1
    assert activation.decide_as_first_registered(ev, RULE).verdict == "supported"


def test_sigmoid_failing_every_shallow_cell_while_the_deep_part_holds_is_mixed():
    d, _ = decide(members(lambda cell, a, i, d: 0 if a == "sigmoid" else 50))
    assert d.verdict == "mixed" and d.numbers["shallow_cells_sigmoid_worse"] == 6


def test_sigmoid_winning_deep_cells_and_losing_shallow_ones_refutes():
    reversed_claim = lambda cell, a, i, d: {("relu", True): 5, ("sigmoid", True): 55,   # noqa: E731
                                            ("relu", False): 55, ("sigmoid", False): 5}.get((a, d >= 4), 30)
    d, _ = decide(members(reversed_claim))
    assert d.verdict == "refuted" and d.numbers["deep_cells_sigmoid_better"] == 6
    assert d.numbers["shallow_cells_sigmoid_worse"] == 6
    # sigmoid winning deep cells while fine when shallow: one part fails, one holds -> mixed
    d, _ = decide(members(lambda cell, a, i, d: 5 if (a == "relu" and d >= 4) else 55))
    assert d.verdict == "mixed" and d.numbers["deep_cells_sigmoid_better"] == 6


def test_equal_everywhere_is_inconclusive():
    d, _ = decide(members(lambda cell, a, i, d: 40))
    assert d.verdict == "inconclusive"


def test_the_verdict_under_a_cut_budget_uses_only_fits_made_by_then():
    # ReLU fits late (after 2/3 of the budget): at 500 and 1000 epochs it has no fit at all,
    # so no deep boolean cell is decided -> inconclusive; at the full 1500 supported
    late_relu = lambda a, d: 1200 if a == "relu" else 100   # noqa: E731
    d, ev = decide(members(DEEP_SIGMOID_FAILS, epochs=late_relu))
    assert ev.budget == {500: "inconclusive", 1000: "inconclusive", 1500: "supported"}
    assert d.numbers["verdict_at_500"] == "inconclusive"
    # sigmoid fitting 12x later loses every shallow cell: on success while the cut is on,
    # on epochs to fit at the full budget; the deep part holds throughout -> mixed
    late_sigmoid = lambda a, d: 1200 if a == "sigmoid" else 100   # noqa: E731
    _, ev = decide(members(DEEP_SIGMOID_FAILS, epochs=late_sigmoid))
    assert ev.budget == {500: "mixed", 1000: "mixed", 1500: "mixed"}


def test_the_tuned_step_of_every_cell_is_in_the_rates_table():
    _, ev = decide(members(DEEP_SIGMOID_FAILS))
    assert (ev.rates["lr"] == 0.1 * ev.rates["model.depth"]).all()


def test_gradient_factor_needs_three_hidden_layers():
    frame = activation.prepare(members(lambda cell, a, i, d: 30))
    factors = activation.gradient_factors(frame[frame["model.depth"] <= 2])
    assert factors["factor_per_layer"].isna().all()
