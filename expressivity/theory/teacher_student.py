"""Two-layer ReLU teacher-student nets on Gaussian inputs, with the exact population loss.

Safran & Shamir (2018), "Spurious local minima are common in two-layer ReLU
neural networks": a student ``x -> sum_i relu(w_i . x)`` (n units, output
weights fixed to 1, no biases) learns a teacher ``x -> sum_j relu(v_j . x)``
(k units, ``v_j`` the unit vectors e_j, inputs x ~ N(0, I_d), d = k). The
expected squared loss has a closed form:

    L(W) = sum_ij f(w_i, w_j) - 2 sum_ij f(w_i, v_j) + sum_ij f(v_i, v_j),
    f(u, v) = E[relu(u.x) relu(v.x)] = |u||v| (sin t + (pi - t) cos t) / (2 pi),

t the angle between u and v, with gradient
``dL/dw_i = 2 sum_j g(w_i, w_j) - 2 sum_j g(w_i, v_j)``,
``g(u, v) = df/du = (|v| sin t u/|u| + (pi - t) v) / (2 pi)``.
(No factor 1/2 in front, as everywhere in this project.) Everything carries a
leading population axis P: W is (P, n, d).
"""
import numpy as np

EPS = 1e-12


def teacher(k):
    """The teacher's unit weight vectors: the identity, (k, k)."""
    return np.eye(k)


def _angles(U, V):
    """Norms (P, n, 1), (P or 1, 1, m) and the angle's cos and sin (P, n, m)."""
    nu = np.linalg.norm(U, axis=-1)[..., :, None]
    nv = np.linalg.norm(V, axis=-1)[..., None, :]
    cos = np.clip((U @ np.swapaxes(V, -1, -2)) / np.maximum(nu * nv, EPS), -1.0, 1.0)
    return nu, nv, cos, np.sqrt(1.0 - cos ** 2)


def pair_expectation(U, V):
    """E[relu(u_i.x) relu(v_j.x)] for all pairs: U (P, n, d), V (P or 1, m, d) -> (P, n, m)."""
    nu, nv, cos, sin = _angles(U, V)
    return nu * nv * (sin + (np.pi - np.arccos(cos)) * cos) / (2 * np.pi)


def pair_gradient(U, V):
    """sum_j d f(u_i, v_j) / d u_i for every i: (P, n, d)."""
    nu, nv, cos, sin = _angles(U, V)
    theta = np.arccos(cos)
    along_u = (nv * sin).sum(axis=-1, keepdims=True) * U / np.maximum(nu, EPS)
    along_v = (np.pi - theta) @ np.broadcast_to(V, (U.shape[0], *V.shape[-2:]))
    return (along_u + along_v) / (2 * np.pi)


def loss(W, V):
    """The population loss of every student W (P, n, d) against teacher V (k, d): (P,)."""
    V = V[None]
    return (pair_expectation(W, W).sum(axis=(1, 2)) - 2 * pair_expectation(W, V).sum(axis=(1, 2))
            + pair_expectation(V, V).sum())


def gradient(W, V):
    """dL/dW, (P, n, d)."""
    return 2 * pair_gradient(W, W) - 2 * pair_gradient(W, V[None])


def init_students(rngs, n, d):
    """One student per generator, entries N(0, 1/d) (Xavier-like, as in the paper): (P, n, d)."""
    return np.stack([r.normal(0.0, 1.0 / np.sqrt(d), size=(n, d)) for r in rngs])


def descend(W, V, lr, steps, record_every=100):
    """Plain gradient descent on the population loss; W is updated in place.

    Returns (curve epochs (T,), curve (T, P), gradient norm at the start (P,)).
    """
    epochs, curve = [], []
    g0 = np.linalg.norm(gradient(W, V).reshape(len(W), -1), axis=1)
    for t in range(steps):
        if t % record_every == 0:
            epochs.append(t)
            curve.append(loss(W, V))
        W -= lr * gradient(W, V)
    epochs.append(steps)
    curve.append(loss(W, V))
    return np.array(epochs), np.array(curve), g0


def hessian(w, V, step=1e-5):
    """Hessian (nd, nd) of the loss at one student w (n, d), central differences of the gradient."""
    flat = w.ravel()
    N = flat.size
    shifted = np.repeat(flat[None], 2 * N, axis=0)
    shifted[np.arange(N), np.arange(N)] += step
    shifted[N + np.arange(N), np.arange(N)] -= step
    g = gradient(shifted.reshape(2 * N, *w.shape), V).reshape(2 * N, N)
    H = (g[:N] - g[N:]) / (2 * step)
    return (H + H.T) / 2
