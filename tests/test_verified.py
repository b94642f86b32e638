"""Issue 19, point 2: constructions say `verified` (only a bug can fail them), and a deliberately
broken construction says refuted; empirical sides keep `supported`."""
import numpy as np
import pandas as pd

from claimkit import analyse
from jobs import construction_results
from expressivity.claims.contract import BUDGET, VERIFIED, Decision, overall
from expressivity.engine import worded
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
    from expressivity.results import Results
    finding = analyse("counting", Results(empty, empty, empty), tmp_path)
    assert finding.exists.verdict == "inconclusive"
