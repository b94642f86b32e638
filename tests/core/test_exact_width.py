"""Exact minimal widths of step-unit nets: counts against OEIS, hand cases, a brute-force
oracle for widths <= 2, and every answer rebuilt as a net and run."""
import numpy as np
import pytest

from expressivity.claims.depth_vs_width.exact_table import exact_table, histogram, named_widths
from expressivity.exact import (minimal_widths, npn_classes,
                                output_functions, positive_threshold_functions, threshold_functions,
                                weights_of, witness_network)
from expressivity.tasks import all_inputs, truth_table
from expressivity.theory.tables import table_codes


def code_of(name, n):
    return int(table_codes(truth_table(name, n)[1].T.astype(np.int8))[0])


@pytest.fixture(scope="module")
def table4():
    return exact_table(4)


def test_enumerations_match_the_known_counts():
    assert [len(threshold_functions(n)) for n in (1, 2, 3, 4)] == [4, 14, 104, 1882]        # A000609
    assert [len(positive_threshold_functions(k)) for k in (1, 2, 3, 4, 5)] == [3, 6, 20, 150, 3287]  # A000617
    assert [len(np.unique(npn_classes(n))) for n in (1, 2, 3, 4)] == [2, 4, 14, 222]          # A000370
    assert len(output_functions(2)) == 2                                                    # AND, OR
    assert len(output_functions(3)) == 5   # AND, OR, MAJ, a(b or c), a or bc


def test_hand_cases():
    for n in (2, 3):
        widths, _ = minimal_widths(n, threshold_functions(n))
        assert (widths == 1).all()                                    # every threshold function: 1
    xor = code_of("parity", 2)
    assert minimal_widths(2, [xor])[0][0] == 2
    for n in (2, 3, 4):
        assert minimal_widths(n, [code_of("parity", n)], max_width=5)[0][0] == n
    assert minimal_widths(3, [code_of("majority", 3)])[0][0] == 1


def test_widths_up_to_two_match_brute_force_over_pairs():
    for n in (3, 4):
        T = threshold_functions(n)
        a, b = np.meshgrid(T, T)
        two = set(np.concatenate([(a & b).ravel(), (a | b).ravel()]).tolist())
        widths, _ = minimal_widths(n, range(2 ** 2 ** n)) if n == 3 else (None, None)
        if n == 3:
            assert {c for c, w in enumerate(widths) if w <= 2} == two
        else:
            assert len(two) == 1882 + 39732


def test_every_witness_computes_its_function():
    widths, witnesses = minimal_widths(3, range(256))
    X = all_inputs(3).astype(float)
    for code, (hidden, g) in enumerate(witnesses):
        net = witness_network(3, hidden, g)
        assert net.sizes == (3, len(hidden), 1)
        assert table_codes(net.forward(X)[:, :, 0].astype(np.int8))[0] == code


def test_histogram_for_four_bits(table4):
    hist = histogram(table4).set_index("min_width")
    assert hist["functions"].to_dict() == {1: 1882, 2: 39732, 3: 23920, 4: 2}
    assert hist["functions"].sum() == 2 ** 16 and hist["classes"].sum() == 222
    named = named_widths(table4).set_index("function")["min_width"]
    assert named["parity"] == 4 and named["majority"] == 1


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="n=5"):
        threshold_functions(5)
    with pytest.raises(ValueError, match="codes="):
        minimal_widths(2, [16])
    with pytest.raises(ValueError, match="max_width=2"):
        minimal_widths(3, [code_of("parity", 3)], max_width=2)
    with pytest.raises(ValueError, match="code=6"):
        weights_of(6, 2)                                   # XOR is not a threshold function
