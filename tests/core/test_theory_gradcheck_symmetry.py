"""Gradient checks that catch a wrong backprop, and bias-free symmetry obstructions."""
import numpy as np
import pytest

from expressivity.nn import MLP
from expressivity.tasks import make_task
from expressivity.theory import kink_distance, numeric_gradients, relative_errors
from expressivity.theory.symmetry import antipodes, bias_free_obstruction


def _net(activation="tanh", bias=True, seed=0):
    rng = np.random.default_rng(seed)
    net = MLP.init((3, 4, 2), [activation, "identity"], population=4, init="uniform", bias=bias, rng=rng)
    return net, rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))


def test_backprop_agrees_with_central_differences():
    net, X, Y = _net()
    assert relative_errors(net, X, Y, "squared").max() < 1e-8


def test_a_wrong_gradient_is_caught():
    class OffByOnePercent(MLP):
        def backward(self, output_gradient, fused=False):
            wgrads, bgrads = super().backward(output_gradient, fused)
            return [1.01 * g for g in wgrads], bgrads

    net, X, Y = _net()
    wrong = OffByOnePercent(net.weights, net.biases, net.activations)
    assert relative_errors(wrong, X, Y, "squared").min() > 1e-3


def test_numeric_gradients_by_hand():
    # one weight, identity: loss = (w x - y)^2 averaged; d/dw = 2 x (w x - y)
    net = MLP([np.array([[[3.0]]])], None, "identity")
    (grad,) = numeric_gradients(net, np.array([[2.0]]), np.array([[1.0]]), "squared")
    assert grad[0, 0, 0] == pytest.approx(2 * 2 * (3 * 2 - 1), rel=1e-9)


def test_kink_distance_sees_relu_zeros_and_perfect_fits():
    net = MLP([np.array([[[1.0]]]), np.array([[[1.0]]])], [np.array([[-0.5]]), np.array([[0.0]])],
              ["relu", "identity"])
    X = np.array([[0.5004], [2.0]])
    assert kink_distance(net, X, np.array([[9.0], [9.0]]), "squared")[0] == pytest.approx(4e-4)
    assert kink_distance(net, np.array([[2.0]]), np.array([[1.5]]), "absolute")[0] == pytest.approx(0.0)


def test_antipodes_are_the_negated_inputs():
    X = make_task("parity", n=3, encoding="pm1").X
    assert np.array_equal(X[antipodes(8)], -X)


@pytest.mark.parametrize("activation,encoding,name,n,blocked", [
    ("tanh", "pm1", "parity", 2, True),        # even function, odd network
    ("tanh", "pm1", "and", 3, True),
    ("tanh", "pm1", "majority", 3, False),     # majority of 3 is odd
    ("tanh", "pm1", "parity", 3, False),
    ("sigmoid", "pm1", "parity", 2, True),     # z(x) + z(-x) constant; XOR's even pairs differ
    ("sigmoid", "pm1", "and", 2, False),
    ("relu", "pm1", "parity", 3, True),        # odd pairs not separable through the origin
    ("relu", "pm1", "majority", 3, False),
    ("relu", "01", "parity", 2, False),        # f(0) = 0: the 0.5 tie is on the right side
])
def test_bias_free_obstructions(activation, encoding, name, n, blocked):
    task = make_task(name, n=n, encoding=encoding)
    assert (bias_free_obstruction(activation, encoding, task.X, task.Y[:, 0]) is not None) == blocked


def test_zero_input_obstruction_for_relu_on_01_inputs():
    X = make_task("parity", n=2).X
    nor = np.array([1, 0, 0, 0])
    assert "f(0) = 1" in bias_free_obstruction("relu", "01", X, nor)
    assert bias_free_obstruction("sigmoid", "01", X, nor) is None
    # when a fit needs a margin, the exact 0.5 at x = 0 rules out every function
    xor = np.array([0, 1, 1, 0])
    assert bias_free_obstruction("tanh", "01", X, xor) is None
    assert "exactly the 0.5 threshold" in bias_free_obstruction("tanh", "01", X, xor, ties_fit=False)
    net = MLP.init((2, 5, 1), ["relu", "sigmoid"], bias=False, rng=np.random.default_rng(0))
    assert net.forward(X)[0, 0, 0] == 0.5


def test_an_odd_tanh_network_really_is_odd_and_fits_majority_of_three_without_bias():
    # the obstruction's premise, and a bias-free net for the case it allows
    task = make_task("majority", n=3, encoding="pm1")
    net = MLP([np.ones((1, 3, 1)), np.full((1, 1, 1), 5.0)], None, ["tanh", "tanh"])
    out = net.forward(task.X)[0, :, 0]
    assert np.allclose(out, -out[antipodes(8)])
    assert np.array_equal(np.sign(out), task.Y[:, 0])
