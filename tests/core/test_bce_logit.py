"""bce on a sigmoid output from the logit: saturated outputs keep their gradient.

A clipped prediction (1e-12) gave a zero gradient once |z| > ~27.6, so a
confidently wrong member could never recover. Oracles: the closed form
log(1 + e^z) - y z, central differences, and training one member.
"""
import numpy as np
import pytest

from expressivity.nn import MLP
from expressivity.nn import losses
from expressivity.train import SGDSettings, train
from expressivity.train.agreement import disagreements
from expressivity.train.gradients import full_batch_gradients, per_example_gradients


def _saturated(z_out, P=1):
    """One input, one sigmoid output with w = z_out, b = 0: on x = 1 the logit is z_out."""
    net = MLP.init((1, 1), ("sigmoid",), population=P, rng=np.random.default_rng(0))
    net.weights[0][...] = z_out
    net.biases[0][...] = 0.0
    return net, np.ones((1, 1))


def test_the_value_is_the_closed_form_at_any_logit():
    z = np.array([[-40.0], [-5.0], [0.0], [5.0], [40.0]])
    for y in (0.0, 1.0):
        want = np.log1p(np.exp(z[:, 0])) - y * z[:, 0]
        np.testing.assert_allclose(losses.bce_from_logit(z, y), want, rtol=1e-14)
    # Where the prediction is representable the two forms agree; at z = -40 the clipped one
    # stops at -log(1e-12) = 27.6 while the true loss is 40.
    p = 1 / (1 + np.exp(-z[1:4]))
    np.testing.assert_allclose(losses.bce(p, 1.0), losses.bce_from_logit(z[1:4], 1.0), rtol=1e-12)
    assert losses.bce_from_logit(np.array([[-40.0]]), 1.0)[0] == pytest.approx(40.0, abs=1e-15)
    assert losses.bce(np.array([[1e-17]]), 1.0)[0] == pytest.approx(-np.log(1e-12))


@pytest.mark.parametrize("z_out,y", [(-40.0, 1.0), (40.0, 0.0), (-40.0, 0.0), (40.0, 1.0)])
def test_the_gradient_at_a_saturated_logit_matches_central_differences(z_out, y):
    net, X = _saturated(z_out)
    Y = np.full((1, 1), y)
    _, weights, biases = net.loss_and_gradients(X, Y, "bce")
    h = 1e-3
    for arrays, grad in ((net.weights, weights), (net.biases, biases)):
        arrays[0][...] += h
        up = net.loss(X, Y, "bce")[0]
        arrays[0][...] -= 2 * h
        down = net.loss(X, Y, "bce")[0]
        arrays[0][...] += h
        assert grad[0].ravel()[0] == pytest.approx((up - down) / (2 * h), abs=1e-9)
    wrong = (z_out < 0) == (y == 1)
    # Confidently wrong: slope of magnitude 1 (not 0, as with the clip); right: ~e^-40.
    assert abs(weights[0].ravel()[0]) == pytest.approx(1.0 if wrong else 0.0, abs=1e-15)


def test_the_training_kernels_give_the_reference_gradient_when_saturated(kernels_of):
    net, X = _saturated(np.array([-40.0, 30.0, 45.0]).reshape(3, 1, 1), P=3)
    Y = np.ones((1, 1))
    _, weights, biases = net.loss_and_gradients(X, Y, "bce")
    for got_w, got_b in (full_batch_gradients(net, X, Y, "bce"),
                         per_example_gradients(net, X[0], Y[0], "bce")):
        np.testing.assert_allclose(got_w[0], weights[0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(got_b[0], biases[0], rtol=0, atol=1e-12)
    assert weights[0][0, 0, 0] == pytest.approx(-1.0)


@pytest.mark.parametrize("batch_size", [0, 1])
def test_a_member_confidently_wrong_moves_toward_its_target(kernels_of, batch_size):
    net, X = _saturated(-40.0)
    Y = np.ones((1, 1))
    before = net.loss(X, Y, "bce")[0]
    rngs = [np.random.default_rng(0)]
    train(net, X, Y, SGDSettings(loss="bce", lr=1.0, batch_size=batch_size, max_epochs=5,
                                 stop_on_fit=False), rngs=rngs)
    z_after = net.weights[0][0, 0, 0] + net.biases[0][0, 0]
    # Each step moves the logit by lr·(1 - p)·(x² + 1) = 2 while it is saturated.
    assert z_after == pytest.approx(-40.0 + 5 * 2.0, abs=1e-9)
    assert net.loss(X, Y, "bce")[0] < before - 9


def test_a_wrong_fused_delta_in_nn_is_caught_by_the_agreement_check(kernels_of, monkeypatch):
    if kernels_of != "numba":
        pytest.skip("only the compiled kernel has its own copy of the fused delta")
    monkeypatch.setattr(losses, "bce_logit_delta", lambda p, t: 2 * (p - t))
    assert any("fused bce delta" in f for f in disagreements())


def test_fused_is_bce_on_a_sigmoid_only():
    assert losses.fused("bce", "sigmoid")
    assert not losses.fused("bce", "tanh") and not losses.fused("squared", "sigmoid")
    z = np.array([[[-40.0], [2.0]]])
    p = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(losses.output_delta("bce", "sigmoid", p, z, 1.0), p - 1.0)
    np.testing.assert_allclose(losses.output_delta("squared", "sigmoid", p, z, 1.0),
                               2 * (p - 1) * p * (1 - p))
