"""Each theory claim's rule on synthetic inputs: supported in one case, not in another."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims import CLAIMS, THEORY_CLAIMS, approximation, backprop, bias, counting, linear
from expressivity.claims import product, stepsize, universality
from expressivity.claims.base import load_claim
from expressivity.results import Results

EMPTY = Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())


def test_theory_claims_are_registered_after_the_main_ones():
    assert CLAIMS[-len(THEORY_CLAIMS):] == THEORY_CLAIMS
    assert set(THEORY_CLAIMS) == {"backprop", "linear", "universality", "counting", "approximation",
                                  "product", "bias", "stepsize"}


@pytest.mark.parametrize("claim_id", ["backprop", "linear", "universality", "counting", "approximation",
                                      "product", "bias", "stepsize"])
def test_experiment_files_hold_a_complete_claim_block(claim_id):
    claim = load_claim(claim_id)
    assert claim["id"] == claim_id
    for key in ("title", "statement", "rule"):
        assert isinstance(claim[key], str) and len(claim[key]) > 40, key
    assert claim["sweeps"] in ([], [claim_id])


# --- backprop -----------------------------------------------------------------------------

def test_backprop_rule():
    claim = load_claim("backprop")
    assert backprop.decide(1e-9, 0.0, claim) == "supported"
    assert backprop.decide(0.3, 0.0, claim) == "refuted"
    assert backprop.decide(1e-5, 0.0, claim) == "mixed"
    assert backprop.decide(1e-9, 0.5, claim) == "inconclusive"


def test_backprop_analysis_on_a_small_grid(tmp_path):
    claim = {**load_claim("backprop"), "activations": ["tanh", "relu"], "losses": ["squared", "bce"],
             "depths": [0, 2], "bias": [True, False], "members": 3}
    finding = backprop.analyse(EMPTY, claim, tmp_path)
    assert finding.verdict == "supported" and finding.numbers["configurations"] == 16
    assert (tmp_path / finding.figures[0]).exists()


# --- linear -------------------------------------------------------------------------------

def _linear_members(identity_loss, identity_fit, control_fits):
    rows = []
    for depth in (1, 2):
        for m in range(4):
            rows.append({"model.activation": "identity", "depth": depth, "fitted": identity_fit and m == 0,
                         "diverged": False, "final_loss": identity_loss})
            rows.append({"model.activation": "sigmoid", "depth": depth, "fitted": control_fits and m < 2,
                         "diverged": False, "final_loss": 0.1})
    frame = pd.DataFrame(rows)
    return frame.assign(**{"task.name": "parity", "task.n": 2, "task.encoding": "01"})


@pytest.mark.parametrize("identity_loss,identity_fit,control,verdict", [
    (0.25, False, True, "supported"),
    (0.25, True, True, "supported"),        # a flagged fit at the floor is a rounding tie
    (0.20, False, True, "refuted"),         # below the affine floor: not linear
    (0.20, True, True, "refuted"),          # a real fit (margin well above the tie radius)
    (0.25, False, False, "mixed"),          # the control never fits
])
def test_linear_rule(tmp_path, identity_loss, identity_fit, control, verdict):
    results = Results(_linear_members(identity_loss, identity_fit, control), pd.DataFrame(), pd.DataFrame())
    claim = {**load_claim("linear"), "collapse_max_depth": 2}
    finding = linear.analyse(results, claim, tmp_path)
    assert finding.verdict == verdict


def test_linear_tie_distance_is_zero_at_the_floor_and_grows_with_excess_loss():
    outputs = np.full(4, 0.5)
    assert linear.tie_distance([0.25], 0.25, outputs, 4, 0.5)[0] == 0.0
    assert linear.tie_distance([0.26], 0.25, outputs, 4, 0.5)[0] == pytest.approx(0.2)


# --- universality and counting (constructions; reduced sizes) --------------------------------

def test_universality_analysis_on_small_n(tmp_path):
    claim = {**load_claim("universality"), "exhaustive_max_n": 3, "sampled_max_n": 5, "samples": 5,
             "parity_max_n": 5}
    finding = universality.analyse(EMPTY, claim, tmp_path)
    assert finding.verdict == "supported" and finding.numbers["mismatching_functions"] == 0
    assert finding.numbers["functions_checked"] == 4 + 16 + 256 + 5 + 5


def test_universality_rule():
    parity = pd.DataFrame({"exact": [True, True]})
    good = pd.DataFrame({"wrong": [0, 0], "widest_used": [1, 2], "architecture_width": [1, 2]})
    assert universality.decide(good, parity) == "supported"
    assert universality.decide(good.assign(wrong=[0, 1]), parity) == "refuted"
    assert universality.decide(good, pd.DataFrame({"exact": [True, False]})) == "inconclusive"


def _arch(shares, networks=None):
    n = [2, 3, 4]
    return pd.DataFrame({"n": n, "hidden": "[2]", "networks": networks or [10, 10, 10],
                         "functions": [2 ** 2 ** k for k in n], "distinct": [4, 4, 4],
                         "share_of_all": shares})


def test_counting_rule():
    claim = load_claim("counting")
    thresholds = pd.DataFrame({"counted": [4, 14], "known": [4, 14]})
    assert counting.decide(_arch([0.25, 0.02, 0.0001]), thresholds, claim) == "supported"
    assert counting.decide(_arch([0.25, 0.2, 0.5]), thresholds, claim) == "mixed"
    too_many = _arch([0.25, 0.02, 0.0001], networks=[2, 2, 2])      # 4 distinct from 2 networks
    assert counting.decide(too_many, thresholds, claim) == "inconclusive"
    assert counting.decide(_arch([0.25, 0.02, 0.0001]), thresholds.assign(counted=[4, 13]),
                           claim) == "inconclusive"


def test_counting_analysis_on_small_architectures(tmp_path):
    claim = {**load_claim("counting"), "threshold_known": [4, 14, 104],
             "architectures": [{"sizes": [2, 1], "values": [-1, 0, 1]},
                               {"sizes": [3, 1], "values": [-1, 0, 1]}]}
    finding = counting.analyse(EMPTY, claim, tmp_path)
    assert finding.numbers["threshold_counts"] == "4, 14, 104"
    assert finding.verdict == "mixed"        # at n = 3 a lone neuron still reaches 47/256 > 1%


# --- approximation --------------------------------------------------------------------------

def _approx_members(falls):
    rows = []
    for task in ("square", "sin", "sawtooth"):
        for width in (1, 2, 4, 16):
            error = 1.0 / width if falls else 0.1 * width
            rows += [{"task.name": task, "width": width, "max_error": error * (1 + m), "final_loss": error,
                      "task.L": 3} for m in range(2)]
    return Results(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame())


@pytest.mark.parametrize("falls,verdict", [(True, "supported"), (False, "mixed")])
def test_approximation_rule_on_synthetic_training(tmp_path, falls, verdict):
    claim = {**load_claim("approximation"), "max_L": 4}
    finding = approximation.analyse(_approx_members(falls), claim, tmp_path)
    assert finding.verdict == verdict
    assert finding.numbers["smallest_width_fitting_sawtooth"] == (16 if falls else 1)


def test_approximation_refutes_a_wrong_construction():
    claim = load_claim("approximation")
    interp = approximation.interpolant_table([1, 2, 4])
    saw = approximation.sawtooth_table(3)
    trained = pd.DataFrame({"task": ["square"] * 3 + ["sin"] * 3, "width": [1, 2, 4] * 2,
                            "best": [1.0, 0.5, 0.2] * 2})
    assert approximation.decide(interp, saw, trained, claim)[0] == "supported"
    assert approximation.decide(interp, saw.assign(deep_pieces=saw["deep_pieces"] - 1), trained,
                                claim)[0] == "refuted"
    assert approximation.decide(interp.assign(dense_error=interp["dense_error"] * 1.1), saw, trained,
                                claim)[0] == "refuted"


# --- product ------------------------------------------------------------------------------

def test_product_rule():
    claim = load_claim("product")
    nets = pd.DataFrame({"n": [2, 4, 6], "tree_units": [4, 12, 22], "shallow_units": [4, 16, 64],
                         "tree_error": [1e-5] * 3, "shallow_error": [1e-4] * 3})
    nets["ratio"] = nets["shallow_units"] / nets["tree_units"]
    assert product.decide(2.0, nets, claim) == "supported"
    assert product.decide(1.0, nets, claim) == "mixed"
    assert product.decide(2.0, nets.assign(shallow_error=[1e-4, 1e-2, 1e-4]), claim) == "mixed"
    assert product.decide(2.0, nets.assign(tree_units=[4, 20, 70]), claim) == "refuted"


def test_product_gate_slope_is_two():
    table = product.gate_table([0.1, 0.05, 0.025])
    assert product.slope(table) == pytest.approx(2.0, abs=0.02)


# --- bias ---------------------------------------------------------------------------------

def _bias_members(no_bias_rate):
    rows = []
    for activation in ("sigmoid", "tanh"):
        for name in ("parity", "majority"):
            for with_bias in (True, False):
                rate = 1.0 if with_bias else no_bias_rate(activation, name)
                rows += [{"task.encoding": "pm1", "model.activation": activation, "task.name": name,
                          "task.n": 3, "model.bias": with_bias, "fitted": m < rate * 40,
                          "max_error": 0.3 if m < rate * 40 else 1.4} for m in range(40)]
    return Results(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame())


@pytest.mark.parametrize("rate,verdict", [
    (lambda a, f: 0.0 if a == "sigmoid" else 0.05, "supported"),   # needed in every cell
    (lambda a, f: 1.0, "refuted"),                                  # never needed
    (lambda a, f: 0.0 if f == "parity" else 1.0, "mixed"),
])
def test_bias_rule(tmp_path, rate, verdict):
    assert bias.analyse(_bias_members(rate), load_claim("bias"), tmp_path).verdict == verdict


def test_bias_counts_a_flagged_fit_at_zero_margin_as_a_tie(tmp_path):
    members = _bias_members(lambda a, f: 1.0).members
    tie = (members["model.activation"] == "tanh") & ~members["model.bias"]
    members.loc[tie, "max_error"] = 1.0 - 1e-17       # every output ~1e-17 from the threshold 0
    finding = bias.analyse(Results(members, pd.DataFrame(), pd.DataFrame()), load_claim("bias"), tmp_path)
    assert finding.numbers["flagged_fits_that_are_ties"] == 80
    assert finding.numbers["verdict_as_first_registered"] == "refuted"
    assert finding.verdict == "mixed"                   # tanh cells: p0 = 0 once ties are discounted


def test_bias_fit_in_a_forbidden_cell_is_inconclusive(tmp_path):
    members = _bias_members(lambda a, f: 0.5).members
    members.loc[members["task.name"] == "parity", "task.n"] = 2     # tanh/pm1/parity2 is forbidden
    results = Results(members, pd.DataFrame(), pd.DataFrame())
    assert bias.analyse(results, load_claim("bias"), tmp_path).verdict == "inconclusive"


# --- stepsize -----------------------------------------------------------------------------

def _step_results(decay_loss):
    rows, curves = [], []
    rng = np.random.default_rng(0)
    for task in ("sin", "parity"):
        for schedule in ("constant", "inverse_time"):
            centre = 0.1 if schedule == "constant" else decay_loss[task]
            rows += [{"task.name": task, "trainer.schedule": schedule, "diverged": False,
                      "final_loss": centre * (1 + 0.05 * rng.standard_normal())} for _ in range(30)]
            curves += [{"task.name": task, "trainer.schedule": schedule, "epoch": e, "median": centre,
                        "q25": centre, "q75": centre} for e in (0, 10)]
    return Results(pd.DataFrame(rows), pd.DataFrame(curves), pd.DataFrame())


@pytest.mark.parametrize("decay,verdict", [({"sin": 0.01, "parity": 0.02}, "supported"),
                                           ({"sin": 0.5, "parity": 0.4}, "refuted"),
                                           ({"sin": 0.01, "parity": 0.4}, "mixed")])
def test_stepsize_rule(tmp_path, decay, verdict):
    finding = stepsize.analyse(_step_results(decay), load_claim("stepsize"), tmp_path)
    assert finding.verdict == verdict
    assert (tmp_path / finding.figures[0]).exists()


@pytest.mark.parametrize("claim_id", ["linear", "approximation", "bias", "stepsize"])
def test_sweep_experiments_compose_into_valid_jobs(claim_id):
    from expressivity.config import validate
    from jobs import compose_job
    cfg = compose_job(f"+experiment={claim_id}", "profile=quick")
    assert cfg.experiment == claim_id
    assert validate(cfg) is None
    assert set(cfg.grids.quick) and set(cfg.grids.full)


@pytest.mark.parametrize("module", [linear, approximation, bias, stepsize])
def test_a_missing_sweep_is_inconclusive_not_a_crash(module, tmp_path):
    finding = module.analyse(EMPTY, load_claim(module.ID), tmp_path)
    assert finding.verdict == "inconclusive" and "no records" in finding.text
