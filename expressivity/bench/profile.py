"""Where a full-batch member-epoch goes: the trainer's passes timed one kind at a time.

One block of members is set up as ``train.folded.Folded`` sets it up, and each
kind of pass (forward matmuls, activations, loss and fit check, activation
derivatives, gradient matmuls, error sent down, parameter update) is timed
over its calls of one epoch, on one thread. ``rest`` is the whole epoch
minus their sum: Python between the passes, slicing, bookkeeping.
"""
import time

import numpy as np

from ..nn import MLP
from ..train.folded import BLOCK, Folded, block_for, with_ones
from ..train.inplace import FORWARD, FROM_HALF, TIMES_DERIVATIVE


def _per_member_us(fn, members, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return 1e6 * best / members


def profile_epoch(work, repeats=20):
    """[(part, µs per member-epoch)] for one block of the trainer on ``work`` (full batch)."""
    X, Y = work.data()
    acts = (work.activation,) * work.depth + ("identity",)
    C = block_for(BLOCK, work.rows, sum(work.sizes[1:]), np.dtype(work.dtype).itemsize)
    net = MLP.init(work.sizes, acts, population=C, rng=np.random.default_rng(0),
                   dtype=np.dtype(work.dtype))
    k = Folded(net.weights, net.biases, net.activations)
    x_t, y_t = np.ascontiguousarray(with_ones(X).T), np.ascontiguousarray(Y.T)
    scale, keep = np.full(C, work.lr), np.ones(C, bool)
    k.run(x_t, y_t, "squared", True, 0.5)
    buf = k._buffers_for(work.rows, C, C)
    a = [x_t] + buf["a"][1:]
    L = len(k.theta)
    outs = [a[l + 1][:, :k.fan_out[l], :] if l < L - 1 else buf["out"] for l in range(L)]

    def each_layer(op):
        return lambda: [op(l) for l in range(L)]

    parts = {
        "matmul: forward": each_layer(lambda l: np.matmul(k.theta[l], a[l], out=buf["z"][l])),
        "activations": each_layer(lambda l: (FROM_HALF if acts[l] in FROM_HALF else FORWARD)[acts[l]](
            buf["z"][l], outs[l], buf["work"][l])),
        "loss and fit check": lambda: (((buf["out"] - y_t) ** 2).sum(1).mean(-1),
                                       ((buf["out"] > 0.5) == (y_t > 0.5)).all(axis=(1, 2))),
        "activation derivatives": each_layer(lambda l: TIMES_DERIVATIVE[acts[l]](
            buf["delta"][l], buf["z"][l], outs[l], buf["work"][l])),
        "matmul: weight gradients": each_layer(lambda l: np.matmul(
            buf["delta"][l], np.swapaxes(a[l], -1, -2), out=k.grads[l])),
        "error sent down": each_layer(lambda l: l and (np.multiply if k.fan_out[l] == 1 else np.matmul)(
            np.swapaxes(k.theta[l][:, :, :k.fan_in[l]], 1, 2), buf["delta"][l], out=buf["delta"][l - 1])),
        "parameter update": lambda: k.step(scale * 0, keep, 0.0),
    }
    timed = [(name, _per_member_us(fn, C, repeats)) for name, fn in parts.items()]
    whole = _per_member_us(lambda: (k.run(x_t, y_t, "squared", True, 0.5), k.step(scale * 0, keep, 0.0)),
                           C, repeats)
    timed.append(("rest (Python, slicing, bookkeeping)", max(0.0, whole - sum(t for _, t in timed))))
    timed.append(("whole epoch, one thread", whole))
    return timed
