"""The per-example epoch (batch size 1) compiled with Numba: one member's steps in L1.

The NumPy reference is ``train.per_example.PerExample`` running
``nn.backprop.backward``; this is the same arithmetic, in the same order
(forward sums over inputs in order, errors sent down summed over units in
order, the update ``theta -= a * (delta * scale)``), for ``TILE`` members at a
time, one per SIMD lane: their parameters are copied out of the members-last
layout into a small buffer that stays in L1, all of the epoch's steps run
there, and they are copied back. Each lane does exactly the scalar arithmetic
of its own member, so a member's numbers do not depend on its tile. Only the
activations (``train.vecmath``'s logistic and tanh, within a few ulps of
NumPy's) differ from the reference, so numbers agree to about 1e-15, not bit
for bit; tests hold them to 1e-12.

The lanes are written as 8-tuples (``_load``, ``_mul``, ... in ``train.tile_lanes``), which only
LLVM's SLP vectoriser turns into vector instructions. Numba leaves it off by
default (numba PR 8852: miscompilations reported with older LLVMs), so
``epoch`` switches it on while its kernel compiles (Numba code that another
thread compiles in that moment gets it too), and tests/core/test_kernels_agree.py checks that the kernel compiled with it gives
the same bits as without it (vectorising IEEE operations lane by lane changes
no bit; measured 2.2x on the matrix-vector products here). Set
``EXPRESSIVITY_SLP=0`` to compile it without.

Layout (as ``PerExample``): ``thetas[l]`` is (fan_in [+1], fan_out, C), the
last input row being the bias when ``bias``; a tile's flat buffer holds
layer ``l`` at ``offset[l]`` as (fan_in [+1], fan_out, TILE), row-major.
"""
import math
import os
import threading
from contextlib import contextmanager

import numba
import numpy as np

from expressivity.nn import losses
from expressivity.train import vecmath
from expressivity.train.tile_lanes import (TILE, _gather, _matvec, _momentum_update, _scatter, _send_down, _u,
                                           _update)

# Codes the kernel branches on, once per layer and step (never per element).
ACTIVATION_CODES = {"sigmoid": 0, "tanh": 1, "relu": 2, "identity": 3, "softplus": 4}
ACTIVATION_NAMES = {code: name for name, code in ACTIVATION_CODES.items()}
LOSS_CODES = {"squared": 0, "absolute": 1, "bce": 2}
BCE_EPS = 1e-12       # as nn.losses.BCE_EPS (train.agreement checks they match)
FUSED_BCE = 3         # bce on a sigmoid output: δ = p - y straight from nn.losses.bce_logit_delta


def loss_code(loss, output_activation):
    """The code ``epoch`` branches on: FUSED_BCE where ``nn.losses.fused`` says so."""
    return FUSED_BCE if losses.fused(loss, output_activation) else LOSS_CODES[loss]


_logistic = vecmath.logistic      # vectorised over the lanes (no libm call; train.vecmath)


@numba.njit(inline="always")
def _softplus(z):
    # np.logaddexp(0, z) without overflow.
    if z == 0:
        return math.log(2.0)
    if z < 0:
        return math.log1p(math.exp(z))
    return z + math.log1p(math.exp(-z))


@numba.njit(inline="always")
def _activate(code, z, zo, out, oo, n):
    # out[oo:oo+n] = f(z[zo:zo+n]); one loop per activation (the branch outside it), so
    # each loop vectorises over the lanes.
    if code == 0:
        for i in range(n):
            out[oo + _u(i)] = _logistic(z[zo + _u(i)])
    elif code == 1:
        for i in range(n):
            out[oo + _u(i)] = vecmath.tanh(z[zo + _u(i)])
    elif code == 2:
        for i in range(n):
            x = z[zo + _u(i)]
            out[oo + _u(i)] = 0.0 if x <= 0 else x          # keeps NaN, as np.maximum
    elif code == 3:
        for i in range(n):
            out[oo + _u(i)] = z[zo + _u(i)]
    else:
        for i in range(n):
            out[oo + _u(i)] = _softplus(z[zo + _u(i)])


@numba.njit(inline="always")
def _times_derivative(code, delta, do, z, zo, a, ao, n):
    # delta[do:do+n] *= f'(z), from a = f(z) where that is cheaper.
    if code == 0:
        for i in range(n):
            s = a[ao + _u(i)]
            delta[do + _u(i)] = delta[do + _u(i)] * ((1 - s) * s)
    elif code == 1:
        for i in range(n):
            s = a[ao + _u(i)]
            delta[do + _u(i)] = delta[do + _u(i)] * (1 - s * s)
    elif code == 2:
        for i in range(n):
            delta[do + _u(i)] = delta[do + _u(i)] * (1.0 if z[zo + _u(i)] > 0 else 0.0)
    elif code == 4:
        for i in range(n):
            delta[do + _u(i)] = delta[do + _u(i)] * _logistic(z[zo + _u(i)])
    # identity: f' = 1, nothing to multiply (as the NumPy kernel)


@numba.njit(inline="always")
def _loss_derivative(code, p, t):
    if code == 0:
        return 2 * (p - t)
    if code == 1:
        return np.sign(p - t)
    if code == FUSED_BCE:
        return p - t              # already ∂L/∂z: the output's f' is not applied
    q = min(max(p, BCE_EPS), 1 - BCE_EPS)
    return (q - t) / (q * (1 - q))


SLP_VARIABLE = "EXPRESSIVITY_SLP"
_compiled_for, _compiling = set(), threading.Lock()


@contextmanager
def slp_vectoriser(on=True):
    """Numba's SLP vectoriser on (or off) for what compiles inside the block."""
    before = numba.config.SLP_VECTORIZE
    numba.config.SLP_VECTORIZE = int(on)
    try:
        yield
    finally:
        numba.config.SLP_VECTORIZE = before


def epoch(*args):
    """``kernel(*args)``, compiled (or loaded from Numba's cache) with the SLP vectoriser on
    the first time a dtype comes (one thread at a time), unless EXPRESSIVITY_SLP=0."""
    dtype = args[4].dtype
    if dtype in _compiled_for:
        return kernel(*args)
    with _compiling, slp_vectoriser(os.environ.get(SLP_VARIABLE, "1").strip() != "0"):
        kernel(*args)
        _compiled_for.add(dtype)


@numba.njit(nogil=True, cache=True, error_model="numpy")   # x / 0 is inf: loops vectorise
def kernel(thetas, velocities, momentum_on, order, inputs_t, targets_t, scale, momentum_keep,
          acts, loss, bias):
    """Every member's per-example steps of one epoch, in place, TILE members at a time.

    thetas, velocities : typed lists of (fan_in [+1], fan_out, C) arrays (velocities
        unused unless ``momentum_on``)
    order : (C, B) int, member c's example at each step
    inputs_t : (n_in [+1], B); targets_t : (n_out, B)
    scale : (C,) step size, 0 for frozen members; momentum_keep : (C,) momentum · keep
    acts : (L,) activation codes; loss : ``loss_code(...)``; bias : 1 if the last input row is ones
    """
    L, C, B = len(acts), order.shape[0], order.shape[1]
    K, V = np.empty(L, np.int64), np.empty(L, np.int64)
    for l in range(L):
        K[l], V[l] = thetas[l].shape[0], thetas[l].shape[1]
    offset, a_at, z_at = np.zeros(L + 1, np.int64), np.zeros(L + 1, np.int64), np.zeros(L + 1, np.int64)
    for l in range(L):
        offset[l + 1] = offset[l] + K[l] * V[l] * TILE
        a_at[l + 1] = a_at[l] + K[l] * TILE
        z_at[l + 1] = z_at[l] + V[l] * TILE
    dtype = thetas[0].dtype
    th = np.zeros(offset[L], dtype)
    vel = np.zeros(offset[L] if momentum_on else 0, dtype)
    a = np.ones(a_at[L] + V[L - 1] * TILE, dtype)   # each layer's input [+1], then the output
    z, delta = np.empty(z_at[L], dtype), np.empty(z_at[L], dtype)
    step, keep = np.zeros(TILE, dtype), np.zeros(TILE, dtype)
    rows = np.zeros(TILE, np.int64)
    last, out_at = L - 1, _u(a_at[L])
    for c0 in range(0, C, TILE):
        n = min(TILE, C - c0)      # lanes past n compute on zeros and are never written back
        _gather(thetas, th, offset, K, V, c0, n)
        if momentum_on:
            _gather(velocities, vel, offset, K, V, c0, n)
        for t in range(n):
            step[t], keep[t] = scale[c0 + t], momentum_keep[c0 + t]
        for i in range(B):
            for t in range(n):
                rows[t] = order[c0 + t, i]
            for k in range(K[0]):
                for t in range(TILE):
                    a[k * TILE + t] = inputs_t[k, rows[t]]
            for l in range(L):
                _matvec(th, _u(offset[l]), a, _u(a_at[l]), K[l], V[l], z, _u(z_at[l]))
                _activate(acts[l], z, _u(z_at[l]), a, _u(a_at[l + 1]), V[l] * TILE)
            for v in range(V[last]):
                for t in range(TILE):
                    j = v * TILE + t
                    delta[z_at[last] + j] = _loss_derivative(loss, a[a_at[L] + j],
                                                             targets_t[v, rows[t]])
            if loss != FUSED_BCE:
                _times_derivative(acts[last], delta, _u(z_at[last]), z, _u(z_at[last]), a, out_at,
                                  V[last] * TILE)
            for l in range(L - 1, -1, -1):
                wo, do, ao = _u(offset[l]), _u(z_at[l]), _u(a_at[l])
                if l > 0:
                    _send_down(th, wo, delta, do, K[l] - bias, V[l], delta, _u(z_at[l - 1]))
                if momentum_on:
                    _momentum_update(th, vel, wo, a, ao, delta, do, K[l], V[l], step, keep)
                else:
                    _update(th, wo, a, ao, delta, do, K[l], V[l], step)
                if l > 0:
                    _times_derivative(acts[l - 1], delta, _u(z_at[l - 1]), z, _u(z_at[l - 1]),
                                      a, ao, V[l - 1] * TILE)
        _scatter(thetas, th, offset, K, V, c0, n)
        if momentum_on:
            _scatter(velocities, vel, offset, K, V, c0, n)
