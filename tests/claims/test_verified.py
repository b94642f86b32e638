"""Issue 19, point 2: constructions say `verified` (only a bug can fail them), and a deliberately
broken construction says refuted; empirical sides keep `supported`."""
import numpy as np
import pytest
import pandas as pd

from tests.support.claimkit import analyse
from tests.support.jobs import construction_results
from expressivity.claims.contract import BUDGET, VERIFIED, Decision, overall
from expressivity.claims.engine import worded
from expressivity.nn import activations

BACKPROP = dict(activations=["tanh"], losses=["squared"], depths=[2], bias=[True], members=3)


def test_backprop_says_verified_and_a_broken_derivative_says_refuted(tmp_path, monkeypatch):
    sound = analyse("backprop", construction_results(tmp_path / "sound", ("gradient_errors", BACKPROP)),
                    tmp_path, **BACKPROP)
    assert sound.exists.verdict == VERIFIED
    true = activations.DERIVATIVES["tanh"]
    monkeypatch.setitem(activations.DERIVATIVES, "tanh",
                        lambda z, a, out=None: 1.01 * true(z, a))   # a 1% bug in the reverse pass
    broken = analyse("backprop", construction_results(tmp_path / "broken", ("gradient_errors", BACKPROP)),
                     tmp_path, **BACKPROP)
    assert broken.exists.verdict == "refuted"


def test_universality_with_a_broken_step_unit_says_refuted(tmp_path, monkeypatch):
    small = dict(exhaustive_max_n=2, sampled_max_n=3, samples=3)
    monkeypatch.setitem(activations.ACTIVATIONS, "step",
                        lambda z, out=None: (np.asarray(z) >= 1).astype(float))   # wrong threshold
    results = construction_results(tmp_path, ("universality_dnf", small),
                                   ("universality_parity", {"max_n": 3}))
    finding = analyse("universality", results, tmp_path, parity_max_n=3, **small)
    assert finding.exists.verdict in ("refuted", "inconclusive")     # parity broken too: void
    assert finding.exists.numbers["mismatching_functions"] > 0


def test_only_listed_parts_are_worded_verified_and_words_combine_by_kind():
    class Module:
        VERIFIED = ("exists",)
    assert worded(Module, "exists", Decision("supported")).verdict == VERIFIED
    assert worded(Module, "exists", Decision("refuted")).verdict == "refuted"
    assert worded(Module, "training", Decision("supported")).verdict == "supported"
    assert overall(VERIFIED, VERIFIED) == VERIFIED
    assert overall(VERIFIED, "supported") == "supported"
    assert overall(VERIFIED, "refuted") == "mixed"
    assert overall(VERIFIED, BUDGET) == BUDGET
    assert overall("not tested", BUDGET) == BUDGET


def test_empty_tables_stay_inconclusive(tmp_path):
    empty = pd.DataFrame()
    from expressivity.storage.results import Results
    finding = analyse("counting", Results(empty, empty, empty), tmp_path)
    assert finding.exists.verdict == "inconclusive"


def test_an_error_in_one_small_layer_is_refuted_per_matrix(tmp_path, monkeypatch):
    """A 1% error in the first layer's weight gradient only: per network it is divided by the
    largest gradient anywhere (rule v2 may read it small); per matrix it is 1% (refuted)."""
    from expressivity.nn import MLP
    from expressivity.theory import gradcheck
    rng = np.random.default_rng(0)
    net = MLP.init((3, 4, 4, 4, 4, 2), ["sigmoid"] * 5, population=2, init="uniform", rng=rng)
    X, Y = rng.normal(size=(6, 3)), rng.uniform(0.1, 0.9, size=(6, 2))
    _, w, b = net.loss_and_gradients(X, Y, "squared")
    numeric = gradcheck.numeric_gradients(net, X, Y, "squared")
    broken = [w[0] * 1.01] + w[1:] + b
    per_net = gradcheck.compare(broken, numeric)
    per_matrix = gradcheck.compare(broken, numeric, per_matrix=True)
    assert (per_matrix > 5e-3).all() and (per_matrix > per_net).all()


def test_the_floor_under_each_matrix_ignores_rounding_but_not_a_real_error():
    """Rule v4: an array whose true gradient is 0 (a dead ReLU layer's biases: backprop 0,
    central differences 5.6e-12 of rounding) reads ~1 per matrix with no floor and ~5.6e-9 with
    the registered floor 1e-3; the 1% error in one small layer is still far above the bound."""
    from expressivity.nn import MLP
    from expressivity.theory import gradcheck
    zero = [np.zeros((2, 4))]
    rounding = [np.array([[0.0, 5.6e-12, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])]
    assert gradcheck.compare(zero, rounding, per_matrix=True)[0] == 1.0
    assert gradcheck.compare(zero, rounding, per_matrix=True, floor=1e-3)[0] == \
        pytest.approx(5.6e-9)
    rng = np.random.default_rng(0)
    net = MLP.init((3, 4, 4, 4, 4, 2), ["sigmoid"] * 5, population=2, init="uniform", rng=rng)
    X, Y = rng.normal(size=(6, 3)), rng.uniform(0.1, 0.9, size=(6, 2))
    _, w, b = net.loss_and_gradients(X, Y, "squared")
    numeric = gradcheck.numeric_gradients(net, X, Y, "squared")
    assert (gradcheck.compare(w + b, numeric, per_matrix=True, floor=1e-3) < 1e-7).all()
    broken = [w[0] * 1.01] + w[1:] + b
    assert (gradcheck.compare(broken, numeric, per_matrix=True, floor=1e-3) > 1e-3).all()
