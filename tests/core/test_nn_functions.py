"""Activations, losses and initialisers: values at known points and derivatives
against central finite differences."""
import numpy as np
import pytest

from expressivity.nn import ACTIVATIONS, DERIVATIVES, INITIALISERS, LOSS_DERIVATIVES, LOSSES, TRAINABLE

Z = np.array([-30.0, -2.0, -0.5, 0.3, 1.7, 30.0])


def test_activation_values_at_known_points():
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"](np.array([0.0, np.log(3.0)])), [0.5, 0.75])
    np.testing.assert_allclose(ACTIVATIONS["relu"](Z), [0, 0, 0, 0.3, 1.7, 30.0])
    np.testing.assert_allclose(ACTIVATIONS["softplus"](np.array([0.0, 800.0])), [np.log(2), 800.0])
    np.testing.assert_array_equal(ACTIVATIONS["step"](np.array([-1e-9, 0.0, 2.0])), [0, 1, 1])
    np.testing.assert_array_equal(ACTIVATIONS["identity"](Z), Z)
    with np.errstate(all="raise"):  # no overflow warnings for large |z|
        assert ACTIVATIONS["sigmoid"](np.array([-1000.0]))[0] == 0.0


@pytest.mark.parametrize("name", [n for n in TRAINABLE if n != "relu"])
def test_activation_derivative_matches_central_difference(name):
    f, h = ACTIVATIONS[name], 1e-6
    numeric = (f(Z + h) - f(Z - h)) / (2 * h)
    np.testing.assert_allclose(DERIVATIVES[name](Z, f(Z)), numeric, rtol=1e-6, atol=1e-9)


def test_relu_derivative_is_0_or_1_and_0_at_0():
    z = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(DERIVATIVES["relu"](z, ACTIVATIONS["relu"](z)), [0, 0, 1])


def test_step_has_no_derivative():
    with pytest.raises(ValueError, match="step"):
        DERIVATIVES["step"](Z, Z)


def test_loss_values_by_hand():
    yhat = np.array([[[0.2, 0.9], [0.5, 0.5]]])   # (P=1, B=2, out=2)
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    # squared: row0 0.04 + 0.01, row1 0.25 + 0.25 (no ½)
    np.testing.assert_allclose(LOSSES["squared"](yhat, y), [[0.05, 0.5]])
    np.testing.assert_allclose(LOSSES["absolute"](yhat, y), [[0.3, 1.0]])
    np.testing.assert_allclose(LOSSES["bce"](yhat, y),
                               [[-np.log(0.8) - np.log(0.9), -2 * np.log(0.5)]])


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_loss_derivative_matches_central_difference(loss):
    yhat = np.array([0.1, 0.35, 0.8, 0.95])[:, None]
    y = np.array([0.0, 1.0, 0.0, 1.0])[:, None]
    h = 1e-7
    numeric = (LOSSES[loss](yhat + h, y) - LOSSES[loss](yhat - h, y)) / (2 * h)
    np.testing.assert_allclose(LOSS_DERIVATIVES[loss](yhat, y)[:, 0], numeric, rtol=1e-6)


def test_absolute_derivative_is_0_at_a_perfect_fit():
    assert LOSS_DERIVATIVES["absolute"](np.array([0.5]), np.array([0.5]))[0] == 0.0


def test_initialisers_shapes_and_ranges():
    rng = np.random.default_rng(0)
    w = INITIALISERS["xavier"](rng, (50, 20, 30), 20, 30)
    assert w.shape == (50, 20, 30) and np.abs(w).max() <= np.sqrt(6 / 50)
    assert np.abs(w).max() > 0.9 * np.sqrt(6 / 50)      # fills the interval
    he = INITIALISERS["he"](rng, (200, 50, 50), 50, 50)
    assert abs(he.std() - np.sqrt(2 / 50)) < 0.01 * np.sqrt(2 / 50) * 3
    u = INITIALISERS["uniform"](rng, (1000,), 1, 1, scale=0.3)
    assert np.abs(u).max() <= 0.3 and np.abs(u).max() > 0.29
    assert not INITIALISERS["zeros"](rng, (3, 2), 3, 2).any()
