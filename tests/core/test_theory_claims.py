"""Each theory claim's rule on synthetic inputs: supported in one case, not in another."""
import numpy as np
import pandas as pd
import pytest

from tests.support.claimkit import analyse, rule_of
from tests.support.jobs import construction_results
from expressivity.claims.approximation import claim as approximation
from expressivity.claims.backprop import claim as backprop
from expressivity.claims.bias import claim as bias
from expressivity.claims.counting import claim as counting
from expressivity.claims.linear import claim as linear
from expressivity.claims.product import claim as product
from expressivity.claims.stepsize import claim as stepsize
from expressivity.claims.universality import claim as universality
from expressivity.claims.registry import discover
from expressivity.storage.results import Results

EMPTY = Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
THEORY_CLAIMS = ["backprop", "linear", "universality", "counting", "approximation", "product",
                 "bias", "stepsize"]


def test_theory_claims_are_discovered_after_the_main_ones():
    assert list(discover())[-len(THEORY_CLAIMS):] == THEORY_CLAIMS


@pytest.mark.parametrize("claim_id", THEORY_CLAIMS)
def test_claim_files_hold_a_complete_claim(claim_id):
    claim = discover()[claim_id].meta
    assert claim["id"] == claim_id
    for key in ("title", "statement", "rule"):
        assert isinstance(claim[key], str) and len(claim[key]) > 40, key
    assert claim["sweeps"] in ([], [claim_id]) or (claim_id, claim["sweeps"]) in [
        ("product", ["product_train", "product_train_ladder", "product_constructions"]),
        ("linear", ["linear", "linear_constructions"]),
        ("approximation", ["approximation", "approximation_constructions"]),
        ("bias", ["bias", "bias_constructions"])]


# --- backprop -----------------------------------------------------------------------------

def test_backprop_rule():
    rule = rule_of("backprop")
    assert backprop.verdict(1e-9, 0.0, rule) == "supported"
    assert backprop.verdict(0.3, 0.0, rule) == "refuted"
    assert backprop.verdict(1e-5, 0.0, rule) == "mixed"
    assert backprop.verdict(1e-9, 0.5, rule) == "inconclusive"


def test_backprop_analysis_on_a_small_grid(tmp_path):
    small = dict(activations=["tanh", "relu"], losses=["squared", "bce"], depths=[0, 2],
                 bias=[True, False], members=3)
    results = construction_results(tmp_path, ("gradient_errors", small))
    finding = analyse("backprop", results, tmp_path, **small)
    assert finding.exists.verdict == "verified" and finding.training.verdict == "not tested"
    assert finding.verdict == "verified" and finding.numbers["configurations"] == 16
    assert (tmp_path / finding.figures[0]).exists()


# --- linear -------------------------------------------------------------------------------

def _linear_members(identity_loss, identity_fit, control_fits):
    rows = []
    for depth in (1, 2):
        for m in range(4):
            rows.append({"model.activation": "identity", "depth": depth, "fitted": identity_fit and m == 0,
                         "diverged": False, "final_loss": identity_loss, "fit_epoch": 5 if identity_fit and m == 0 else -1})
            rows.append({"model.activation": "sigmoid", "depth": depth, "fitted": control_fits and m < 2,
                         "diverged": False, "final_loss": 0.1, "fit_epoch": 5 if control_fits and m < 2 else -1})
    frame = pd.DataFrame(rows)
    return frame.assign(**{"task.name": "parity", "task.n": 2, "task.encoding": "01", "trainer.max_epochs": 100,
                           "trainer.lr": 0.2})


@pytest.fixture(scope="module")
def linear_rows(tmp_path_factory):
    """The rows of linear's construction jobs (depths 1-2), run as jobs."""
    folder = tmp_path_factory.mktemp("linear_constructions")
    return construction_results(folder, ("linear_collapse", {"max_depth": 2}), ("linear_xor", {})).rows


def _linear_results(members, rows):
    return Results(members, pd.DataFrame(), pd.DataFrame(), rows)


@pytest.mark.parametrize("identity_loss,identity_fit,control,training,overall", [
    (0.25, False, True, "supported", "supported"),
    (0.25, True, True, "supported", "supported"),   # a flagged fit at the floor is a rounding tie
    (0.20, False, True, "refuted", "mixed"),        # below the affine floor: not linear
    (0.20, True, True, "refuted", "mixed"),         # a real fit (margin well above the tie radius)
    (0.25, False, False, "supported", "supported"),  # the control never fits: context, not deciding
])
def test_linear_rule(tmp_path, linear_rows, identity_loss, identity_fit, control, training, overall):
    results = _linear_results(_linear_members(identity_loss, identity_fit, control), linear_rows)
    finding = analyse("linear", results, tmp_path, collapse_max_depth=2)
    assert finding.exists.verdict == "verified" and finding.training.verdict == training
    assert finding.verdict == overall   # a collapse that holds beside training that disagrees
    before, = [d for k, d in finding.registered.items() if "with_control" in k]
    assert before.verdict == ("mixed" if training == "supported" and not control else training)


def test_linear_existence_is_refuted_when_the_collapse_misses(tmp_path, linear_rows):
    results = _linear_results(_linear_members(0.25, False, True), linear_rows)
    finding = analyse("linear", results, tmp_path, collapse_max_depth=2, collapse_tolerance=0.0)
    assert finding.exists.verdict == "refuted" and finding.verdict == "mixed"


def test_linear_reads_exactly_what_the_construction_functions_give(tmp_path, linear_rows):
    from expressivity.constructions.linear import collapse_rows, xor_rows
    results = _linear_results(_linear_members(0.25, False, True), linear_rows)
    rule = rule_of("linear", collapse_max_depth=2)
    ev = linear.evidence(results, rule)
    direct = pd.DataFrame(collapse_rows(2, rule.seed, 5, 3, 2, 16))
    pd.testing.assert_frame_equal(ev.collapse, direct)
    assert ev.worst == direct["relative_error"].max() < 1e-12
    (xor,) = xor_rows()
    assert (ev.separable, ev.thresholds) == (xor["xor_linearly_separable"], xor["threshold_functions"])
    finding = analyse("linear", results, tmp_path, collapse_max_depth=2)
    assert finding.exists.numbers["threshold_functions_of_2_bits"] == 14
    with pytest.raises(ValueError, match="record's max_depth=2 is not the claim's registered max_depth=8"):
        linear.evidence(results, rule_of("linear"))


def test_linear_tie_distance_is_zero_at_the_floor_and_grows_with_excess_loss():
    outputs = np.full(4, 0.5)
    assert linear.tie_distance([0.25], 0.25, outputs, 4, 0.5)[0] == 0.0
    assert linear.tie_distance([0.26], 0.25, outputs, 4, 0.5)[0] == pytest.approx(0.2)


# --- universality and counting (constructions; reduced sizes) --------------------------------

def test_universality_analysis_on_small_n(tmp_path):
    small = dict(exhaustive_max_n=3, sampled_max_n=5, samples=5)
    results = construction_results(tmp_path, ("universality_dnf", small),
                                   ("universality_parity", {"max_n": 5}))
    finding = analyse("universality", results, tmp_path, parity_max_n=5, **small)
    assert finding.verdict == "verified" and finding.numbers["mismatching_functions"] == 0
    assert finding.numbers["functions_checked"] == 4 + 16 + 256 + 5 + 5


def test_universality_rule():
    parity = pd.DataFrame({"exact": [True, True]})
    good = pd.DataFrame({"wrong": [0, 0], "widest_used": [1, 2], "architecture_width": [1, 2]})
    assert universality.verdict(good, parity) == "supported"
    assert universality.verdict(good.assign(wrong=[0, 1]), parity) == "refuted"
    assert universality.verdict(good, pd.DataFrame({"exact": [True, False]})) == "inconclusive"


def _arch(shares, networks=None):
    n = [2, 3, 4]
    return pd.DataFrame({"n": n, "hidden": "[2]", "networks": networks or [10, 10, 10],
                         "functions": [2 ** 2 ** k for k in n], "distinct": [4, 4, 4],
                         "share_of_all": shares})


def test_counting_rule_before_issue_10():
    claim = rule_of("counting")
    thresholds = pd.DataFrame({"n": [1, 2], "counted": [4, 14], "known": [4, 14]})
    assert counting.verdict_before(_arch([0.25, 0.02, 0.0001]), thresholds, claim) == "supported"
    assert counting.verdict_before(_arch([0.25, 0.2, 0.5]), thresholds, claim) == "mixed"
    too_many = _arch([0.25, 0.02, 0.0001], networks=[2, 2, 2])      # 4 distinct from 2 networks
    assert counting.verdict_before(too_many, thresholds, claim) == "inconclusive"
    assert counting.verdict_before(_arch([0.25, 0.02, 0.0001]), thresholds.assign(counted=[4, 13]),
                                   claim) == "inconclusive"


def test_counting_analysis_on_small_architectures(tmp_path):
    architectures = [{"sizes": [2, 1], "values": [-1, 0, 1]}, {"sizes": [3, 1], "values": [-1, 0, 1]}]
    results = construction_results(tmp_path, ("counting_architectures", {"architectures": architectures}),
                                   ("counting_thresholds", {"max_n": 3}))
    finding = analyse("counting", results, tmp_path, threshold_known=[4, 14, 104],
                      architectures=architectures)
    assert finding.numbers["threshold_counts"] == "4, 14, 104"
    assert finding.verdict == "mixed"        # at n = 3 a lone neuron still reaches 47/256 > 1%


# --- approximation --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sawtooth_rows(tmp_path_factory):
    """The rows of approximation's sawtooth job for L = 1..4, run as a job."""
    folder = tmp_path_factory.mktemp("approximation_constructions")
    return construction_results(folder, ("approximation_sawtooth", {"max_L": 4})).rows


def _approx_members(falls, sawtooth):
    """Synthetic training members beside the sawtooth job's rows ``sawtooth``."""
    rows = []
    for task in ("square", "sin", "sawtooth"):
        for width in (1, 2, 4, 16):
            error = 1.0 / width if falls else 0.1 * width
            rows += [{"task.name": task, "width": width, "max_error": error * (1 + m), "final_loss": error,
                      "task.L": 3} for m in range(2)]
    return Results(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame(), sawtooth)


@pytest.mark.parametrize("falls,verdict", [(True, "supported"), (False, "refuted")])   # rule v2: can refute
def test_approximation_rule_on_synthetic_training(tmp_path, sawtooth_rows, falls, verdict):
    finding = analyse("approximation", _approx_members(falls, sawtooth_rows), tmp_path, max_L=4)
    assert finding.exists.verdict == "verified" and finding.training.verdict == verdict
    assert finding.verdict == ("supported" if falls else "mixed")   # sides disagree: mixed
    assert finding.numbers["smallest_width_fitting_sawtooth"] == (16 if falls else 1)


def test_approximation_reads_exactly_what_the_sawtooth_function_gives(tmp_path, sawtooth_rows):
    from expressivity.constructions.approximation import sawtooth_rows as build
    rule = rule_of("approximation", max_L=4)
    ev = approximation.evidence(_approx_members(True, sawtooth_rows), rule)
    pd.testing.assert_frame_equal(ev.saw, pd.DataFrame(build(4)))
    assert list(ev.saw["deep_pieces"]) == [2, 4, 8, 16] and list(ev.saw["shallow_units_needed"]) == [1, 3, 7, 15]
    decision = approximation.decide_exists(ev, rule)
    assert decision.numbers["deep_sawtooth_pieces_L10"] == 16     # the label's L is the rule's max_L
    with pytest.raises(ValueError, match="record's max_L=4 is not the claim's registered max_L=10"):
        approximation.evidence(_approx_members(True, sawtooth_rows), rule_of("approximation"))


def test_approximation_refutes_a_wrong_construction(sawtooth_rows):
    rule = rule_of("approximation")
    interp = approximation.interpolant_table([1, 2, 4])
    saw = approximation.sawtooth_table(_approx_members(True, sawtooth_rows), 4)
    assert approximation.constructions_hold(interp, saw, rule)
    assert not approximation.constructions_hold(
        interp, saw.assign(deep_pieces=saw["deep_pieces"] - 1), rule)
    assert not approximation.constructions_hold(
        interp.assign(dense_error=interp["dense_error"] * 1.1), saw, rule)


def test_approximation_training_rule():
    rule = rule_of("approximation")
    assert approximation.training_verdict({"square": -1.0, "sin": -0.9}, rule) == "supported"
    assert approximation.training_verdict({"square": -1.0, "sin": 0.5}, rule) == "mixed"
    assert approximation.training_verdict({"square": -1.0}, rule) == "inconclusive"


# --- product ------------------------------------------------------------------------------

def test_product_rule():
    claim = rule_of("product")
    nets = pd.DataFrame({"n": [2, 4, 6], "tree_units": [4, 12, 22], "shallow_units": [4, 16, 64],
                         "tree_error": [1e-5] * 3, "shallow_error": [1e-4] * 3})
    nets["ratio"] = nets["shallow_units"] / nets["tree_units"]
    assert product.verdict(2.0, nets, claim) == "supported"
    assert product.verdict(1.0, nets, claim) == "mixed"
    assert product.verdict(2.0, nets.assign(shallow_error=[1e-4, 1e-2, 1e-4]), claim) == "mixed"
    assert product.verdict(2.0, nets.assign(tree_units=[4, 20, 70]), claim) == "refuted"


def test_product_gate_slope_is_two(tmp_path):
    scales = [0.1, 0.05, 0.025]
    table = product.gate_table(construction_results(tmp_path, ("product_gate", {"scales": scales})), scales)
    assert product.slope(table) == pytest.approx(2.0, abs=0.02)


def test_product_constructions_from_records_on_small_n(tmp_path):
    small = dict(max_n=5, samples=256)   # the rule needs n >= 4 twice (the ratio grows)
    results = construction_results(tmp_path, ("product_gate", {}), ("product_networks", small))
    rule = rule_of("product", **small)
    ev = product.evidence(Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), results.rows), rule)
    decision = product.decide_exists(ev, rule)
    assert decision.verdict == "supported" and list(ev.nets["n"]) == [2, 3, 4, 5]
    assert decision.numbers["tree_units_n5"] < decision.numbers["shallow_units_n5"]
    assert product.decide_training(ev, rule).verdict == "inconclusive"    # no training records


# --- bias ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bias_reach(tmp_path_factory):
    """The rows of bias's search job over the synthetic sweep's grid (4096 random nets), run as a job."""
    folder = tmp_path_factory.mktemp("bias_reach")
    grid = dict(encodings=["pm1"], activations=["sigmoid", "tanh"], ns=[2, 3], samples=4096)
    return construction_results(folder, ("bias_reach", grid)).rows


def _bias_members(no_bias_rate, reach):
    rows = []
    for activation in ("sigmoid", "tanh"):
        for name in ("parity", "majority"):
            for with_bias in (True, False):
                rate = 1.0 if with_bias else no_bias_rate(activation, name)
                rows += [{"task.encoding": "pm1", "model.activation": activation, "task.name": name,
                          "task.n": 3, "model.bias": with_bias, "fitted": m < rate * 40,
                          "max_error": 0.3 if m < rate * 40 else 1.4, "fit_epoch": 5 if m < rate * 40 else -1,
                          "trainer.max_epochs": 100, "trainer.lr": 0.5} for m in range(40)]
    return Results(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame(), reach)


SEARCH = {"search_samples": 4096}


@pytest.mark.parametrize("rate,training,before", [
    (lambda a, f: 0.0 if a == "sigmoid" else 0.05, "supported", "supported"),   # better in every cell
    (lambda a, f: 1.0, "refuted", "refuted"),                                    # never better
    (lambda a, f: 0.0 if f == "parity" else 1.0, "supported", "mixed"),          # better in some, worse in none
])
def test_bias_rule(tmp_path, bias_reach, rate, training, before):
    finding = analyse("bias", _bias_members(rate, bias_reach), tmp_path, **SEARCH)
    # every function here is reachable without biases (odd for tanh; sigmoid's pairs agree), and
    # sigmoid and tanh on +-1 each lose some function of 3 bits: existence is supported throughout
    assert finding.exists.verdict == "verified" and finding.training.verdict == training
    share, = [d for k, d in finding.registered.items() if "share" in k]
    assert share.verdict == before


def test_bias_counts_a_flagged_fit_at_zero_margin_as_a_tie(tmp_path, bias_reach):
    members = _bias_members(lambda a, f: 1.0, bias_reach).members
    tie = (members["model.activation"] == "tanh") & ~members["model.bias"]
    members.loc[tie, "max_error"] = 1.0 - 1e-17       # every output ~1e-17 from the threshold 0
    finding = analyse("bias", Results(members, pd.DataFrame(), pd.DataFrame(), bias_reach), tmp_path, **SEARCH)
    first, = [d for k, d in finding.registered.items() if "decide_training_registered" in k]
    assert first.numbers["flagged_fits_that_are_ties"] == 80 and first.verdict == "refuted"
    assert finding.training.verdict == "supported"     # tanh cells: p0 = 0 once ties are discounted


def test_bias_fit_in_a_forbidden_cell_is_inconclusive(tmp_path, bias_reach):
    members = _bias_members(lambda a, f: 0.5, bias_reach).members
    members.loc[members["task.name"] == "parity", "task.n"] = 2     # tanh/pm1/parity2 is forbidden
    results = Results(members, pd.DataFrame(), pd.DataFrame(), bias_reach)
    finding = analyse("bias", results, tmp_path, **SEARCH)
    assert finding.exists.verdict == "inconclusive" and finding.exists.numbers["contradictions"] > 0


def test_bias_reads_its_search_from_the_record_made_with_the_rules_numbers(tmp_path, bias_reach):
    results = _bias_members(lambda a, f: 1.0, bias_reach)
    with pytest.raises(ValueError, match="record's samples=4096 is not the claim's registered samples=65536"):
        bias.evidence(results, rule_of("bias"))
    ev = bias.evidence(results, rule_of("bias", **SEARCH))
    tanh = ev.existence.set_index("activation").loc["tanh"]
    odd = bias_reach[(bias_reach["construction.name"] == "bias_reach") & (bias_reach["activation"] == "tanh")
                     & (bias_reach["n"] == 3) & (bias_reach["status"] != "impossible")]
    assert len(odd) == 16 == 2 ** 4                    # odd nets: f(-x) = not f(x), 4 antipodal pairs
    assert tanh["functions"] == 256 and tanh["reached_without_bias"] + tanh["unknown"] == 16


# --- stepsize -----------------------------------------------------------------------------

def _step_results(decay_loss):
    rows, curves = [], []
    rng = np.random.default_rng(0)
    for task in ("sin", "parity"):
        for schedule in ("constant", "inverse_time"):
            centre = 0.1 if schedule == "constant" else decay_loss[task]
            rows += [{"task.name": task, "trainer.schedule": schedule, "diverged": False,
                      "final_loss": centre * (1 + 0.05 * rng.standard_normal()), "trainer.lr": 0.1,
                      "trainer.max_epochs": 10, "trainer.batch_size": 0, "trainer.tau": 10.0,
                      "trainer.gamma": 0.9, "trainer.step_every": 1} for _ in range(30)]
            curves += [{"task.name": task, "trainer.schedule": schedule, "epoch": e, "median": centre,
                        "q25": centre, "q75": centre} for e in (0, 10)]
    return Results(pd.DataFrame(rows), pd.DataFrame(curves), pd.DataFrame())


@pytest.mark.parametrize("decay,verdict", [({"sin": 0.01, "parity": 0.02}, "supported"),
                                           ({"sin": 0.5, "parity": 0.4}, "refuted"),
                                           ({"sin": 0.01, "parity": 0.4}, "mixed")])
def test_stepsize_rule(tmp_path, decay, verdict):
    finding = analyse("stepsize", _step_results(decay), tmp_path)
    assert finding.verdict == verdict
    assert (tmp_path / finding.figures[0]).exists()


@pytest.mark.parametrize("claim_id", ["linear", "approximation", "bias", "stepsize"])
def test_sweep_experiments_compose_into_valid_jobs(claim_id):
    from expressivity.job.config import validate
    from tests.support.jobs import compose_job
    cfg = compose_job(f"+experiment={claim_id}", "profile=quick")
    assert cfg.experiment == claim_id
    assert validate(cfg) is None
    assert set(cfg.grids.quick) and set(cfg.grids.full)


@pytest.mark.parametrize("claim_id", ["linear", "approximation", "bias", "stepsize"])
def test_a_missing_sweep_is_inconclusive_not_a_crash(claim_id, tmp_path):
    finding = analyse(claim_id, EMPTY, tmp_path)
    assert finding.verdict == "inconclusive" and "no records" in finding.text
