"""`expressivity explain`: the essay's example, checked by hand, by finite differences and
by an independent scalar autodiff."""
import math
from pathlib import Path

import pytest

import expressivity.report.explain as explain_module
from expressivity.cli import main
from expressivity.report.explain import essay_edges, walkthrough
from expressivity.explain_cli import explain
from expressivity.nn import TRAINABLE
from tests.oracles.scalar_autodiff import Value

ROOT = Path(__file__).resolve().parents[2]


def logistic(z):
    return 1 / (1 + math.exp(-z))


def by_hand(x=0.5, y=1.0):
    """The essay's network worked out with scalar formulas, sharing no code with the package."""
    z3, z4 = 0.5 * x + 0.1, -1.0 * x + 0.2
    a3, a4 = logistic(z3), logistic(z4)
    z6, z7 = 0.8 * a3 - 0.6 * a4 + 0.3, 1.2 * a4 - 0.4      # no edge 3 -> 7
    a6, a7 = logistic(z6), logistic(z7)
    z9 = 1.5 * a6 - 0.9 * a7 + 0.05
    a9 = logistic(z9)
    d9 = 2 * (a9 - y) * a9 * (1 - a9)
    d6, d7 = d9 * 1.5 * a6 * (1 - a6), d9 * -0.9 * a7 * (1 - a7)
    d3 = d6 * 0.8 * a3 * (1 - a3)
    d4 = (d6 * -0.6 + d7 * 1.2) * a4 * (1 - a4)
    grads = {(1, 3): x * d3, (2, 3): d3, (1, 4): x * d4, (2, 4): d4, (3, 6): a3 * d6,
             (4, 6): a4 * d6, (5, 6): d6, (4, 7): a4 * d7, (5, 7): d7, (6, 9): a6 * d9,
             (7, 9): a7 * d9, (8, 9): d9}
    return {"z": (z3, z4, z6, z7, z9), "a": (a3, a4, a6, a7, a9), "loss": (a9 - y) ** 2,
            "delta": (d3, d4, d6, d7, d9), "grads": grads}


def test_every_number_matches_the_hand_worked_example():
    walk, hand = walkthrough(), by_hand()
    assert hand["z"][:2] == pytest.approx((0.35, -0.3))
    got_z = (*walk.z[1], *walk.z[2], *walk.z[3])
    got_a = (*walk.a[1], *walk.a[2], *walk.a[3])
    got_delta = (*walk.delta[1], *walk.delta[2], *walk.delta[3])
    assert got_z == pytest.approx(hand["z"], abs=1e-15)
    assert got_a == pytest.approx(hand["a"], abs=1e-15)
    assert got_delta == pytest.approx(hand["delta"], abs=1e-15)
    assert walk.loss == pytest.approx(hand["loss"], abs=1e-15)
    got = {(e.source, e.target): g for e, g in walk.gradients.items()}
    assert got == pytest.approx(hand["grads"], abs=1e-15)


def test_gradients_match_an_independent_scalar_autodiff():
    walk = walkthrough(x=-1.3, y=0.2)
    weights = {(e.source, e.target): Value(w) for e, w in walk.weights.items()}
    one, out = Value(1.0), {1: Value(-1.3)}
    for e in essay_edges():       # edges come layer by layer, so sources exist before use
        source = one if e.row is None else out[e.source]
        out.setdefault(("z", e.target), Value(0.0))
        out[("z", e.target)] = out[("z", e.target)] + weights[(e.source, e.target)] * source
        out[e.target] = out[("z", e.target)].apply("sigmoid")
    loss = (out[9] - 0.2) * (out[9] - 0.2)
    loss.backward()
    assert loss.data == pytest.approx(walk.loss, abs=1e-14)
    for e, g in walk.gradients.items():
        assert g == pytest.approx(weights[(e.source, e.target)].grad, abs=1e-14)


@pytest.mark.parametrize("activation", TRAINABLE)
def test_gradients_agree_with_central_differences_for_every_activation(activation):
    walk = walkthrough(x=0.9, y=-0.4, activation=activation)
    fd, core = explain_module.largest_disagreement(walk)
    assert fd < 1e-8 and core < 1e-14
    assert len(walk.edges) == 12


def test_the_essays_missing_edge_stays_missing_and_the_step_lowers_the_loss():
    walk = walkthrough(lr=0.5)
    assert (3, 7) not in {(e.source, e.target) for e in walk.edges}
    for e in walk.edges:
        assert walk.new_weights[e] == walk.weights[e] - 0.5 * walk.gradients[e]
    assert walk.new_loss < walk.loss


def test_command_prints_the_page_it_writes_and_says_the_check_passed(tmp_path, capsys):
    out = tmp_path / "explain.md"
    assert main(["explain", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert printed.startswith(page)
    assert "All 12 gradients agree" in page
    assert "δ_4 = (δ_6·w(4→6) + δ_7·w(4→7))" in page      # the essay's chain-rule example
    assert "**−0.175335**" in page                         # δ_9, worked out by hand above
    assert f"{by_hand()['delta'][4]:.6g}" == "-0.175335"


def test_a_wrong_backprop_is_reported_as_a_disagreement(monkeypatch, capsys):
    real = explain_module.essay_deltas

    def off_by_factor(net, y):
        return [None if d is None else 1.01 * d for d in real(net, y)]

    monkeypatch.setattr(explain_module, "essay_deltas", off_by_factor)
    assert explain() == 1
    assert "All 12 gradients DISAGREE" in capsys.readouterr().out


def test_committed_page_is_what_the_command_writes_now(tmp_path, capsys):
    out = tmp_path / "explain.md"
    main(["explain", "--out", str(out)])
    fresh = out.read_text(encoding="utf-8").replace(str(out), "docs/explain.md")
    assert (ROOT / "docs" / "explain.md").read_text(encoding="utf-8") == fresh


@pytest.mark.parametrize("argv, message", [
    (["explain", "--lr", "-1"], "lr=-1.0; allowed: a positive number"),
    (["explain", "--x", "nan"], "x=nan; allowed: a finite number"),
])
def test_bad_input_is_one_clear_error(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_unknown_activation_is_refused_by_name(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--activation", "step"])
    assert "invalid choice: 'step'" in capsys.readouterr().err
