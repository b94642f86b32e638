"""The SIMD lanes of the per-example kernel: TILE members as 8-tuples, and the tile's inner loops."""
# Inlined into ``train.per_example_compiled.kernel``, whose on-disk Numba cache is keyed by
# that file only: after a change here, touch per_example_compiled.py (or delete its
# ``__pycache__/*.nbi``) so that the cached kernel inlines the new code.
import numba
import numpy as np

# Members computed side by side in SIMD lanes: a compile-time constant, so every
# inner loop has this trip count and vectorises. A tile's parameters stay in L1.
TILE = 8

# The lanes of a tile as a tuple of TILE values: every load of a group happens before its
# stores, so LLVM's SLP vectoriser makes one vector operation of each group without having
# to prove that the buffers do not overlap (it cannot: their addresses are loaded at run
# time). Buffers are addressed by unsigned offsets, never sliced: no negative-index
# wraparound stands between consecutive addresses, and no reference count moves per step.
U0, U1, U2, U3, U4, U5, U6, U7 = (np.uint64(t) for t in range(TILE))


@numba.njit(inline="always")
def _u(i):
    return np.uint64(i)


@numba.njit(inline="always")
def _load(x, i):
    return (x[i], x[i + U1], x[i + U2], x[i + U3], x[i + U4], x[i + U5], x[i + U6], x[i + U7])


@numba.njit(inline="always")
def _store(x, i, v):
    x[i], x[i + U1], x[i + U2], x[i + U3] = v[0], v[1], v[2], v[3]
    x[i + U4], x[i + U5], x[i + U6], x[i + U7] = v[4], v[5], v[6], v[7]


@numba.njit(inline="always")
def _mul(a, b):
    return (a[0] * b[0], a[1] * b[1], a[2] * b[2], a[3] * b[3],
            a[4] * b[4], a[5] * b[5], a[6] * b[6], a[7] * b[7])


@numba.njit(inline="always")
def _add(a, b):
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3],
            a[4] + b[4], a[5] + b[5], a[6] + b[6], a[7] + b[7])


@numba.njit(inline="always")
def _sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3],
            a[4] - b[4], a[5] - b[5], a[6] - b[6], a[7] - b[7])


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
def _matvec(w, wo, a, ao, K, V, z, zo):
    # z[v] = Σ_k w[k, v] a[k], summed over k in order (as np.add.reduce over axis 0).
    for v in range(V):
        acc = _mul(_load(w, wo + _u(v * TILE)), _load(a, ao))
        for k in range(1, K):
            acc = _add(acc, _mul(_load(w, wo + _u((k * V + v) * TILE)),
                                 _load(a, ao + _u(k * TILE))))
        _store(z, zo + _u(v * TILE), acc)


@numba.njit(inline="always")
def _send_down(w, wo, d, do, K, V, below, bo):
    # below[k] = Σ_v w[k, v] d[v], summed over v in order (as np.add.reduce over axis 1),
    # the bias row left out.
    for k in range(K):
        acc = _mul(_load(w, wo + _u(k * V * TILE)), _load(d, do))
        for v in range(1, V):
            acc = _add(acc, _mul(_load(w, wo + _u((k * V + v) * TILE)),
                                 _load(d, do + _u(v * TILE))))
        _store(below, bo + _u(k * TILE), acc)


@numba.njit(inline="always")
def _update(w, wo, a, ao, d, do, K, V, step):
    # theta -= a ⊗ (delta · scale), as PerExample._update without momentum.
    st = _load(step, U0)
    for k in range(K):
        ak = _load(a, ao + _u(k * TILE))
        for v in range(V):
            i = wo + _u((k * V + v) * TILE)
            _store(w, i, _sub(_load(w, i), _mul(ak, _mul(_load(d, do + _u(v * TILE)), st))))


@numba.njit(inline="always")
def _momentum_update(w, vel, wo, a, ao, d, do, K, V, step, keep):
    # grad = (a ⊗ delta) · scale; v = v · (momentum · keep) - grad; theta += v.
    st, kp = _load(step, U0), _load(keep, U0)
    for k in range(K):
        ak = _load(a, ao + _u(k * TILE))
        for v in range(V):
            i = wo + _u((k * V + v) * TILE)
            new = _sub(_mul(_load(vel, i), kp), _mul(_mul(ak, _load(d, do + _u(v * TILE))), st))
            _store(vel, i, new)
            _store(w, i, _add(_load(w, i), new))
