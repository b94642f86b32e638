"""Enumerating small networks: threshold-neuron counts (an oracle), digits, distinct functions."""
import itertools

import numpy as np
import pytest

from expressivity.tasks import all_inputs
from expressivity.theory import count_functions, enumerated_population, networks_in, threshold_count


@pytest.mark.parametrize("n,known", [(1, 4), (2, 14), (3, 104), (4, 1882)])
def test_one_threshold_neuron_computes_the_known_number_of_functions(n, known):
    # OEIS A000609: the number of threshold functions of n variables
    assert threshold_count(n, max_weight=3) == known


def test_too_small_weights_miss_threshold_functions():
    assert threshold_count(4, max_weight=1) < 1882
    with pytest.raises(ValueError, match="max_weight"):
        threshold_count(3, max_weight=0)


def test_network_i_reads_its_parameters_as_digits_of_i():
    values = [-1.0, 0.0, 1.0]
    # sizes (2, 1): W is (2, 1), b is (1,): digits (w0, w1, b), least significant first
    net = enumerated_population((2, 1), values, start=0, stop=27)
    i = 1 * 1 + 2 * 3 + 0 * 9            # w0 = values[1], w1 = values[2], b = values[0]
    assert net.weights[0][i, :, 0].tolist() == [0.0, 1.0] and net.biases[0][i, 0] == -1.0
    assert net.population == 27 == networks_in((2, 1), values)


def _brute_force(sizes, values):
    """Every parameter vector by itertools, evaluated with plain Python: an independent count."""
    n, hidden = sizes[0], sizes[1] if len(sizes) == 3 else 0
    count = n * hidden + hidden + hidden + 1 if hidden else n + 1
    tables = set()
    for params in itertools.product(values, repeat=count):
        p = list(params)
        row = []
        for x in all_inputs(n).tolist():
            if hidden:
                h = []
                for j in range(hidden):
                    w = p[j * n:(j + 1) * n]
                    h.append(1 if sum(a * b for a, b in zip(w, x)) + p[n * hidden + j] >= 0 else 0)
                v = p[n * hidden + hidden:n * hidden + 2 * hidden]
                row.append(1 if sum(a * b for a, b in zip(v, h)) + p[-1] >= 0 else 0)
            else:
                row.append(1 if sum(a * b for a, b in zip(p[:n], x)) + p[n] >= 0 else 0)
        tables.add(tuple(row))
    return len(tables)


@pytest.mark.parametrize("sizes,values", [((2, 1), [-1, 1]), ((2, 1), [-1, 0, 1]),
                                          ((3, 1), [-1, 0, 1]), ((2, 2, 1), [-1, 1]),
                                          ((3, 2, 1), [-1, 1])])
def test_distinct_functions_match_an_independent_brute_force(sizes, values):
    found = count_functions(sizes, values)
    assert found["distinct"] == _brute_force(sizes, values)
    assert found["distinct"] <= min(found["networks"], found["functions"])
    assert found["networks"] == len(values) ** found["parameters"]


def test_one_bit_neuron_with_three_values_computes_all_four_functions():
    found = count_functions((1, 1), [-1, 0, 1])
    assert found["networks"] == 9 and found["distinct"] == 4
    assert found["codes"].tolist() == [0, 1, 2, 3]   # 0, NOT x, x, 1


def test_count_refuses_enumerations_too_big_or_too_wide():
    with pytest.raises(ValueError, match="at most"):
        count_functions((4, 4, 1), [-1, 0, 1])
    with pytest.raises(ValueError, match="n <= 5"):
        count_functions((6, 1), [-1, 1])
