"""The population MLP: gradients against central differences and against an
independent scalar autodiff, a hand-worked step, shapes and bad input."""
import itertools

import numpy as np
import pytest

from expressivity.nn import MLP
from tests.oracles.scalar_autodiff import Value, network_loss

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity", "softplus"]
LOSSES = ["squared", "absolute", "bce"]


def _net(depth, activation, loss, bias, P=3, seed=0):
    rng = np.random.default_rng(seed)
    sizes = (3, *[4] * depth, 2)
    out = "sigmoid" if loss == "bce" else activation
    return MLP.init(sizes, [activation] * depth + [out], population=P, init="uniform",
                    bias=bias, rng=rng, scale=1.0)


def _data(seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(5, 3)), rng.uniform(0.05, 0.95, size=(5, 2))


def _numeric_gradient(net, X, Y, loss, param, h=1e-6):
    grad = np.zeros_like(param)
    for idx in np.ndindex(*param.shape):
        old = param[idx]
        param[idx] = old + h
        up = net.loss(X, Y, loss)[idx[0]]
        param[idx] = old - h
        down = net.loss(X, Y, loss)[idx[0]]
        param[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


@pytest.mark.parametrize("activation,loss,bias,depth",
                         list(itertools.product(ACTIVATIONS, LOSSES, [True, False], [1, 2, 3, 4])))
def test_gradients_match_central_differences(activation, loss, bias, depth):
    net = _net(depth, activation, loss, bias)
    X, Y = _data()
    _, wgrads, bgrads = net.loss_and_gradients(X, Y, loss)
    params = net.weights + (net.biases or [])
    grads = wgrads + (bgrads or [])
    assert (bgrads is None) == (not bias)
    for param, grad in zip(params, grads):
        numeric = _numeric_gradient(net, X, Y, loss, param)
        # relative error per array, guarded for (near-)zero gradients
        err = np.abs(grad - numeric).max() / max(np.abs(numeric).max(), 1e-8)
        assert err < 1e-6, (activation, loss, bias, depth, err)


@pytest.mark.parametrize("activation,loss", [("sigmoid", "squared"), ("relu", "absolute"),
                                             ("tanh", "bce"), ("softplus", "squared")])
def test_values_and_gradients_match_an_independent_autodiff(activation, loss):
    net = _net(2, activation, loss, bias=True, P=2, seed=3)
    X, Y = _data(4)
    value, wgrads, bgrads = net.loss_and_gradients(X, Y, loss)
    for p in range(2):
        W = [[[Value(v) for v in row] for row in w[p]] for w in net.weights]
        b = [[Value(v) for v in bb[p]] for bb in net.biases]
        total = network_loss(W, b, net.activations, X, Y, loss)
        total.backward()
        assert total.data == pytest.approx(value[p], rel=1e-12)
        for l in range(len(W)):
            np.testing.assert_allclose([[v.grad for v in row] for row in W[l]], wgrads[l][p],
                                       rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose([v.grad for v in b[l]], bgrads[l][p], rtol=1e-10, atol=1e-14)


def test_hand_worked_backprop_one_example():
    # 1-1-1 net, sigmoid hidden, identity output, squared loss, x = 1, y = 1,
    # W1 = 0.5, b1 = 0, W2 = 2, b2 = 0.
    # Forward: z1 = 0.5, a1 = σ(0.5) = 0.6224593312018546, ŷ = 2·a1 = 1.2449186624037092,
    #          L = (ŷ - 1)² = 0.05998515119362207.
    # Step 1 (output delta): δ2 = 2(ŷ - 1)·1 = 0.4898373248074184.
    # Step 2 (reverse):      δ1 = δ2·W2·a1(1 - a1) = 0.230227179409283.
    # Step 3 (gradients):    ∂L/∂W2 = a1·δ2 = 0.30490381359733126, ∂L/∂b2 = δ2,
    #                        ∂L/∂W1 = x·δ1 = 0.230227179409283,   ∂L/∂b1 = δ1.
    net = MLP([np.array([[[0.5]]]), np.array([[[2.0]]])], [np.zeros((1, 1)), np.zeros((1, 1))],
              ["sigmoid", "identity"])
    loss, wg, bg = net.loss_and_gradients(np.array([[1.0]]), np.array([[1.0]]), "squared")
    assert loss[0] == pytest.approx(0.05998515119362207, abs=1e-15)
    assert wg[1][0, 0, 0] == pytest.approx(0.30490381359733126, abs=1e-15)
    assert bg[1][0, 0] == pytest.approx(0.4898373248074184, abs=1e-15)
    assert wg[0][0, 0, 0] == pytest.approx(0.230227179409283, abs=1e-15)
    assert bg[0][0, 0] == pytest.approx(0.230227179409283, abs=1e-15)


def test_shapes_and_population_inputs():
    net = MLP.init((3, 5, 2), ("relu", "sigmoid"), population=4, rng=np.random.default_rng(0))
    assert [w.shape for w in net.weights] == [(4, 3, 5), (4, 5, 2)]
    assert [b.shape for b in net.biases] == [(4, 5), (4, 2)]
    assert net.sizes == (3, 5, 2) and net.n_parameters == 3 * 5 + 5 + 5 * 2 + 2
    X = np.random.default_rng(1).normal(size=(7, 3))
    shared = net.forward(X)
    per_member = net.forward(np.broadcast_to(X, (4, 7, 3)).copy())
    assert shared.shape == (4, 7, 2)
    np.testing.assert_array_equal(shared, per_member)
    assert len(net.pre_activations) == 2 and len(net.layer_outputs) == 3


def test_no_bias_means_no_bias_arrays_and_zero_input_gives_f_of_zero():
    net = MLP.init((2, 3, 1), "relu", population=2, bias=False, rng=np.random.default_rng(0))
    assert net.biases is None
    np.testing.assert_array_equal(net.forward(np.zeros((1, 2))), np.zeros((2, 1, 1)))


def test_member_generators_give_the_same_member_alone_and_in_a_population():
    seeds = np.random.SeedSequence(7).spawn(3)
    together = MLP.init((2, 4, 1), "tanh", population=3, rng=[np.random.default_rng(s) for s in seeds])
    alone = MLP.init((2, 4, 1), "tanh", population=1, rng=[np.random.default_rng(seeds[2])])
    for w, w1 in zip(together.weights, alone.weights):
        np.testing.assert_array_equal(w[2], w1[0])


def test_identity_network_is_one_matrix():
    net = MLP.init((3, 4, 5, 2), "identity", population=2, bias=False, init="uniform",
                   rng=np.random.default_rng(2))
    X = np.random.default_rng(3).normal(size=(6, 3))
    collapsed = X @ net.weights[0] @ net.weights[1] @ net.weights[2]
    np.testing.assert_allclose(net.forward(X), collapsed, rtol=1e-12, atol=1e-12)


def test_float32_is_selectable():
    net = MLP.init((2, 3, 1), "sigmoid", population=2, rng=np.random.default_rng(0), dtype=np.float32)
    assert net.forward(np.ones((4, 2))).dtype == np.float32


@pytest.mark.parametrize("kwargs,match", [
    (dict(activations=("relu",)), "activations has 1 entries; allowed: exactly one per non-input layer \\(2\\)"),
    (dict(activations=("relu", "swish")), "activation='swish' is not known"),
    (dict(activations="relu", init="glorot"), "init='glorot' is not known"),
])
def test_bad_input_names_key_value_and_allowed(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLP.init((2, 3, 1), rng=np.random.default_rng(0), **kwargs)


def test_unknown_loss_is_refused():
    net = MLP.init((2, 1), "sigmoid", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="loss='hinge' is not known; allowed: absolute, bce, squared"):
        net.loss_and_gradients(np.ones((1, 2)), np.ones((1, 1)), "hinge")


def test_targets_with_the_wrong_number_of_columns_are_refused():
    net = MLP.init((2, 2), "identity", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="targets have 1 columns; allowed: one per output unit \\(2\\)"):
        net.loss(np.ones((4, 2)), np.ones((4, 1)))
