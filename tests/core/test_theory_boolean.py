"""Boolean constructions run as MLPs: DNF on every function of n <= 4 bits, parity, tables."""
import math

import numpy as np
import pytest

from expressivity.tasks import all_inputs, truth_table
from expressivity.theory import (all_functions, dnf_network, dnf_width, parity_shallow, parity_tree,
                                 random_functions, table_codes)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_dnf_computes_every_function_exactly(n):
    # n = 4: all 65,536 functions in one population of one architecture, one forward pass
    tables = all_functions(n)
    net = dnf_network(tables, width=2 ** (n - 1))
    assert net.sizes == (n, 2 ** (n - 1), 1) and net.population == 2 ** 2 ** n
    out = net.forward(all_inputs(n))[:, :, 0]
    assert np.array_equal(out, tables)


@pytest.mark.parametrize("n,count", [(5, 20), (7, 10), (10, 3)])
def test_dnf_computes_seeded_random_functions_exactly(n, count):
    tables = random_functions(n, count, np.random.default_rng(n))
    out = dnf_network(tables).forward(all_inputs(n))[:, :, 0]
    assert np.array_equal(out, tables)


def test_dnf_uses_one_unit_per_true_or_per_false_input_whichever_is_fewer():
    tables = np.array([[0, 0, 0, 1], [1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0], [1, 1, 1, 1]])
    assert dnf_width(tables).tolist() == [1, 1, 2, 0, 0]
    net = dnf_network(tables)
    assert net.sizes == (2, 2, 1)
    # AND: one detecting unit for (1, 1) with weights (+1, +1) and bias 1/2 - 2; OR at the output
    assert net.weights[0][0, :, 0].tolist() == [1.0, 1.0] and net.biases[0][0, 0] == -1.5
    assert net.biases[1][0, 0] == -0.5
    # NAND: one unit for the false input (1, 1); NOR at the output
    assert net.weights[1][1, 0, 0] == -1.0 and net.biases[1][1, 0] == 0.5
    # padding units never fire
    assert (net.forward(all_inputs(2)) >= 0).all()
    z = net.pre_activations[0]
    assert (z[0, :, 1] < 0).all()            # AND uses one unit; the second is inert


def test_dnf_rejects_bad_tables_and_narrow_widths():
    with pytest.raises(ValueError, match="allowed: >= 2"):
        dnf_network(np.array([[0, 1, 1, 0]]), width=1)
    with pytest.raises(ValueError, match=r"\(P, 2\^n\) of 0/1"):
        dnf_network(np.array([[0, 1, 2, 0]]))
    with pytest.raises(ValueError, match=r"\(P, 2\^n\)"):
        dnf_network(np.array([[0, 1, 1]]))


@pytest.mark.parametrize("n", range(1, 11))
def test_parity_shallow_is_exact_with_n_units(n):
    X, Y = truth_table("parity", n)
    net = parity_shallow(n)
    assert net.sizes == (n, n, 1)
    assert np.array_equal(net.forward(X)[0], Y)


@pytest.mark.parametrize("n", range(2, 13))
def test_parity_tree_is_exact_in_ceil_log2_n_layers(n):
    X, Y = truth_table("parity", n)
    net = parity_tree(n)
    assert np.array_equal(net.forward(X)[0], Y)
    assert len(net.sizes) - 2 == math.ceil(math.log2(n))
    # 2 units per XOR (n - 1 of them) plus one per value carried past a level
    carries, values = 0, n
    while values > 1:
        carries += values % 2
        values = values // 2 + values % 2
    assert sum(net.sizes[1:-1]) == 2 * (n - 1) + carries
    if n & (n - 1) == 0:
        assert sum(net.sizes[1:-1]) == 2 * (n - 1)


def test_parity_rejects_bad_n():
    with pytest.raises(ValueError, match="allowed: an integer >= 2"):
        parity_tree(1)
    with pytest.raises(ValueError, match="allowed: an integer >= 1"):
        parity_shallow(0)


def test_all_functions_and_codes_round_trip():
    tables = all_functions(3)
    assert tables.shape == (256, 8)
    assert np.array_equal(table_codes(tables), np.arange(256))
    # function 0b0110 of 2 bits is XOR in the tasks' row order
    assert np.array_equal(all_functions(2)[0b0110], truth_table("parity", 2)[1][:, 0])
    with pytest.raises(ValueError, match="cannot be enumerated"):
        all_functions(5)
    with pytest.raises(ValueError, match="other than 0 and 1"):
        table_codes(np.array([[0, 2]]))
