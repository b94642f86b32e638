"""Depth-2/3 constructions and exact two-layer sizes, each checked on every input."""
import numpy as np
import pytest

from expressivity.exact.depth2 import depth2_network, minimal_depth2
from expressivity.tasks import truth_table
from expressivity.theory.depth import (deepen, hidden_units, parity_of_majorities_deep, parity_siu, siu_block,
                                       siu_gates)
from expressivity.theory.parity import parity_shallow
from expressivity.theory.tables import table_codes


def _fits(net, name, n):
    X, Y = truth_table(name, n)
    return bool((net.forward(X)[0] == Y).all())


def _code(name, n):
    _, Y = truth_table(name, n)
    return int(table_codes(Y.T.astype(np.int8))[0])


@pytest.mark.parametrize("n", range(2, 13))
def test_siu_parity_is_exact_with_its_size_formula(n):
    m = siu_block(n)
    net = parity_siu(n)
    assert _fits(net, "parity", n)
    assert net.sizes == (n, n + n // m, m - 1, 1) or list(net.sizes) == [n, n + n // m, m - 1, 1]
    assert siu_gates(n) == n // m + m - 1


def test_siu_block_minimises_gates_over_even_blocks():
    for n in range(2, 40):
        best = min(n // m + m - 1 for m in range(2, n + 2, 2))
        assert siu_gates(n) == best and siu_block(n) % 2 == 0
    assert siu_gates(36) == 11                     # m = 6: 6 coarse + 5 fine, about 2 sqrt(n)


def test_siu_rejects_an_odd_block():
    with pytest.raises(ValueError, match="even"):
        parity_siu(6, m=3)


@pytest.mark.parametrize("n", range(1, 13))
def test_parity_of_majorities_deep_is_exact_with_2_ceil_n_over_3_units(n):
    net = parity_of_majorities_deep(n)
    assert _fits(net, "parity_of_majorities", n)
    assert hidden_units(net) == 2 * -(-n // 3)


def test_parity_of_majorities_by_hand():
    X, Y = truth_table("parity_of_majorities", 6)
    row = list(map(tuple, X.astype(int))).index((1, 1, 0, 0, 0, 1))   # maj(110)=1, maj(001)=0
    assert Y[row, 0] == 1
    row = list(map(tuple, X.astype(int))).index((1, 1, 0, 0, 1, 1))   # 1 xor 1
    assert Y[row, 0] == 0


@pytest.mark.parametrize("n", [2, 5, 8])
def test_deepen_keeps_the_function_and_adds_one_unit_and_layer(n):
    net = parity_shallow(n)
    deeper = deepen(deepen(net))
    assert _fits(deeper, "parity", n)
    assert hidden_units(deeper) == n + 2 and len(deeper.sizes) == len(net.sizes) + 2


def test_deepen_rejects_a_smooth_net():
    from expressivity.theory.product import product_tree
    with pytest.raises(ValueError, match="step"):
        deepen(product_tree(3, 0.1))


def test_a_broken_construction_is_caught():
    net = parity_siu(8)
    net.weights[1][0, 0, 0] = 0.0                  # drop one input from the fine units' sum
    assert not _fits(net, "parity", 8)


@pytest.mark.parametrize("name,n,total", [("parity", 2, 3), ("parity", 3, 4), ("inner_product", 4, 3),
                                          ("parity_of_majorities", 3, 2)])
def test_minimal_depth2_answers_are_exact_and_nothing_smaller_fits(name, n, total):
    k1, k2, witness = minimal_depth2(n, _code(name, n))
    assert k1 + k2 == total
    assert _fits(depth2_network(n, *witness), name, n)


def test_minimal_depth2_rejects_a_code_out_of_range():
    with pytest.raises(ValueError, match="not a function"):
        minimal_depth2(2, 16)
