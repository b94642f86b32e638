"""How did a failed restart end? Saturated, still moving, at a saddle or plateau, or at a local minimum.

For a member that did not fit, in this order (the first that applies):

``diverged``        the loss is not finite;
``moving``          the gradient norm (all weights and biases) is at least ``grad_tol``:
                    the budget ran out, the member was not stuck;
``saturated``       small gradient, and on some wrong row the error cannot flow back:
                    the per-example loss's derivative with respect to the output
                    pre-activation is below ``sat_tol`` in size, or every unit of the
                    last hidden layer has derivative below ``sat_tol`` there
                    (saturated sigmoids, dead ReLUs);
``saddle``          small gradient, and the Hessian has an eigenvalue below ``-hess_tol``:
                    a descent direction exists (a saddle or a plateau's edge);
``local_minimum``   small gradient and no Hessian eigenvalue below ``-hess_tol``;
``plateau``         (only when ``plateau_grad_tol`` is set; issue 19) a member that would be
                    ``moving`` but whose loss fell by less than ``plateau_drop`` over the last
                    1000 epochs, whose gradient norm is below ``plateau_grad_tol``, and whose
                    Hessian has an eigenvalue below ``-hess_tol``: a saddle plateau, neither a
                    minimum nor real progress (a member that is slow there but has no negative
                    curvature stays ``moving``).

The Hessian is computed by central differences of the exact (backprop) gradient,
one perturbed copy of the member per coordinate and sign, all copies as one
population: ``H[i] = (g(w + h e_i) - g(w - h e_i)) / 2h``, then symmetrised.
For these small nets that is exact to about ``h**2``.
"""
import numpy as np

from expressivity.nn import MLP
from expressivity.nn.activations import DERIVATIVES
from expressivity.nn import losses

CLASSES = ("diverged", "saturated", "moving", "plateau", "saddle", "local_minimum")
MAX_COPIES = 4096  # perturbed copies per batched gradient call (memory stays small)


def flatten(net):
    """Every member's parameters as one vector: (P, N), weights then biases, layer by layer."""
    parts = [w.reshape(net.population, -1) for w in net.weights]
    if net.biases is not None:
        parts += [b.reshape(net.population, -1) for b in net.biases]
    return np.concatenate(parts, axis=1)


def unflatten(vectors, like):
    """A population (one member per row of ``vectors`` (Q, N)) shaped like ``like``."""
    Q, at, weights, biases = vectors.shape[0], 0, [], []
    for w in like.weights:
        size = w.shape[1] * w.shape[2]
        weights.append(vectors[:, at:at + size].reshape(Q, *w.shape[1:]))
        at += size
    if like.biases is not None:
        for b in like.biases:
            biases.append(vectors[:, at:at + b.shape[1]].reshape(Q, b.shape[1]))
            at += b.shape[1]
    return MLP(weights, biases if like.biases is not None else None, like.activations)


def gradient_vectors(net, X, Y, loss):
    """Loss (P,) and its exact gradient as vectors (P, N) for every member."""
    value, wg, bg = net.loss_and_gradients(X, Y, loss)
    parts = [g.reshape(net.population, -1) for g in wg]
    if bg is not None:
        parts += [g.reshape(net.population, -1) for g in bg]
    return value, np.concatenate(parts, axis=1)


def hessian(member, X, Y, loss, step=1e-5):
    """Hessian (N, N) of the batch loss of a one-member population, by central differences."""
    w = flatten(member)[0]
    N = w.size
    rows = np.empty((N, N))
    for start in range(0, N, MAX_COPIES // 2):
        idx = np.arange(start, min(N, start + MAX_COPIES // 2))
        shifted = np.repeat(w[None], 2 * idx.size, axis=0)
        shifted[np.arange(idx.size), idx] += step
        shifted[idx.size + np.arange(idx.size), idx] -= step
        _, g = gradient_vectors(unflatten(shifted, member), X, Y, loss)
        rows[idx] = (g[:idx.size] - g[idx.size:]) / (2 * step)
    return (rows + rows.T) / 2


def wrong_rows(output, Y, threshold):
    """(P, B) True where some output is on the wrong side of ``threshold`` (or on it)."""
    truth = Y > threshold
    right = np.where(truth, output > threshold, output < threshold)
    return ~right.all(axis=-1)


def saturated(net, X, Y, loss, threshold, sat_tol):
    """(P,) bool: on some wrong row the output's error signal or the last hidden layer is dead."""
    output = net.forward(X)
    z_out = net.pre_activations[-1]
    signal = np.abs(losses.output_delta(loss, net.activations[-1], output, z_out, Y)
                    ).max(axis=-1)   # (P, B)
    stuck = signal < sat_tol
    if len(net.weights) > 1:
        z, a = net.pre_activations[-2], net.layer_outputs[-2]
        stuck |= (np.abs(DERIVATIVES[net.activations[-2]](z, a)) < sat_tol).all(axis=-1)
    return (stuck & wrong_rows(output, Y, threshold)).any(axis=-1)


def loss_drop_per_1000(curve, epochs, members, span=1000):
    """(len(members),) how much each member's loss fell over the last ``span`` recorded epochs,
    per 1000 epochs: from the latest curve point at least ``span`` before the end (the first
    point if the curve is shorter). ``curve``: (P, T) losses at ``epochs`` (T,)."""
    epochs = np.asarray(epochs, float)
    if epochs.size < 2:
        return np.full(len(members), np.nan)
    earlier = np.flatnonzero(epochs <= epochs[-1] - span)
    j = earlier[-1] if earlier.size else 0
    c = np.asarray(curve, float)[np.asarray(members, int)]
    return 1000.0 * (c[:, j] - c[:, -1]) / (epochs[-1] - epochs[j])


def plateau_class(drop, grad_norm, hess_min, plateau_grad_tol, plateau_drop, hess_tol):
    """``plateau`` for a slow member at negative curvature, else ``moving`` (the pure rule)."""
    slow = np.isfinite(drop) and drop < plateau_drop and grad_norm < plateau_grad_tol
    return "plateau" if slow and hess_min is not None and hess_min < -hess_tol else "moving"


def diagnose(net, X, Y, loss, threshold, members, grad_tol=1e-4, hess_tol=1e-6, sat_tol=1e-3,
             step=1e-5, plateau_grad_tol=None, plateau_drop=None, loss_drop=None):
    """Classify the given members of ``net`` (indices) by how their training ended.

    Returns a dict of lists, one entry per index: ``member``, ``class`` (one of
    CLASSES), ``grad_norm``, ``saturated``, and ``hess_min``/``hess_max`` (the
    extreme Hessian eigenvalues; None where the class was settled before the
    Hessian was needed). The plateau class needs ``plateau_grad_tol``, ``plateau_drop`` and
    ``loss_drop`` (one per member: ``loss_drop_per_1000``); without them, as before.
    """
    members = np.asarray(members, int)
    out = {"member": members.tolist(), "class": [], "grad_norm": [], "saturated": [],
           "hess_min": [], "hess_max": []}
    if members.size == 0:
        return out
    sub = unflatten(flatten(net)[members], net)
    with np.errstate(all="ignore"):
        value, g = gradient_vectors(sub, X, Y, loss)
        sat = saturated(sub, X, Y, loss, threshold, sat_tol)
    norm = np.linalg.norm(g, axis=1)
    for i in range(members.size):
        low = high = None
        if not np.isfinite(value[i]) or not np.isfinite(norm[i]):
            kind = "diverged"
        elif norm[i] >= grad_tol:
            kind = "moving"
            if plateau_grad_tol is not None and loss_drop is not None and norm[i] < plateau_grad_tol \
                    and np.isfinite(loss_drop[i]) and loss_drop[i] < plateau_drop:
                eig = np.linalg.eigvalsh(hessian(sub.member(i), X, Y, loss, step))
                low, high = float(eig[0]), float(eig[-1])
                kind = plateau_class(loss_drop[i], norm[i], low, plateau_grad_tol, plateau_drop,
                                     hess_tol)
        elif sat[i]:
            kind = "saturated"
        else:
            eig = np.linalg.eigvalsh(hessian(sub.member(i), X, Y, loss, step))
            low, high = float(eig[0]), float(eig[-1])
            kind = "saddle" if low < -hess_tol else "local_minimum"
        out["class"].append(kind)
        out["grad_norm"].append(float(norm[i]) if np.isfinite(norm[i]) else None)
        out["saturated"].append(bool(sat[i]))
        out["hess_min"].append(low)
        out["hess_max"].append(high)
    return out
