"""Classifying how failed restarts ended: Hessian oracle, known saddle, minimum, saturation."""
import numpy as np

from expressivity.job.diagnose import diagnose, flatten, gradient_vectors, hessian, unflatten
from expressivity.nn import MLP
from expressivity.tasks import make_task

XOR = make_task("parity", 2)


def _linear_regression_net(w, b):
    return MLP([np.array(w, float).reshape(1, -1, 1)], [np.array([[b]], float)], ["identity"])


def test_flatten_and_unflatten_are_inverse():
    net = MLP.init((3, 4, 2), ["tanh", "sigmoid"], population=5, rng=np.random.default_rng(0))
    again = unflatten(flatten(net), net)
    for a, b in zip(net.weights + net.biases, again.weights + again.biases):
        assert np.array_equal(a, b)


def test_hessian_of_least_squares_is_two_x_transpose_x_over_b():
    X, Y = XOR.X, XOR.Y
    H = hessian(_linear_regression_net([0.3, -0.2], 0.1), X, Y, "squared")
    A = np.hstack([X, np.ones((len(X), 1))])
    assert np.allclose(H, 2 * A.T @ A / len(X), atol=1e-8)


def test_a_two_layer_linear_net_at_zero_is_a_saddle():
    X, Y = np.array([[1.0], [2.0]]), np.array([[1.0], [2.0]])
    net = MLP([np.zeros((1, 1, 1)), np.zeros((1, 1, 1))], None, ["identity", "identity"])
    _, g = gradient_vectors(net, X, Y, "squared")
    assert np.allclose(g, 0)
    eig = np.linalg.eigvalsh(hessian(net, X, Y, "squared"))
    assert np.allclose(eig, [-5.0, 5.0], atol=1e-6)   # ±2 mean(x y)
    d = diagnose(net, X, Y, "squared", threshold=0.5, members=[0])
    assert d["class"] == ["saddle"] and np.isclose(d["hess_min"][0], -5.0, atol=1e-6)


def test_the_least_squares_fit_of_xor_is_a_local_minimum_that_fits_nothing():
    net = _linear_regression_net([0.0, 0.0], 0.5)   # the best affine fit: 0.5 everywhere
    d = diagnose(net, XOR.X, XOR.Y, "squared", threshold=0.5, members=[0])
    assert d["class"] == ["local_minimum"] and d["hess_min"][0] > 0
    assert d["grad_norm"][0] < 1e-12


def test_a_saturated_sigmoid_output_and_a_moving_member_are_told_apart():
    rng = np.random.default_rng(1)
    net = MLP.init((2, 3, 1), ["sigmoid", "sigmoid"], population=2, rng=rng)
    net.biases[1][0] = -20.0      # member 0: output ~2e-9 on every row, rows with target 1 wrong
    net.weights[1][1] *= 3        # member 1: an ordinary random net, gradient far from 0
    d = diagnose(net, XOR.X, XOR.Y, "squared", threshold=0.5, members=[0, 1])
    assert d["class"] == ["saturated", "moving"] and d["saturated"] == [True, False]
    # with cross-entropy the same output still carries the error back: not saturated
    d = diagnose(net, XOR.X, XOR.Y, "bce", threshold=0.5, members=[0])
    assert d["class"] == ["moving"]


def test_dead_relu_hidden_layer_counts_as_saturated_and_inf_as_diverged():
    net = MLP.init((2, 2, 1), ["relu", "sigmoid"], population=2, rng=np.random.default_rng(2))
    net.biases[0][0] = -10.0      # member 0: every hidden unit dead on every row
    net.weights[1][1] = np.inf
    d = diagnose(net, XOR.X, XOR.Y, "squared", threshold=0.5, members=[0, 1])
    assert d["class"] == ["saturated", "diverged"]


def test_a_job_with_diagnosis_classifies_its_failed_members(tmp_path):
    from tests.support.jobs import compose_job
    from expressivity.storage.results import load_results
    from expressivity.job.runner import run_job
    record = run_job(compose_job("task=parity", "task.n=3", "model.width=1", "trainer.restarts=6",
                                 "trainer.max_epochs=50", "cache_dir=null", "diagnose.enabled=true",
                                 "diagnose.max_members=4"), tmp_path)
    d = record["probes"][0]["diagnosis"]
    assert len(d["member"]) == 4 and set(d["class"]) <= {"diverged", "saturated", "moving", "saddle",
                                                          "local_minimum"}
    members = load_results([tmp_path]).members.set_index("member")
    assert members.loc[d["member"], "diag.class"].tolist() == d["class"]
    assert members.drop(index=d["member"])["diag.class"].isna().all()
