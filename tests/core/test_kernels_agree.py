"""The fast kernels against nn (the one home of the math), with and without the accelerator.

Each test runs twice: on the NumPy kernels and on the compiled ones (skipped,
with the reason, where numba is not installed). A kernel or an nn function
changed alone must make these checks fail, and the tests below show they do.
"""
import contextlib

import numpy as np
import pytest

from expressivity.nn import MLP
from expressivity.nn import activations as nn_activations
from expressivity.train import accelerator, inplace
from expressivity.train.agreement import disagreements
from expressivity.train.gradients import (finite_difference_gap, full_batch_gradients,
                                          per_example_gradients)


def _net(activations=("tanh", "relu", "sigmoid"), bias=True, P=4, seed=1):
    return MLP.init((3, 5, 4, 1), activations, population=P, rng=np.random.default_rng(seed),
                    bias=bias, init="uniform")


def _data(rows=6, seed=2):
    X = np.random.default_rng(seed).normal(size=(rows, 3))
    return X, (X[:, :1] > 0).astype(float) * 0.8 + 0.1


def test_the_accelerator_setting_is_read_and_checked(monkeypatch, kernels_of):
    assert accelerator.name() == kernels_of
    monkeypatch.setenv(accelerator.VARIABLE, "gpu")
    with pytest.raises(ValueError, match="EXPRESSIVITY_ACCELERATOR='gpu'.*allowed: auto, numba, numpy"):
        accelerator.name()


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-6)])
def test_every_kernel_agrees_with_nn(kernels_of, dtype, tol):
    assert disagreements(dtype, tol) == []


def test_a_kernel_derivative_changed_alone_is_caught(kernels_of, monkeypatch):
    if kernels_of == "numba":
        from expressivity.train import compiled
        table, name = compiled.TIMES_DERIVATIVE, "sigmoid"
    else:
        table, name = inplace.TIMES_DERIVATIVE, "tanh"

    def wrong(delta, z, a, work):              # forgets the square: 1 - a
        np.multiply(delta, 1 - a, out=delta)
    monkeypatch.setitem(table, name, wrong)
    found = disagreements()
    assert len(found) == 2 and all(f"times-derivative {name}" in f for f in found)


def test_an_nn_derivative_changed_alone_is_caught(kernels_of, monkeypatch):
    # The NumPy kernels hold the nn function they were built from, the compiled ones their
    # own loop: changing the nn table alone leaves them behind, and the check says so.
    monkeypatch.setitem(nn_activations.DERIVATIVES, "relu", lambda z, a, out=None: np.ones_like(z))
    assert any("times-derivative relu" in f for f in disagreements())


@pytest.mark.parametrize("activations,loss,bias", [
    (("tanh", "relu", "sigmoid"), "squared", True),
    (("sigmoid", "softplus", "identity"), "absolute", False),
    (("relu", "tanh", "sigmoid"), "bce", True),
])
def test_the_training_kernels_gradients_are_the_references(kernels_of, activations, loss, bias):
    net, (X, Y) = _net(activations, bias), _data()
    _, weights, biases = net.loss_and_gradients(X, Y, loss)
    fw, fb = full_batch_gradients(net, X, Y, loss)
    _, weights1, biases1 = net.loss_and_gradients(X[:1], Y[:1], loss)
    pw, pb = per_example_gradients(net, X[0], Y[0], loss)
    for mine, ref in zip(fw + (fb or []), weights + (biases or [])):
        np.testing.assert_allclose(mine, ref, rtol=0, atol=1e-12)
    for mine, ref in zip(pw + (pb or []), weights1 + (biases1 or [])):
        np.testing.assert_allclose(mine, ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kernel", ["full_batch", "per_example"])
def test_the_training_kernels_gradients_match_finite_differences(kernels_of, kernel):
    net, (X, Y) = _net(), _data()
    gap = finite_difference_gap(net, X if kernel == "full_batch" else X[:1],
                                Y if kernel == "full_batch" else Y[:1], "squared", kernel)
    assert gap.shape == (4,) and gap.max() < 1e-7


def test_a_wrong_kernel_derivative_fails_the_finite_difference_check(kernels_of, monkeypatch):
    if kernels_of == "numba":
        from expressivity.train import compiled
        table = compiled.TIMES_DERIVATIVE
    else:
        table = inplace.TIMES_DERIVATIVE
    net, (X, Y) = _net(("tanh", "tanh", "sigmoid")), _data()
    assert finite_difference_gap(net, X, Y).max() < 1e-7
    monkeypatch.setitem(table, "tanh", lambda delta, z, a, work: None)    # drops f'
    assert finite_difference_gap(net, X, Y).max() > 1e-3


def test_the_finite_difference_check_rejects_an_unknown_kernel():
    net, (X, Y) = _net(), _data()
    with pytest.raises(ValueError, match="kernel='gpu'.*allowed: full_batch, per_example"):
        finite_difference_gap(net, X, Y, kernel="gpu")
    with pytest.raises(ValueError, match="one example"):
        per_example_gradients(net, X, Y)


def test_the_compiled_passes_give_the_same_numbers_on_every_layout(kernels_of):
    """Contiguous arrays, the first rows of a padded buffer (the trainer's layer views) and
    views with no such parent (copied in and back out): one set of numbers."""
    if kernels_of == "numpy":
        pytest.skip("layouts matter to the compiled passes only")
    from expressivity.train import compiled
    rng = np.random.default_rng(4)
    z = rng.normal(size=(3, 5, 7)) * 4
    delta = rng.normal(size=z.shape)

    def layouts(x):
        """[(view holding x, what its buffer holds beside it)] for the three layouts."""
        padded, spaced = np.full((4, 6, 7), 9.0), np.full((3, 5, 14), 9.0)
        padded[:3, :5], spaced[:, :, ::2] = x, x
        return [(x.copy(), lambda: np.full(1, 9.0)),
                (padded[:3, :5], lambda: np.concatenate([padded[3:].ravel(), padded[:, 5:].ravel()])),
                (spaced[:, :, ::2], lambda: spaced[:, :, 1::2])]

    results = []
    for (zv, _), (av, a_pad), (dv, d_pad) in zip(layouts(z), layouts(np.zeros_like(z)),
                                                 layouts(delta)):
        compiled.FROM_HALF["sigmoid"](zv * 0.5, av, None)
        compiled.TIMES_DERIVATIVE["sigmoid"](dv, zv, av, None)
        results.append((np.array(av), np.array(dv)))
        assert (a_pad() == 9).all() and (d_pad() == 9).all()      # nothing written beside
    for a, d in results[1:]:
        np.testing.assert_array_equal(a, results[0][0])
        np.testing.assert_array_equal(d, results[0][1])
    want = nn_activations.sigmoid(z)         # its tanh form loses relative digits below 0.5
    np.testing.assert_allclose(results[0][0], want, rtol=0, atol=1e-15)
    np.testing.assert_allclose(results[0][1], delta * want * (1 - want), rtol=0, atol=1e-15)


def test_the_per_example_kernel_gives_the_same_bits_with_and_without_the_slp_vectoriser():
    """Vectorising IEEE operations lane by lane must change no bit: the kernel compiled with
    LLVM's SLP vectoriser (as ``epoch`` compiles it) against the same source compiled without
    (float64 only: each build compiles for ~10 s)."""
    numba = pytest.importorskip("numba", reason="the compiled accelerator needs numba")
    from expressivity.train import per_example_compiled as pe
    builds = {}
    for on in (False, True):
        with pe.slp_vectoriser(on):
            builds[on] = numba.njit(error_model="numpy")(pe.kernel.py_func)
    rng, dtype = np.random.default_rng(7), np.float64
    C, B, sizes = 11, 6, (3, 5, 4, 2)              # 11 members: a full tile and a partial one
    for acts, loss, momentum, bias in [((0, 1, 0), "squared", False, 1), ((2, 4, 3), "absolute", True, 0),
                                       ((1, 3, 0), "bce", True, 1), ((4, 2, 1), "bce", False, 0)]:
        shapes = [(k + bias, v, C) for k, v in zip(sizes[:-1], sizes[1:])]
        start = [rng.normal(size=s).astype(dtype) for s in shapes]
        inputs = rng.normal(size=(sizes[0] + bias, B)).astype(dtype)
        if bias:
            inputs[-1] = 1
        targets = rng.uniform(0.1, 0.9, size=(sizes[-1], B)).astype(dtype)
        order = np.stack([rng.permutation(B) for _ in range(C)]).astype(np.int64)
        code = pe.loss_code(loss, pe.ACTIVATION_NAMES[acts[-1]])
        results = []
        for run in (builds[False], builds[True], pe.epoch):
            thetas = pe_list([t.copy() for t in start])
            velocities = pe_list([0.1 * t for t in start])
            run(thetas, velocities, momentum, order, inputs, targets,
                np.full(C, 0.3, dtype), np.full(C, 0.5, dtype), np.array(acts, np.int64), code, bias)
            results.append([np.array(t) for t in list(thetas) + list(velocities)])
        for other in results[1:]:
            for a, b in zip(results[0], other):
                np.testing.assert_array_equal(a, b)
        assert not np.array_equal(results[0][0], start[0])       # the steps did move


def pe_list(arrays):
    from expressivity.train.compiled import as_list
    return as_list(arrays)


@pytest.mark.parametrize("setting,on", [(None, True), ("1", True), ("0", False)])
def test_expressivity_slp_says_whether_the_per_example_kernel_compiles_with_slp(
        monkeypatch, setting, on):
    pytest.importorskip("numba", reason="the compiled accelerator needs numba")
    from expressivity.train import per_example_compiled as pe
    asked = []
    monkeypatch.setattr(pe, "_compiled_for", set())              # as in a fresh process
    monkeypatch.setattr(pe, "slp_vectoriser", lambda flag: asked.append(flag) or contextlib.nullcontext())
    monkeypatch.setattr(pe, "kernel", lambda *args: None)
    if setting is None:
        monkeypatch.delenv(pe.SLP_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(pe.SLP_VARIABLE, setting)
    args = [None] * 4 + [np.zeros((2, 3))]
    pe.epoch(*args)
    pe.epoch(*args)                                              # compiled once per dtype
    assert asked == [on]
