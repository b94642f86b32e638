"""Stochastic gradient descent over a whole population of networks at once.

Members never interact: each has its own weights, its own data order (from
its own generator) and its own stopping state, so training P members together
gives the same numbers as training each alone. The population is cut into
chunks that are trained one after another (or on a few threads) because
cache-sized batches run faster than one giant batch (DESIGN.md, speed).
"""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..nn import MLP
from .outcome import TrainOutcome, evaluate, merge_outcomes
from .schedules import SCHEDULES

# Data orders are drawn this many epochs at a time per member, so a member's
# stream does not depend on how the population is chunked.
ORDER_BLOCK = 16


@dataclass
class SGDSettings:
    """How to train. ``batch_size=0`` means full batch; 1 is the essay's per-example SGD."""
    loss: str = "squared"
    lr: float = 0.5
    schedule: str = "constant"
    tau: float = 100.0
    gamma: float = 0.99
    step_every: int = 100
    momentum: float = 0.0
    batch_size: int = 0
    max_epochs: int = 1000
    tol: float = 0.0
    stop_on_fit: bool = True
    record_every: int = 10
    chunk_size: int = 32
    threads: int = 1
    extra: dict = field(default_factory=dict)


def train(net, X, Y, settings, rngs=None, threshold=None):
    """Train ``net`` in place on (X (B, n_in), Y (B, n_out)); return a ``TrainOutcome``.

    ``rngs`` holds one generator per member for its data order (needed unless
    full batch). ``threshold`` makes exact fit of a boolean truth table a
    stopping rule (see ``evaluate``).
    """
    P = net.population
    if settings.batch_size and (rngs is None or len(rngs) != P):
        raise ValueError("train: minibatch and per-example SGD need one generator per member")
    size = max(1, settings.chunk_size)
    starts = list(range(0, P, size))

    def run(start):
        stop = min(start + size, P)
        part = _slice(net, start, stop)
        outcome = _train_chunk(part, X, Y, settings, None if rngs is None else rngs[start:stop],
                               threshold)
        return start, stop, part, outcome

    if settings.threads > 1 and len(starts) > 1:
        with ThreadPoolExecutor(settings.threads) as pool:
            results = list(pool.map(run, starts))
    else:
        results = [run(s) for s in starts]
    for start, stop, part, _ in results:
        for W, w in zip(net.weights, part.weights):
            W[start:stop] = w
        if net.biases is not None:
            for B_, b in zip(net.biases, part.biases):
                B_[start:stop] = b
    return merge_outcomes([r[3] for r in results])


def _slice(net, start, stop):
    return MLP([w[start:stop].copy() for w in net.weights],
               None if net.biases is None else [b[start:stop].copy() for b in net.biases],
               net.activations)


def _data_orders(rngs, B, epochs):
    """(P, epochs, B) permutations, each member's from its own generator."""
    keys = np.stack([r.random((epochs, B)) for r in rngs])
    return keys.argsort(axis=-1, kind="stable")


def _train_chunk(net, X, Y, s, rngs, threshold):
    P, B = net.population, X.shape[0]
    active = np.ones(P, dtype=bool)
    state = {"fit_epoch": np.full(P, -1), "diverged": np.zeros(P, bool),
             "converged": np.zeros(P, bool)}
    velocity = None
    curve = []
    full_batch = s.batch_size == 0 or s.batch_size >= B
    step_batch = B if full_batch else s.batch_size
    grad_norm_init = None
    orders = None
    grid = _curve_grid(s.max_epochs, s.record_every)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(s.max_epochs + 1):
            if full_batch or grad_norm_init is None:
                loss, wg, bg = net.loss_and_gradients(X, Y, s.loss)
            else:
                loss = net.loss(X, Y, s.loss)
            if grad_norm_init is None:
                grad_norm_init = _layer_norms(wg)
            _update_state(net, Y, loss, epoch, active, state, s, threshold)
            if epoch == s.max_epochs or not active.any():
                # Frozen members no longer move: their loss holds for the rest of the grid.
                curve += [loss.copy()] * (len(grid) - len(curve))
                break
            if epoch in grid:
                curve.append(loss.copy())
            lr = SCHEDULES[s.schedule](s.lr, epoch, s.tau, s.gamma, s.step_every)
            scale = lr * active
            if full_batch:
                velocity = _apply(net, wg, bg, scale, active, s.momentum, velocity)
                continue
            if epoch % ORDER_BLOCK == 0:
                orders = _data_orders(rngs, B, ORDER_BLOCK)
            order = orders[:, epoch % ORDER_BLOCK]
            for i in range(0, B, step_batch):
                idx = order[:, i:i + step_batch]
                _, wgb, bgb = net.loss_and_gradients(X[idx], Y[idx], s.loss)
                velocity = _apply(net, wgb, bgb, scale, active, s.momentum, velocity)
        grad_norm_final = _layer_norms(net.loss_and_gradients(X, Y, s.loss)[1])
    final = evaluate(net, X, Y, s.loss, threshold)
    return TrainOutcome(final_loss=final["loss"], max_error=final["max_error"], accuracy=final["accuracy"],
                        fitted=final["fitted"], fit_epoch=state["fit_epoch"],
                        diverged=state["diverged"], converged=state["converged"],
                        curve_epochs=np.array(sorted(grid)), curve=np.array(curve),
                        grad_norm_init=grad_norm_init, grad_norm_final=grad_norm_final)


def _curve_grid(max_epochs, every):
    """Epochs at which the loss curve is recorded: 0, every, 2·every, …, and the last."""
    return set(range(0, max_epochs + 1, max(1, every))) | {max_epochs}


def _update_state(net, Y, loss, epoch, active, state, s, threshold):
    """Freeze members that diverged, fit the truth table exactly, or reached ``tol``."""
    bad = active & ~np.isfinite(loss)
    state["diverged"] |= bad
    active &= ~bad
    if threshold is not None:
        fits = _exact_fit(net.layer_outputs[-1], Y, threshold)
        new = active & fits & (state["fit_epoch"] < 0)
        state["fit_epoch"][new] = epoch
        if s.stop_on_fit:
            active &= ~fits
    if s.tol > 0:
        done = active & (loss <= s.tol)
        state["converged"] |= done
        active &= ~done


def _exact_fit(output, Y, threshold):
    """(P,) True where every output lands on the right side of ``threshold``."""
    return ((output > threshold) == (Y > threshold)).all(axis=(1, 2))


def _layer_norms(grads):
    """Frobenius norm per layer and member: (L, P)."""
    return np.stack([np.sqrt((g * g).sum(axis=(1, 2))) for g in grads])


def _apply(net, wg, bg, scale, active, momentum, velocity):
    """One SGD (or momentum) step; ``scale`` (P,) is zero for frozen members."""
    grads = wg + (bg if bg is not None else [])
    params = net.weights + (net.biases if net.biases is not None else [])
    if momentum == 0:
        for p, g in zip(params, grads):
            p -= _expand(scale, g) * g
        return None
    if velocity is None:
        velocity = [np.zeros_like(p) for p in params]
    keep = active.astype(params[0].dtype)
    for p, g, v in zip(params, grads, velocity):
        v *= momentum * _expand(keep, v)
        v -= _expand(scale, g) * g
        p += v
    return velocity


def _expand(vector, like):
    return vector.reshape((-1,) + (1,) * (like.ndim - 1)).astype(like.dtype)
