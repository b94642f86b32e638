"""bias: existence over every function (proofs and witnesses) and the training rule, on synthetic tables."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims.bias_cells import (decide_exists, decide_training, existence_table, function_code,
                                            reachable_codes, search, trained_witnesses, training_table)


def test_function_codes_of_known_tables():
    assert function_code("parity", 2, "01") == 0b0110
    assert function_code("parity", 2, "pm1") == 0b0110
    assert function_code("and", 2, "01") == 0b1000


@pytest.fixture(scope="module")
def found():
    return search(["01", "pm1"], ["sigmoid", "tanh", "relu"], [2], samples=1 << 14, width=8, seed=0, margin=1e-12)


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
