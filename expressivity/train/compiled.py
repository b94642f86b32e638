"""The optional compiled accelerator (Numba): fused elementwise passes and the per-example epoch.

Imported only when ``train.accelerator.name()`` is ``"numba"``. Nothing here
is a new formula: each function is the same arithmetic as the NumPy reference
(``nn.activations``, ``nn.losses``, ``nn.backprop``) in one compiled loop, and
``train.agreement`` plus tests/core/test_kernels_agree.py check it against them to
1e-12 (float64). The float64 logistic and tanh come from ``train.vecmath``
(range reduction and a polynomial, vectorised; a compiled ``math.tanh`` is a
scalar libm call), so they agree with NumPy's to a few ulps, not to the bit.

Every kernel releases the GIL (``nogil``): the trainer's threads, each on its
own chunk of members, run them side by side; a member's numbers never depend
on its chunk or thread.
"""
import numba
import numpy as np

from expressivity.train import inplace, vecmath

from expressivity.train.per_example_compiled import ACTIVATION_CODES, LOSS_CODES, epoch, loss_code  # noqa: F401  (the per-example kernel)

JIT = {"nogil": True, "cache": True, "error_model": "numpy"}   # x / 0 gives inf, never raises
# Fused multiply-add allowed (one rounding instead of two) in the activations' polynomials;
# nothing is reordered or approximated.
FMA = {**JIT, "fastmath": {"contract"}}

# Every pass loops over (members, rows V, examples) of arrays that Numba knows to be
# C-contiguous (``_parent``): a loop over a strided view does not vectorise. The branch on
# ``op`` is taken once per row, so each inner loop is one straight formula.
SIGMOID, TANH, RELU, SIGMOID_FROM_HALF = 0, 1, 2, 3


@numba.njit(**JIT)
def _times_derivative(op, V, delta, y):
    """delta *= f'(z) from y = f(z) (sigmoid, tanh) or y = z (relu), as nn.activations."""
    M, _, R = delta.shape
    for i in range(M):
        for j in range(V):
            d, s = delta[i, j], y[i, j]
            if op == SIGMOID:        # sigmoid_derivative: (1 - a) * a
                for k in range(R):
                    d[k] = d[k] * ((1 - s[k]) * s[k])
            elif op == TANH:         # tanh_derivative: 1 - a * a
                for k in range(R):
                    d[k] = d[k] * (1 - s[k] * s[k])
            else:                    # relu_derivative: 1 where z > 0, else 0 (0 at 0)
                for k in range(R):
                    d[k] = d[k] * (1.0 if s[k] > 0 else 0.0)


@numba.njit(**FMA)
def _activate(op, V, out, x):
    """out = f(x): the logistic (of 2x for SIGMOID_FROM_HALF: doubling is exact), tanh or relu."""
    M, _, R = out.shape
    for i in range(M):
        for j in range(V):
            o, z = out[i, j], x[i, j]
            if op == SIGMOID_FROM_HALF:
                for k in range(R):
                    o[k] = vecmath.logistic(2.0 * z[k])
            elif op == SIGMOID:
                for k in range(R):
                    o[k] = vecmath.logistic(z[k])
            elif op == RELU:         # nn.activations.relu; keeps nan, as np.maximum
                for k in range(R):
                    o[k] = 0.0 if z[k] <= 0 else z[k]
            else:
                for k in range(R):
                    o[k] = vecmath.tanh(z[k])


def as_list(arrays):
    """Arrays as a Numba typed list: one compiled kernel serves every depth (a tuple's
    type holds its length, so each depth would compile again)."""
    return numba.typed.List(arrays)


def _three_d(x):
    return x[(None,) * (3 - x.ndim)]     # a view, never a copy: the kernels write through it


def _parent(x):
    """The C-contiguous (M, V', R) array whose first V rows per member are ``x`` (M, V, R),
    or None. The trainer's layer values are such views (a row of ones under each layer's
    units); the pass then runs on the parent's first V rows, and Numba vectorises it."""
    if x.flags.c_contiguous:
        return x
    base = x.base
    if (isinstance(base, np.ndarray) and base.ndim == 3 and base.flags.c_contiguous
            and base.strides == x.strides and base.shape[2] == x.shape[2]
            and base.shape[0] >= x.shape[0] and base.shape[1] >= x.shape[1]
            and base.__array_interface__["data"][0] == x.__array_interface__["data"][0]):
        return base[:x.shape[0]]
    return None


def apply(kernel, op, out, *inputs):
    """``kernel(op, V, out, *inputs)`` over 1- to 3-D arrays of one shape, ``out`` written in
    place.

    Views that are not the first rows of a C-contiguous array are copied in and
    (``out``) back out, so any layout gives the same numbers.
    """
    arrays = [_three_d(x) for x in (out, *inputs)]
    parents = [_parent(x) for x in arrays]
    if any(p is None for p in parents):
        parents = [np.ascontiguousarray(x) for x in arrays]
        kernel(op, arrays[0].shape[1], *parents)
        arrays[0][...] = parents[0]
        return
    kernel(op, arrays[0].shape[1], *parents)


def _float64_or_numpy(fused, name, numpy_kernel, use):
    """The fused pass on float64 arrays; NumPy's kernel otherwise (``train.vecmath`` is
    float64 arithmetic: through it a float32 logistic runs at float64 speed, slower than
    NumPy's float32 tanh)."""
    def kernel(*args):
        if args[0].dtype == np.float64:
            fused(*args)
        else:
            numpy_kernel[name](*args)
    kernel.__name__ = f"{name}_{use}"
    return kernel


def _sigmoid_td(delta, z, a, work):
    apply(_times_derivative, SIGMOID, delta, a)


def _tanh_td(delta, z, a, work):
    apply(_times_derivative, TANH, delta, a)


def _relu_td(delta, z, a, work):
    apply(_times_derivative, RELU, delta, z)


def _sigmoid_from_half(z_half, out, work):
    """The logistic from z / 2 in one pass (``train.vecmath``: vectorised, no libm call)."""
    apply(_activate, SIGMOID_FROM_HALF, out, z_half)


def _sigmoid_forward(z, out, work):
    apply(_activate, SIGMOID, out, z)


def _tanh_forward(z, out, work):
    apply(_activate, TANH, out, z)


def _relu_forward(z, out, work):
    apply(_activate, RELU, out, z)


FORWARD = {**{name: _float64_or_numpy(fn, name, inplace.FORWARD, "forward")
              for name, fn in (("sigmoid", _sigmoid_forward), ("tanh", _tanh_forward))},
           "relu": _relu_forward}      # any dtype: 2x NumPy's maximum here
FROM_HALF = {"sigmoid": _float64_or_numpy(_sigmoid_from_half, "sigmoid", inplace.FROM_HALF,
                                          "from_half")}
# The derivative passes serve float32 too (measured 2x faster than NumPy's two passes there);
# the activations' values stay NumPy's in float32 (its float32 tanh is a SIMD kernel).
TIMES_DERIVATIVE = {"sigmoid": _sigmoid_td, "tanh": _tanh_td, "relu": _relu_td}
