"""bias: existence over every function (proofs and witnesses) and the training rule, on synthetic tables."""
import numpy as np
import pandas as pd
import pytest

from tests.support.jobs import construction_results
from expressivity.claims.bias.cells import (cell_reasons, decide_exists, decide_training, existence_table,
                                            found_from_rows, function_code, obstruction, reachable_codes,
                                            trained_witnesses, training_table)
from expressivity.claims.constructed import construction_frame
from expressivity.constructions.bias import search
from expressivity.tasks import make_task
from expressivity.theory.symmetry import bias_free_obstruction

SEARCH = dict(encodings=["01", "pm1"], activations=["sigmoid", "tanh", "relu"], ns=[2], samples=1 << 14,
              width=8, seed=0, margin=1e-12)
KEYS = [(e, a, 2) for e in SEARCH["encodings"] for a in SEARCH["activations"]]


def test_function_codes_of_known_tables():
    assert function_code("parity", 2, "01") == 0b0110
    assert function_code("parity", 2, "pm1") == 0b0110
    assert function_code("and", 2, "01") == 0b1000


@pytest.fixture(scope="module")
def reach(tmp_path_factory):
    """The rows of a bias_reach job on 2 bits, run as a job."""
    results = construction_results(tmp_path_factory.mktemp("bias_reach"), ("bias_reach", SEARCH))
    return construction_frame(results, "bias_reach", {"samples": SEARCH["samples"]})


@pytest.fixture(scope="module")
def found(reach):
    return found_from_rows(reach, KEYS)


def test_the_record_gives_back_exactly_what_the_search_found(found):
    direct = search(**SEARCH)
    assert list(found) == list(direct) == KEYS
    for key, f in direct.items():
        assert found[key]["status"].tolist() == f["status"].tolist() and found[key]["reason"] == f["reason"]
        assert found[key]["contradictions"] == f["contradictions"]
        assert found[key]["with_bias"].tolist() == f["with_bias"].tolist()


def test_a_search_the_record_lacks_is_named(reach):
    with pytest.raises(ValueError, match="no search for encoding='pm1', activation='tanh', n=3"):
        found_from_rows(reach, [("pm1", "tanh", 3)])


@pytest.mark.parametrize("name", ["parity", "and", "majority"])
def test_a_cells_obstruction_from_the_record_is_the_tasks_own(reach, name):
    reasons = cell_reasons(reach)
    for encoding, activation, n in KEYS:
        task = make_task(name, n=n, encoding=encoding)
        for ties_fit in (True, False):
            direct = bias_free_obstruction(activation, encoding, task.X, task.Y[:, 0], ties_fit=ties_fit)
            assert obstruction(reasons, encoding, activation, name, n, ties_fit) == direct
    assert obstruction(reasons, "pm1", "tanh", "parity", 2, False).startswith("the network is odd")


def test_existence_on_two_bits(found):
    table = existence_table(found, {})
    assert (table["contradictions"] == 0).all() and (table["with_bias_reached"] == 16).all()
    lost = table.set_index(["encoding", "activation"])["lost_without_bias"]
    assert lost[("01", "sigmoid")] == 0 and lost[("01", "relu")] == 16 and lost[("pm1", "tanh")] == 12
    assert lost[("pm1", "sigmoid")] == 2                        # XOR and XNOR: even pairs, two values
    assert decide_exists(table) == "mixed"                      # sigmoid on 0/1 loses nothing


def test_decide_exists_all_outcomes():
    base = pd.DataFrame({"encoding": ["01", "pm1"], "activation": ["relu", "relu"],
                         "lost_without_bias": [3, 1], "contradictions": [0, 0]})
    assert decide_exists(base) == "supported"
    assert decide_exists(base.assign(lost_without_bias=[0, 0])) == "refuted"
    assert decide_exists(base.assign(lost_without_bias=[0, 2])) == "mixed"
    assert decide_exists(base.assign(contradictions=[0, 1])) == "inconclusive"


def test_a_trained_fit_of_a_forbidden_function_is_a_contradiction(found):
    witnesses = {("pm1", "tanh", 2): {function_code("parity", 2, "pm1")}}    # tanh nets are odd: impossible
    table = existence_table(found, witnesses)
    assert table.set_index(["encoding", "activation"]).loc[("pm1", "tanh"), "contradictions"] == 1
    assert decide_exists(table) == "inconclusive"


def _members(p1, p0, fit_epoch=10, restarts=50, encoding="pm1", activation="relu"):
    rows = []
    for bias, p in ((True, p1), (False, p0)):
        fits = np.arange(restarts) < round(p * restarts)
        rows.append(pd.DataFrame({"task.encoding": encoding, "model.activation": activation, "task.name": "and",
                                  "task.n": 2, "model.bias": bias, "fit": fits,
                                  "fit_epoch": np.where(fits, fit_epoch, -1)}))
    return pd.concat(rows, ignore_index=True)


def test_training_rule_supported_refuted_mixed():
    code = function_code("and", 2, "pm1")
    reach = {("pm1", "relu", 2): {code}}
    better = training_table(_members(1.0, 0.2), reach, half_epoch=100)
    assert better["outcome"].tolist() == ["bias better"] and decide_training(better) == "supported"
    tie = training_table(_members(0.9, 0.9), reach, half_epoch=100)
    assert decide_training(tie) == "refuted"
    worse = training_table(_members(0.1, 0.9, activation="tanh"), {("pm1", "tanh", 2): {code}}, 100)
    assert decide_training(pd.concat([better, worse])) == "mixed"
    # the same gap decided only by slow fits is a tie at half the budget
    late = training_table(_members(1.0, 0.2, fit_epoch=500), reach, half_epoch=100)
    assert late["outcome_half_budget"].tolist() == ["tie"]
    # a cell not reachable without biases does not count for training
    assert decide_training(training_table(_members(1.0, 0.0), {}, 100)) == "inconclusive"


def test_trained_witnesses_and_reachable_codes(found):
    m = _members(1.0, 0.5)
    w = trained_witnesses(m)
    assert w == {("pm1", "relu", 2): {function_code("and", 2, "pm1")}}
    reach = reachable_codes(found, w)
    assert function_code("and", 2, "pm1") in reach[("pm1", "relu", 2)]


def test_a_trained_fit_with_biases_is_a_witness_for_the_biased_side(found):
    biased = {("pm1", "tanh", 2): {function_code("parity", 2, "pm1")}}
    table = existence_table(found, {}, biased)
    assert table.set_index(["encoding", "activation"]).loc[("pm1", "tanh"), "with_bias_reached"] == 16
