"""The symmetry reasons for what bias-free nets cannot fit, tested against random constructions."""
import numpy as np
import pytest

from expressivity.theory.bias_reach import classify, encoded_inputs, reached_codes

COMBOS = [(a, e) for a in ("sigmoid", "tanh", "relu") for e in ("01", "pm1")]


@pytest.mark.parametrize("activation,encoding", COMBOS)
def test_no_forbidden_function_is_ever_reached_and_two_bits_are_fully_decided(activation, encoding):
    for n in (2, 3):
        result = classify(activation, encoding, n, samples=1 << 14)
        assert result["contradictions"] == []
    two = classify(activation, encoding, 2, samples=1 << 14)["status"]
    assert "unknown" not in set(two)          # every function of 2 bits: a proof or a witness


def test_odd_tanh_nets_reach_exactly_the_odd_functions():
    # on ±1 inputs a bias-free tanh net is odd: 2^(2^(n-1)) odd functions of n bits, all reached
    for n in (2, 3):
        status = classify("tanh", "pm1", n, samples=1 << 14)["status"]
        assert (status == "reached").sum() == 2 ** 2 ** (n - 1)
        assert (status == "impossible").sum() == 2 ** 2 ** n - 2 ** 2 ** (n - 1)


def test_zero_input_ties_forbid_everything_for_relu_and_tanh_on_01():
    for activation in ("relu", "tanh"):
        assert set(classify(activation, "01", 2, samples=256)["status"]) == {"impossible"}
        assert len(reached_codes(activation, "01", 2, 8, 4096, np.random.default_rng(0))) == 0


def test_biases_restore_every_function_of_two_bits():
    for activation in ("sigmoid", "tanh", "relu"):
        for encoding in ("01", "pm1"):
            codes = reached_codes(activation, encoding, 2, 8, 1 << 14, np.random.default_rng(1), bias=True)
            assert len(codes) == 16


def test_same_seed_same_codes_and_bad_input():
    a = reached_codes("sigmoid", "pm1", 3, 4, 1000, np.random.default_rng(3))
    b = reached_codes("sigmoid", "pm1", 3, 4, 1000, np.random.default_rng(3))
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="encoding"):
        encoded_inputs(2, "bits")
    with pytest.raises(ValueError, match="samples"):
        reached_codes("relu", "01", 2, 8, 0, np.random.default_rng(0))
