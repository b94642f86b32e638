"""Rule v4's parts of depth_vs_width: combining verdicts, sizes and the tables part (c) reads."""
import numpy as np
import pandas as pd

from expressivity.claims.depth_vs_width import parts
from expressivity.nn import MLP


def test_combine_needs_every_part():
    assert parts.combine(["supported"] * 3) == "supported"
    assert parts.combine(["refuted", "refuted"]) == "refuted"
    assert parts.combine(["supported", "refuted"]) == "mixed"
    assert parts.combine(["supported", "inconclusive", "refuted"]) == "inconclusive"
    assert parts.combine([]) == "inconclusive"
    assert parts.combine(["mixed", "mixed"]) == "mixed"


def test_uniform_parameters_match_an_mlp_and_units_follow_the_shape():
    net = MLP.init((5, 7, 7, 1), "tanh")
    assert parts.uniform_parameters(5, [7, 7]) == net.n_parameters
    assert parts.total_units(7, 3, "halving") == 7 + 4 + 2
    assert parts.total_units(7, 3, "uniform") == 21


def test_product_proven_table_uses_2_to_the_n_at_depth_1_and_the_tree_deeper():
    rows = pd.DataFrame({"kind": "product", "n": [3, 3, 2, 2], "depth": [1, 2, 1, 1],
                         "construction": ["one layer", "tree", "one layer", "tree"], "parameters": [41, 57, 17, 17]})
    table = parts.product_proven_table(rows)
    assert table.loc[(table["n"] == 3) & (table["depth"] == 1), "parameters"].item() == 5 * 8 + 1
    assert table.loc[(table["n"] == 3) & (table["depth"] == 2), "parameters"].item() == 57
    assert set(table.loc[table["n"] == 2, "depth"]) == {1}          # the 2-input tree is one layer


def test_trained_depth_table_keeps_converged_searches_and_the_cheaper_shape():
    searches = pd.DataFrame({
        "function": "parity", "n": 6, "depth": 2, "task_seed": 0, "seed": [0, 0, 1],
        "shape": ["uniform", "halving", "uniform"], "min_width": [4.0, 5.0, 9.0],
        "min_parameters": [43.0, 40.0, 163.0], "converged": [True, True, False], "censored": False})
    table = parts.trained_depth_table(searches, None)
    assert len(table) == 1                                          # seed 1 is a budget bound
    row = table.iloc[0]
    assert (row["parameters"], row["shape"], row["units"]) == (40.0, "halving", 5 + 3)
    product = pd.DataFrame({"n": [3, 4], "depth": [1, 2], "min_width": [6.0, np.nan], "learned": [True, False]})
    table = parts.trained_depth_table(None, product)
    assert list(table["parameters"]) == [parts.uniform_parameters(3, [6])]


def test_part_a_refutes_on_any_wrong_function_and_waits_without_a_record():
    rows = pd.DataFrame({"kind": "universal", "n": [1, 2], "functions": [4, 16], "wrong": [0, 0]})
    assert parts.part_a(rows).verdict == "supported"
    rows.loc[1, "wrong"] = 2
    assert parts.part_a(rows).verdict == "refuted" and parts.part_a(rows).numbers["a.wrong"] == 2
    assert parts.part_a(None).verdict == "inconclusive"


def test_product_cells_read_only_the_depth_product_sweep():
    assert parts.product_cells(pd.DataFrame(), pd.DataFrame(), 0.01) is None
    other = pd.DataFrame({"experiment": ["product_train"], "final_loss": [0.1]})
    assert parts.product_cells(other, pd.DataFrame(), 0.01) is None
