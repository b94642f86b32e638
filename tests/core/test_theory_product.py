"""Multiplication gates, product trees and shallow products, and exact higher derivatives."""
import numpy as np
import pytest

from expressivity.theory import (gate_error_coefficient, multiplication_gate, product_error,
                                 product_shallow, product_tree)
from expressivity.theory.derivatives import derivative


def test_known_derivatives_of_the_logistic_at_zero():
    # σ' = 1/4, σ''' = -1/8, σ^(5) = 1/4, σ^(7) = -17/16; the even ones vanish
    assert [float(derivative("sigmoid", k, 0.0)) for k in range(1, 8)] == \
        pytest.approx([0.25, 0, -0.125, 0, 0.25, 0, -17 / 16], abs=1e-15)
    assert float(derivative("softplus", 2, 0.0)) == pytest.approx(0.25)
    assert float(derivative("tanh", 3, 0.0)) == pytest.approx(-2.0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus"])
def test_derivatives_match_central_differences(name):
    z, h = np.array([-1.3, 0.0, 0.7, 2.1]), 1e-4
    for k in range(1, 6):
        numeric = (derivative(name, k - 1, z + h) - derivative(name, k - 1, z - h)) / (2 * h)
        assert np.abs(numeric - derivative(name, k, z)).max() < 1e-6


def test_derivative_rejects_bad_input():
    with pytest.raises(ValueError, match="allowed: sigmoid, tanh, softplus"):
        derivative("relu", 2, 0.0)
    with pytest.raises(ValueError, match="order"):
        derivative("tanh", -1, 0.0)


def _grid():
    g = np.linspace(-1, 1, 21)
    return np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)


def test_gate_has_four_units_and_its_error_falls_like_lambda_squared():
    X = _grid()
    gate = multiplication_gate(0.01)
    assert gate.sizes == (2, 4, 1)
    errors = np.array([product_error(multiplication_gate(s), X) for s in (0.1, 0.05, 0.025)])
    assert np.log2(errors[:-1] / errors[1:]) == pytest.approx([2, 2], abs=0.02)
    # the Taylor coefficient |σ''''(0)/σ''(0)|/3 = 1/6 for softplus predicts the error itself
    assert errors[-1] / 0.025 ** 2 == pytest.approx(gate_error_coefficient(), rel=1e-2)


@pytest.mark.parametrize("activation,shift", [("sigmoid", 1.0), ("tanh", 0.5)])
def test_gate_works_for_any_activation_with_curvature(activation, shift):
    X = _grid()
    error = product_error(multiplication_gate(0.01, activation, shift), X)
    assert error == pytest.approx(gate_error_coefficient(activation, shift) * 1e-4, rel=2e-2)


def test_gate_refuses_an_activation_without_curvature():
    with pytest.raises(ValueError, match="2-th derivative of sigmoid is 0"):
        multiplication_gate(0.1, "sigmoid", 0.0)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8])
def test_tree_and_shallow_products_are_accurate_and_count_their_units(n):
    X = np.random.default_rng(n).uniform(-1, 1, size=(500, n))
    tree = product_tree(n, 0.02)
    assert product_error(tree, X) < 1e-3
    # the shallow read-out divides by λⁿ: rounding grows as λ shrinks, so the best λ depends on n
    shallow = {s: product_shallow(n, s) for s in (0.01, 0.02, 0.05)}
    assert min(product_error(net, X) for net in shallow.values()) < 1e-3
    assert sum(shallow[0.01].sizes[1:-1]) == 2 ** n and len(shallow[0.01].sizes) == 3
    assert len(tree.sizes) - 2 == int(np.ceil(np.log2(n)))
    if n & (n - 1) == 0:
        assert sum(tree.sizes[1:-1]) == 4 * (n - 1)


def test_carrying_an_odd_value_is_exact_for_softplus():
    # n = 3: level 1 holds a gate for x1*x2 (units 0-3) and two units carrying x3 (units 4-5)
    X = np.random.default_rng(0).uniform(-1, 1, size=(200, 3))
    three = product_tree(3, 0.05)
    assert three.sizes == (3, 6, 4, 1)
    z = X @ three.weights[0][0] + three.biases[0][0]
    carried = (np.logaddexp(0, z[:, 4]) - np.logaddexp(0, z[:, 5])) / 0.05
    assert np.abs(carried - X[:, 2]).max() < 1e-12
    assert product_error(three, X) < 1e-3


def test_product_rejects_bad_input():
    with pytest.raises(ValueError, match="allowed: an integer >= 2"):
        product_tree(1, 0.1)
    with pytest.raises(ValueError, match="scale"):
        product_shallow(3, 0.0)
    with pytest.raises(ValueError, match="activation"):
        product_tree(2, 0.1, activation="relu")
