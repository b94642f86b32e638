"""The fast trainer (folded biases, chunks, threads, per-example kernel) against the plain loop."""
import copy

import numpy as np
import pytest

from expressivity.nn import MLP
from expressivity.job.runner import member_generators
from expressivity.tasks import make_task
from expressivity.train import SGDSettings, train
from expressivity.train.sgd import FULL_BATCH_CHUNK, PER_EXAMPLE_CHUNK, chunk_size_for
from tests.oracles.reference_sgd import reference_train

CASES = [  # (batch_size, momentum, activations, loss, bias)
    (0, 0.0, ("sigmoid", "sigmoid", "sigmoid"), "squared", True),
    (0, 0.9, ("relu", "tanh", "identity"), "absolute", True),
    (0, 0.0, ("softplus", "identity", "sigmoid"), "bce", False),
    (1, 0.0, ("sigmoid", "relu", "sigmoid"), "squared", True),
    (1, 0.5, ("tanh", "softplus", "identity"), "absolute", False),
    (1, 0.0, ("identity", "tanh", "sigmoid"), "bce", True),
    (3, 0.0, ("relu", "sigmoid", "sigmoid"), "squared", True),
    (3, 0.7, ("tanh", "tanh", "identity"), "squared", False),
]


def _setup(activations, bias, P=7, seed=3, n=3):
    task = make_task("parity", n=n)
    rngs = member_generators(seed, P)
    net = MLP.init((n, 5, 4, 1), activations, population=P, rng=rngs, bias=bias)
    return task, net, rngs


@pytest.mark.parametrize("batch_size,momentum,activations,loss,bias", CASES)
def test_the_fast_trainer_gives_the_plain_loops_numbers(batch_size, momentum, activations, loss, bias,
                                                        kernels_of):
    task, net, rngs = _setup(activations, bias)
    settings = SGDSettings(lr=0.3, batch_size=batch_size, momentum=momentum, loss=loss,
                           max_epochs=24, record_every=5, stop_on_fit=True, chunk_size=3)
    reference, reference_rngs = copy.deepcopy(net), copy.deepcopy(rngs)
    out = train(net, task.X, task.Y, settings, rngs=rngs, threshold=0.5)
    final, curve, fit_epoch, norms = reference_train(
        reference, task.X, task.Y, settings, rngs=reference_rngs, threshold=0.5)
    for mine, theirs in zip(net.weights + (net.biases or []),
                            reference.weights + (reference.biases or [])):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out.curve, curve, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out.final_loss, final, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out.grad_norm_init, norms, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(out.fit_epoch, fit_epoch)


def _outcome_arrays(out, net):
    fields = {k: v for k, v in vars(out).items()}
    fields.update({f"w{i}": w for i, w in enumerate(net.weights)})
    fields.update({f"b{i}": b for i, b in enumerate(net.biases)})
    return fields


@pytest.mark.parametrize("batch_size,lr", [(0, 2.0), (1, 0.5), (4, 2.0)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_numbers_do_not_depend_on_chunk_size_or_threads(batch_size, lr, dtype, kernels_of):
    # Members fit (and freeze) at different epochs, so chunks are cut down at different times.
    task = make_task("parity", n=3)
    results = []
    for chunk_size, threads in [(0, 1), (1, 1), (5, 1), (64, 1), (3, 2), (0, 3)]:
        rngs = member_generators(11, 13)
        net = MLP.init((3, 6, 1), ("relu", "sigmoid"), population=13, init="he", rng=rngs,
                       dtype=dtype)
        settings = SGDSettings(lr=lr, batch_size=batch_size, max_epochs=150, chunk_size=chunk_size,
                               threads=threads, record_every=3)
        out = train(net, task.X, task.Y, settings, rngs=rngs, threshold=0.5)
        results.append(_outcome_arrays(out, net))
    assert 3 <= (results[0]["fit_epoch"] >= 0).sum() < 13
    for other in results[1:]:
        for key, value in results[0].items():
            # Bit for bit: the cache serves a record whatever chunk size made it.
            np.testing.assert_array_equal(other[key], value, err_msg=key)


def test_the_automatic_chunk_size_follows_the_batch_size():
    per_example = SGDSettings(batch_size=1, threads=2)
    assert chunk_size_for(per_example, population=5000, rows=256) == PER_EXAMPLE_CHUNK
    assert chunk_size_for(per_example, population=300, rows=256) == 150   # one chunk per thread
    assert chunk_size_for(SGDSettings(batch_size=0), 1000, 256) == FULL_BATCH_CHUNK
    assert chunk_size_for(SGDSettings(batch_size=8), 1000, 256) == FULL_BATCH_CHUNK
    assert chunk_size_for(SGDSettings(batch_size=0, threads=2), 100, 256) == 50    # a share each
    assert chunk_size_for(SGDSettings(batch_size=0, threads=2), 10, 256) == 32     # one block
    assert chunk_size_for(SGDSettings(batch_size=1, chunk_size=7), 1000, 256) == 7


def test_float32_training_stays_float32_and_close_to_float64():
    task, net64, rngs = _setup(("sigmoid", "sigmoid", "sigmoid"), True)
    net32 = MLP([w.astype(np.float32) for w in net64.weights],
                [b.astype(np.float32) for b in net64.biases], net64.activations)
    settings = SGDSettings(lr=0.5, max_epochs=50, stop_on_fit=False)
    out64 = train(net64, task.X, task.Y, settings)
    out32 = train(net32, task.X, task.Y, settings)
    assert all(w.dtype == np.float32 for w in net32.weights + net32.biases)
    np.testing.assert_allclose(out32.final_loss, out64.final_loss, rtol=1e-4)


def test_numbers_do_not_depend_on_how_many_epochs_of_orders_are_drawn_at_once(monkeypatch):
    from expressivity.train import chunk
    task = make_task("parity", n=3)
    outcomes = []
    for keys_max in (chunk.ORDER_KEYS_MAX, 1, 3 * 8 * 5):   # 16, 1 and 5 epochs per draw
        monkeypatch.setattr(chunk, "ORDER_KEYS_MAX", keys_max)
        rngs = member_generators(2, 3)
        net = MLP.init((3, 4, 1), "sigmoid", population=3, rng=rngs)
        out = train(net, task.X, task.Y, SGDSettings(lr=1.0, batch_size=2, max_epochs=37,
                                                     stop_on_fit=False), rngs=rngs)
        outcomes.append(np.concatenate([out.curve.ravel(), net.weights[0].ravel()]))
    np.testing.assert_array_equal(outcomes[0], outcomes[1])
    np.testing.assert_array_equal(outcomes[0], outcomes[2])


@pytest.mark.parametrize("batch_size,momentum", [(0, 0.0), (0, 0.6), (1, 0.3), (2, 0.0)])
def test_freezing_members_and_computing_only_the_rest_changes_no_number(monkeypatch, batch_size,
                                                                        momentum):
    from expressivity.train import chunk
    shrinks = []
    original = chunk.Live.shrink
    monkeypatch.setattr(chunk.Live, "shrink", lambda self, keep: (shrinks.append(keep.sum()),
                                                                  original(self, keep)))
    task = make_task("parity", n=2)
    settings = SGDSettings(lr=4.0, batch_size=batch_size, momentum=momentum, max_epochs=300,
                           record_every=7, chunk_size=40)
    rngs = member_generators(5, 40)
    net = MLP.init((2, 3, 1), "sigmoid", population=40, rng=rngs)
    reference, reference_rngs = copy.deepcopy(net), copy.deepcopy(rngs)
    out = train(net, task.X, task.Y, settings, rngs=rngs, threshold=0.5)
    assert shrinks, "members should freeze at different epochs and the rest be cut down"
    fitted_epochs = out.fit_epoch[out.fit_epoch >= 0]
    assert len(set(fitted_epochs.tolist())) > 3
    final, curve, fit_epoch, _ = reference_train(reference, task.X, task.Y, settings,
                                                 rngs=reference_rngs, threshold=0.5)
    np.testing.assert_array_equal(out.fit_epoch, fit_epoch)
    np.testing.assert_allclose(out.curve, curve, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out.final_loss, final, rtol=0, atol=1e-12)
    for mine, theirs in zip(net.weights + net.biases, reference.weights + reference.biases):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)


def test_the_data_orders_are_the_stable_argsort_of_the_keys_even_with_ties():
    from expressivity.train.chunk import stable_argsort
    rng = np.random.default_rng(9)
    keys = rng.random((5, 3, 64))
    np.testing.assert_array_equal(stable_argsort(keys), keys.argsort(axis=-1, kind="stable"))
    tied = np.round(keys * 8) / 8            # many equal keys: only the stable sort keeps them in order
    assert not np.array_equal(tied.argsort(axis=-1, kind="quicksort"),
                              tied.argsort(axis=-1, kind="stable"))
    np.testing.assert_array_equal(stable_argsort(tied), tied.argsort(axis=-1, kind="stable"))
