"""The plain population SGD loop over ``nn.MLP``, kept as an oracle for the fast trainer.

This is the trainer as first written (one ``loss_and_gradients`` call per
step, no chunks, no folded biases, no buffers); ``expressivity.train`` must
give the same numbers to rounding.
"""
import numpy as np

from expressivity.train.chunk import ORDER_BLOCK, _data_orders
from expressivity.train.outcome import correct_rows
from expressivity.train.schedules import SCHEDULES


def reference_train(net, X, Y, s, rngs=None, threshold=None):
    """Train ``net`` in place; (final loss (P,), curve (T, P), fit_epoch (P,), grad_norm_init (L, P))."""
    P, B = net.population, X.shape[0]
    active = np.ones(P, dtype=bool)
    fit_epoch = np.full(P, -1)
    velocity, curve, norms, orders = None, [], None, None
    full_batch = s.batch_size == 0 or s.batch_size >= B
    grid = set(range(0, s.max_epochs + 1, s.record_every)) | {s.max_epochs}
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(s.max_epochs + 1):
            loss, wg, bg = net.loss_and_gradients(X, Y, s.loss)
            if norms is None:
                norms = np.stack([np.sqrt((g * g).sum(axis=(1, 2))) for g in wg])
            active &= np.isfinite(loss)
            if threshold is not None:
                fits = correct_rows(net.layer_outputs[-1], Y > threshold, threshold).all(axis=(1, 2))
                fit_epoch[active & fits & (fit_epoch < 0)] = epoch
                if s.stop_on_fit:
                    active &= ~fits
            if epoch == s.max_epochs or not active.any():
                curve += [loss.copy()] * (len(grid) - len(curve))
                break
            if epoch in grid:
                curve.append(loss.copy())
            scale = SCHEDULES[s.schedule](s.lr, epoch, s.tau, s.gamma, s.step_every) * active
            if full_batch:
                velocity = _apply(net, wg, bg, scale, active, s.momentum, velocity)
                continue
            if epoch % ORDER_BLOCK == 0:
                orders = _data_orders(rngs, B, ORDER_BLOCK)
            order = orders[:, epoch % ORDER_BLOCK]
            for i in range(0, B, s.batch_size):
                idx = order[:, i:i + s.batch_size]
                _, wgb, bgb = net.loss_and_gradients(X[idx], Y[idx], s.loss)
                velocity = _apply(net, wgb, bgb, scale, active, s.momentum, velocity)
    return net.loss(X, Y, s.loss), np.array(curve), fit_epoch, norms


def _apply(net, wg, bg, scale, active, momentum, velocity):
    grads = wg + (bg if bg is not None else [])
    params = net.weights + (net.biases if net.biases is not None else [])
    expand = lambda v, like: v.reshape((-1,) + (1,) * (like.ndim - 1)).astype(like.dtype)
    if momentum == 0:
        for p, g in zip(params, grads):
            p -= expand(scale, g) * g
        return None
    if velocity is None:
        velocity = [np.zeros_like(p) for p in params]
    keep = active.astype(params[0].dtype)
    for p, g, v in zip(params, grads, velocity):
        v *= momentum * expand(keep, v)
        v -= expand(scale, g) * g
        p += v
    return velocity
