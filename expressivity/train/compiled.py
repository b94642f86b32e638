"""The optional compiled accelerator (Numba): fused elementwise passes and the per-example epoch.

Imported only when ``train.accelerator.name()`` is ``"numba"``. Nothing here
is a new formula: each function is the same arithmetic as the NumPy reference
(``nn.activations``, ``nn.losses``, ``nn.backprop``) in one compiled loop, and
``train.agreement`` plus ``tests/test_compiled.py`` check it against them to
1e-12 (float64). Where a compiled scalar function would be slower than
NumPy's vectorised one (``tanh``), the NumPy pass is kept.

Every kernel releases the GIL (``nogil``): the trainer's threads, each on its
own chunk of members, run them side by side; a member's numbers never depend
on its chunk or thread.
"""
import numba
import numpy as np

from expressivity.train import inplace

from expressivity.train.per_example_compiled import ACTIVATION_CODES, LOSS_CODES, epoch, loss_code  # noqa: F401  (the per-example kernel)

JIT = {"nogil": True, "cache": True}


@numba.njit(**JIT)
def _sigmoid_times_derivative(delta, a):
    # nn.activations.sigmoid_derivative: (1 - a) * a; then delta * it.
    M, V, R = delta.shape
    for i in range(M):
        for j in range(V):
            for k in range(R):
                s = a[i, j, k]
                delta[i, j, k] = delta[i, j, k] * ((1 - s) * s)


@numba.njit(**JIT)
def _tanh_times_derivative(delta, a):
    # nn.activations.tanh_derivative: 1 - a * a.
    M, V, R = delta.shape
    for i in range(M):
        for j in range(V):
            for k in range(R):
                s = a[i, j, k]
                delta[i, j, k] = delta[i, j, k] * (1 - s * s)


@numba.njit(**JIT)
def _relu_times_derivative(delta, z):
    # nn.activations.relu_derivative: 1 where z > 0, else 0 (the subgradient at 0 is 0).
    M, V, R = delta.shape
    for i in range(M):
        for j in range(V):
            for k in range(R):
                delta[i, j, k] = delta[i, j, k] * (1.0 if z[i, j, k] > 0 else 0.0)


@numba.njit(**JIT)
def _half_affine(t):
    # The rest of nn.activations.sigmoid_from_half after its tanh: t * 0.5 + 0.5, in place.
    M, V, R = t.shape
    for i in range(M):
        for j in range(V):
            for k in range(R):
                t[i, j, k] = t[i, j, k] * 0.5 + 0.5


def as_list(arrays):
    """Arrays as a Numba typed list: one compiled kernel serves every depth (a tuple's
    type holds its length, so each depth would compile again)."""
    return numba.typed.List(arrays)


def _three_d(x):
    return x[(None,) * (3 - x.ndim)]     # a view, never a copy: the kernels write through it


def _float64_or_numpy(fused, name, numpy_kernel, use):
    """The fused pass on float64 arrays; NumPy's kernel otherwise (Numba would compute
    float32 through float64 constants, measured slower than NumPy's float32 passes)."""
    def kernel(*args):
        if args[0].dtype == np.float64:
            fused(*args)
        else:
            numpy_kernel[name](*args)
    kernel.__name__ = f"{name}_{use}"
    return kernel


def _sigmoid_td(delta, z, a, work):
    _sigmoid_times_derivative(_three_d(delta), _three_d(a))


def _tanh_td(delta, z, a, work):
    _tanh_times_derivative(_three_d(delta), _three_d(a))


def _relu_td(delta, z, a, work):
    _relu_times_derivative(_three_d(delta), _three_d(z))


def _sigmoid_from_half(z_half, out, work):
    """NumPy's vectorised tanh (faster than a compiled scalar one), then one fused pass."""
    np.tanh(z_half, out=out)
    _half_affine(_three_d(out))


FORWARD = {}
FROM_HALF = {"sigmoid": _float64_or_numpy(_sigmoid_from_half, "sigmoid", inplace.FROM_HALF,
                                          "from_half")}
TIMES_DERIVATIVE = {name: _float64_or_numpy(fn, name, inplace.TIMES_DERIVATIVE, "times_derivative")
                    for name, fn in (("sigmoid", _sigmoid_td), ("tanh", _tanh_td),
                                     ("relu", _relu_td))}
