"""trainer.backend=torch on the CPU against the NumPy backend (skipped where torch is missing)."""
import numpy as np
import pytest

from expressivity.nn import MLP
from expressivity.job.runner import member_generators
from expressivity.tasks import make_task
from expressivity.train import SGDSettings, train
from expressivity.train.sgd import check_backend

torch = pytest.importorskip("torch", reason="torch is not installed (not in CI): the torch "
                                            "backend is tested where it is")
from expressivity.train.torch_kernel import TOLERANCE  # noqa: E402


def _run(backend, batch_size, momentum, activations, loss, chunk_size=0, threads=1):
    task = make_task("parity", n=3)
    rngs = member_generators(5, 9)
    net = MLP.init((3, 6, 4, 1), activations, population=9, rng=rngs)
    settings = SGDSettings(lr=0.7, batch_size=batch_size, momentum=momentum, loss=loss,
                           max_epochs=60, record_every=7, backend=backend,
                           chunk_size=chunk_size, threads=threads)
    out = train(net, task.X, task.Y, settings, rngs=rngs, threshold=0.5)
    return out, net


@pytest.mark.parametrize("batch_size,momentum,activations,loss", [
    (0, 0.0, ("sigmoid", "sigmoid", "sigmoid"), "squared"),
    (0, 0.9, ("relu", "tanh", "identity"), "absolute"),
    (3, 0.5, ("softplus", "tanh", "sigmoid"), "bce"),
])
def test_torch_on_the_cpu_gives_the_numpy_numbers(batch_size, momentum, activations, loss):
    mine, net_t = _run("torch", batch_size, momentum, activations, loss)
    ref, net_n = _run("numpy", batch_size, momentum, activations, loss)
    for a, b in zip(net_t.weights + net_t.biases, net_n.weights + net_n.biases):
        np.testing.assert_allclose(a, b, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(mine.curve, ref.curve, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(mine.grad_norm_init, ref.grad_norm_init, rtol=0, atol=TOLERANCE)
    np.testing.assert_array_equal(mine.fit_epoch, ref.fit_epoch)


def test_torch_numbers_do_not_depend_on_chunk_size_or_threads():
    base, net = _run("torch", 0, 0.0, ("relu", "sigmoid", "sigmoid"), "squared")
    other, net2 = _run("torch", 0, 0.0, ("relu", "sigmoid", "sigmoid"), "squared",
                       chunk_size=2, threads=2)
    np.testing.assert_array_equal(base.curve, other.curve)
    for a, b in zip(net.weights, net2.weights):
        np.testing.assert_array_equal(a, b)


def test_a_backend_is_checked_before_any_work():
    with pytest.raises(ValueError, match="trainer.backend='jax' is not known; allowed: numpy, torch"):
        check_backend(SGDSettings(backend="jax"), 8)
    with pytest.raises(ValueError, match="batch_size=1 allowed: trainer.backend=numpy"):
        check_backend(SGDSettings(backend="torch", batch_size=1), 8)
