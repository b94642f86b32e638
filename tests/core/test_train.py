"""Population SGD: members are independent, stopping rules, schedules, divergence."""
import numpy as np
import pytest

from expressivity.nn import MLP
from expressivity.job.runner import member_generators
from expressivity.tasks import make_task
from expressivity.train import SCHEDULES, SGDSettings, train


def _population(sizes, activations, P, seed=0, init="xavier"):
    rngs = member_generators(seed, P)
    return MLP.init(sizes, activations, population=P, init=init, rng=rngs), rngs


@pytest.mark.parametrize("batch_size,chunk_size", [(1, 2), (3, 4), (0, 2)])
def test_training_together_equals_training_each_alone(batch_size, chunk_size):
    task = make_task("parity", n=3)
    settings = SGDSettings(lr=0.7, batch_size=batch_size, max_epochs=40, momentum=0.5,
                           chunk_size=chunk_size, record_every=5)
    net, rngs = _population((3, 4, 1), ("tanh", "sigmoid"), P=5)
    together = train(net, task.X, task.Y, settings, rngs=rngs, threshold=0.5)
    seeds = np.random.SeedSequence(0).spawn(5)
    for p in range(5):
        rng = [np.random.default_rng(seeds[p])]
        alone_net = MLP.init((3, 4, 1), ("tanh", "sigmoid"), population=1, rng=rng)
        alone = train(alone_net, task.X, task.Y, settings, rngs=rng, threshold=0.5)
        for w, w1 in zip(net.weights, alone_net.weights):
            np.testing.assert_allclose(w[p], w1[0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(together.curve[:, p], alone.curve[:, 0], rtol=0, atol=1e-12)
        assert together.fit_epoch[p] == alone.fit_epoch[0]


def test_one_sgd_step_by_hand():
    # Same 1-1-1 net as the hand-worked backprop test: after one full-batch step
    # with η = 0.1, each parameter moves by -0.1·(its gradient):
    # W1 = 0.5 - 0.1·0.230227179409283 = 0.4769772820590717, b1 = -0.023022717940928302,
    # W2 = 2 - 0.1·0.30490381359733126 = 1.969509618640267,  b2 = -0.04898373248074184.
    net = MLP([np.array([[[0.5]]]), np.array([[[2.0]]])], [np.zeros((1, 1)), np.zeros((1, 1))],
              ["sigmoid", "identity"])
    train(net, np.array([[1.0]]), np.array([[1.0]]), SGDSettings(lr=0.1, max_epochs=1))
    assert net.weights[0][0, 0, 0] == pytest.approx(0.4769772820590717, abs=1e-15)
    assert net.biases[0][0, 0] == pytest.approx(-0.023022717940928302, abs=1e-15)
    assert net.weights[1][0, 0, 0] == pytest.approx(1.969509618640267, abs=1e-15)
    assert net.biases[1][0, 0] == pytest.approx(-0.04898373248074184, abs=1e-15)


def test_xor_fits_for_some_of_100_sigmoid_2_2_1_restarts():
    task = make_task("parity", n=2)
    net, rngs = _population((2, 2, 1), "sigmoid", P=100)
    out = train(net, task.X, task.Y, SGDSettings(lr=2.0, max_epochs=3000), threshold=0.5)
    assert 0 < out.fitted.sum() < 100   # some fit, and (2-2-1 being tight) not all
    fitted = np.flatnonzero(out.fitted)
    np.testing.assert_array_equal(out.accuracy[fitted], 1.0)
    assert (out.fit_epoch[fitted] > 0).all() and (out.fit_epoch[~out.fitted] == -1).all()
    # a fitted member really fits: run it again, threshold by hand
    member = net.member(int(fitted[0]))
    np.testing.assert_array_equal(member.forward(task.X)[0] > 0.5, task.Y > 0.5)


def test_four_bit_parity_fits_with_a_width_8_relu_layer():
    task = make_task("parity", n=4)
    net, rngs = _population((4, 8, 1), ("relu", "sigmoid"), P=50, init="he")
    out = train(net, task.X, task.Y, SGDSettings(lr=2.0, max_epochs=2000), threshold=0.5)
    assert out.fitted.any()


def test_a_linear_network_cannot_fit_xor():
    task = make_task("parity", n=2)
    net, rngs = _population((2, 3, 1), "identity", P=20)
    out = train(net, task.X, task.Y, SGDSettings(lr=0.1, max_epochs=3000), threshold=0.5)
    assert not out.diverged.any()
    assert not out.fitted.any()
    # the best linear fit of XOR under squared loss is the constant 0.5: MSE 0.25
    np.testing.assert_allclose(out.final_loss, 0.25, atol=1e-6)


def test_a_diverging_member_is_recorded_and_the_others_go_on():
    task = make_task("square", points=32)
    net, rngs = _population((1, 8, 1), ("relu", "identity"), P=4)
    net.weights[0][1] *= 1e200   # member 1 overflows on the first step
    out = train(net, task.X, task.Y, SGDSettings(lr=0.05, max_epochs=50))
    assert out.diverged.tolist() == [False, True, False, False]
    assert np.isfinite(out.final_loss[[0, 2, 3]]).all()


def test_loss_tolerance_stops_a_member():
    task = make_task("constant", distribution="lognormal", points=64)
    net, _ = _population((1, 1), "identity", P=2)
    out = train(net, task.X, task.Y, SGDSettings(lr=0.1, max_epochs=5000, tol=task.Y.var() + 1e-6))
    assert out.converged.all()
    # a constant fit under squared loss converges to the mean
    np.testing.assert_allclose(net.biases[0][:, 0], task.Y.mean(), atol=1e-3)


def test_schedules_by_formula():
    assert SCHEDULES["constant"](0.5, 10, 100, 0.9, 5) == 0.5
    assert SCHEDULES["inverse_time"](0.5, 100, 100, 0.9, 5) == pytest.approx(0.25)
    assert SCHEDULES["exponential"](0.5, 2, 100, 0.9, 5) == pytest.approx(0.405)
    assert SCHEDULES["step"](0.5, 9, 100, 0.9, 5) == pytest.approx(0.45)
    assert SCHEDULES["step"](0.5, 10, 100, 0.9, 5) == pytest.approx(0.405)


def test_curves_and_gradient_norms_have_their_shapes():
    task = make_task("parity", n=3)
    net, rngs = _population((3, 4, 4, 1), "sigmoid", P=6)
    out = train(net, task.X, task.Y, SGDSettings(lr=0.5, max_epochs=25, record_every=10, chunk_size=4))
    assert out.curve_epochs.tolist() == [0, 10, 20, 25] and out.curve.shape == (4, 6)
    assert out.grad_norm_init.shape == (3, 6) and (out.grad_norm_init > 0).all()


def test_max_error_is_the_sup_of_the_absolute_error():
    # A zero-weight identity net outputs 0 everywhere: sup |0 - x²| on [-1, 1] is 1.
    task = make_task("square", points=11)
    net = MLP([np.zeros((2, 1, 1))], [np.zeros((2, 1))], ["identity"])
    out = train(net, task.X, task.Y, SGDSettings(lr=0.1, max_epochs=0))
    np.testing.assert_array_equal(out.max_error, [1.0, 1.0])
    assert out.final_loss[0] == pytest.approx(np.mean(task.Y ** 2))


def test_an_output_on_the_threshold_is_a_tie_not_a_fit():
    # A one-unit identity net with zero weight and bias 0.5 + 1e-12 outputs just above
    # 0.5 on every row of AND: the rows with target 1 sit on the right side only by
    # rounding. That is a tie, not a fit; a clear margin is a fit.
    task = make_task("and", n=1)     # rows 0 -> 0, 1 -> 1
    tie = MLP([np.zeros((1, 1, 1))], [np.full((1, 1), 0.5 + 1e-12)], ["identity"])
    out = train(tie, task.X, task.Y, SGDSettings(lr=0.1, max_epochs=0), threshold=0.5)
    assert not out.fitted[0] and out.accuracy[0] == 0.0
    clear = MLP([np.ones((1, 1, 1))], [np.full((1, 1), -0.5 + 0.25)], ["identity"])
    out = train(clear, task.X, task.Y, SGDSettings(lr=0.1, max_epochs=0), threshold=0.5)
    assert out.fitted[0] and out.accuracy[0] == 1.0   # outputs 0.25 and 1.25


@pytest.mark.parametrize("batch_size", [0, 1, 2])
def test_a_monitor_freezes_the_members_it_names_and_sees_live_weights(batch_size):
    task = make_task("parity", n=2)
    settings = SGDSettings(lr=1.0, max_epochs=30, batch_size=batch_size, stop_on_fit=False,
                           record_every=1, chunk_size=2)
    make = lambda: MLP.init((2, 3, 1), ("tanh", "sigmoid"), population=4,  # noqa: E731
                            rng=np.random.default_rng(0))
    rngs = lambda: [np.random.default_rng(i) for i in range(4)]  # noqa: E731
    seen = []

    def monitor(start, epoch, loss, live):
        index, weights, biases = live()
        seen.append((start, epoch, len(loss), len(index), weights[0].shape[0]))
        # Freeze the chunk's first member after epoch 5: it ran 5 epochs.
        return np.array([epoch == 5, False]) if epoch == 5 else None

    watched, plain = make(), make()
    out = train(watched, task.X, task.Y, settings, rngs=rngs(), monitor=monitor)
    ref = train(plain, task.X, task.Y, settings, rngs=rngs())
    # Members 0 and 2 (first of each chunk) hold their epoch-5 loss; 1 and 3 are untouched.
    for p in (0, 2):
        assert (out.curve[5:, p] == ref.curve[5, p]).all()
    np.testing.assert_array_equal(out.curve[:, [1, 3]], ref.curve[:, [1, 3]])
    assert {s[0] for s in seen} == {0, 2} and all(s[2] == 2 for s in seen)
    assert all(s[3] == s[4] for s in seen)          # weights of exactly the live members
