"""The per-example epoch (batch size 1) compiled with Numba: one member's steps in L1.

The NumPy reference is ``train.per_example.PerExample`` running
``nn.backprop.backward``; this is the same arithmetic, in the same order
(forward sums over inputs in order, errors sent down summed over units in
order, the update ``theta -= a * (delta * scale)``), for ``TILE`` members at a
time, one per SIMD lane: their parameters are copied out of the members-last
layout into a small buffer that stays in L1, all of the epoch's steps run
there, and they are copied back. Each lane does exactly the scalar arithmetic
of its own member, so a member's numbers do not depend on its tile. Only the activations' exponentials come from a different library than
NumPy's, so numbers agree to about 1e-15, not bit for bit; tests hold them
to 1e-12.

Layout (as ``PerExample``): ``thetas[l]`` is (fan_in [+1], fan_out, C), the
last input row being the bias when ``bias``; a tile's flat buffer holds
layer ``l`` at ``offset[l]`` as (fan_in [+1], fan_out, TILE), row-major.
"""
import math

import numba
import numpy as np

from expressivity.nn import losses

# Codes the kernel branches on, once per layer and step (never per element).
ACTIVATION_CODES = {"sigmoid": 0, "tanh": 1, "relu": 2, "identity": 3, "softplus": 4}
LOSS_CODES = {"squared": 0, "absolute": 1, "bce": 2}
BCE_EPS = 1e-12       # as nn.losses.BCE_EPS (train.agreement checks they match)
FUSED_BCE = 3         # bce on a sigmoid output: δ = p - y straight from nn.losses.bce_logit_delta


def loss_code(loss, output_activation):
    """The code ``epoch`` branches on: FUSED_BCE where ``nn.losses.fused`` says so."""
    return FUSED_BCE if losses.fused(loss, output_activation) else LOSS_CODES[loss]


@numba.njit(inline="always")
def _logistic(z):
    return 1.0 / (1.0 + math.exp(-z))


@numba.njit(inline="always")
def _softplus(z):
    # np.logaddexp(0, z) without overflow.
    if z == 0:
        return math.log(2.0)
    if z < 0:
        return math.log1p(math.exp(z))
    return z + math.log1p(math.exp(-z))


# Members computed side by side in SIMD lanes: a compile-time constant, so every
# inner loop has this trip count and vectorises. A tile's parameters stay in L1.
TILE = 8


@numba.njit(inline="always")
def _activate(code, z, out):
    for i in range(z.size):
        x = z[i]
        if code == 0:
            out[i] = _logistic(x)
        elif code == 1:
            out[i] = math.tanh(x)
        elif code == 2:
            out[i] = 0.0 if x <= 0 else x          # keeps NaN, as np.maximum
        elif code == 3:
            out[i] = x
        else:
            out[i] = _softplus(x)


@numba.njit(inline="always")
def _times_derivative(code, delta, z, a):
    for i in range(delta.size):
        if code == 0:
            delta[i] = delta[i] * ((1 - a[i]) * a[i])
        elif code == 1:
            delta[i] = delta[i] * (1 - a[i] * a[i])
        elif code == 2:
            delta[i] = delta[i] * (1.0 if z[i] > 0 else 0.0)
        elif code == 4:
            delta[i] = delta[i] * _logistic(z[i])
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


@numba.njit(nogil=True, cache=True)
def epoch(thetas, velocities, momentum_on, order, inputs_t, targets_t, scale, momentum_keep,
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
                zl = z[z_at[l]:z_at[l + 1]]
                _matvec(th[offset[l]:offset[l + 1]], a[a_at[l]:], K[l], V[l], zl)
                _activate(acts[l], zl, a[a_at[l + 1]:a_at[l + 1] + V[l] * TILE])
            out = a[a_at[L]:]
            d = delta[z_at[L - 1]:z_at[L]]
            for v in range(V[L - 1]):
                for t in range(TILE):
                    d[v * TILE + t] = _loss_derivative(loss, out[v * TILE + t],
                                                       targets_t[v, rows[t]])
            if loss != FUSED_BCE:
                _times_derivative(acts[L - 1], d, z[z_at[L - 1]:z_at[L]], out)
            for l in range(L - 1, -1, -1):
                w = th[offset[l]:offset[l + 1]]
                d = delta[z_at[l]:z_at[l + 1]]
                if l > 0:
                    _send_down(w, d, K[l] - bias, V[l], delta[z_at[l - 1]:z_at[l]])
                if momentum_on:
                    _momentum_update(w, vel[offset[l]:offset[l + 1]], a[a_at[l]:], d, K[l], V[l],
                                     step, keep)
                else:
                    _update(w, a[a_at[l]:], d, K[l], V[l], step)
                if l > 0:
                    _times_derivative(acts[l - 1], delta[z_at[l - 1]:z_at[l]],
                                      z[z_at[l - 1]:z_at[l]], a[a_at[l]:a_at[l] + V[l - 1] * TILE])
        _scatter(thetas, th, offset, K, V, c0, n)
        if momentum_on:
            _scatter(velocities, vel, offset, K, V, c0, n)


@numba.njit(inline="always")
def _gather(arrays, flat, offset, K, V, c0, n):
    for l in range(len(arrays)):
        x = arrays[l]
        for k in range(K[l]):
            for v in range(V[l]):
                for t in range(n):
                    flat[offset[l] + (k * V[l] + v) * TILE + t] = x[k, v, c0 + t]


@numba.njit(inline="always")
def _scatter(arrays, flat, offset, K, V, c0, n):
    for l in range(len(arrays)):
        x = arrays[l]
        for k in range(K[l]):
            for v in range(V[l]):
                for t in range(n):
                    x[k, v, c0 + t] = flat[offset[l] + (k * V[l] + v) * TILE + t]


@numba.njit(inline="always")
def _matvec(w, a, K, V, z):
    # z[v] = Σ_k w[k, v] a[k], summed over k in order (as np.add.reduce over axis 0).
    for v in range(V):
        for t in range(TILE):
            z[v * TILE + t] = w[v * TILE + t] * a[t]
    for k in range(1, K):
        for v in range(V):
            i = (k * V + v) * TILE
            for t in range(TILE):
                z[v * TILE + t] = z[v * TILE + t] + w[i + t] * a[k * TILE + t]


@numba.njit(inline="always")
def _send_down(w, d, K, V, below):
    # below[k] = Σ_v w[k, v] d[v], summed over v in order (as np.add.reduce over axis 1),
    # the bias row left out.
    for k in range(K):
        i = k * V * TILE
        for t in range(TILE):
            below[k * TILE + t] = w[i + t] * d[t]
        for v in range(1, V):
            i = (k * V + v) * TILE
            for t in range(TILE):
                below[k * TILE + t] = below[k * TILE + t] + w[i + t] * d[v * TILE + t]


@numba.njit(inline="always")
def _update(w, a, d, K, V, step):
    # theta -= a ⊗ (delta · scale), as PerExample._update without momentum.
    for k in range(K):
        for v in range(V):
            i = (k * V + v) * TILE
            for t in range(TILE):
                w[i + t] = w[i + t] - a[k * TILE + t] * (d[v * TILE + t] * step[t])


@numba.njit(inline="always")
def _momentum_update(w, vel, a, d, K, V, step, keep):
    # grad = (a ⊗ delta) · scale; v = v · (momentum · keep) - grad; theta += v.
    for k in range(K):
        for v in range(V):
            i = (k * V + v) * TILE
            for t in range(TILE):
                vel[i + t] = vel[i + t] * keep[t] - (a[k * TILE + t] * d[v * TILE + t]) * step[t]
                w[i + t] = w[i + t] + vel[i + t]
