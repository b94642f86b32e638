"""Where a full-batch member-epoch goes: the trainer's passes timed one kind at a time.

One block of members is set up as ``train.folded.Folded`` sets it up, and each
kind of pass (forward matmuls, activations, loss and fit check, activation
derivatives, gradient matmuls, error sent down, parameter update) is timed
over its calls of one epoch, on one thread. ``rest`` is the whole epoch
minus their sum: Python between the passes, slicing, bookkeeping.
"""
import time

import numpy as np

from expressivity.nn import MLP
from expressivity.job.parallel import limited_blas
from expressivity.train.folded import BLOCK, Folded, block_for, with_ones


def _per_member_us(fn, members, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return 1e6 * best / members


def profile_epoch(work, repeats=20):
    """[(part, µs per member-epoch)] for one block of the trainer on ``work`` (full batch).

    BLAS is held to one thread, as the trainer holds it: CPU time would otherwise count
    OpenBLAS's second thread on large products (n = 14 rows) as well.
    """
    with limited_blas(1):
        return _profile(work, repeats)


def _profile(work, repeats):
    X, Y = work.data()
    acts = (work.activation,) * work.depth + ("identity",)
    C = block_for(BLOCK, work.rows, sum(work.sizes[1:]), np.dtype(work.dtype).itemsize)
    net = MLP.init(work.sizes, acts, population=C, rng=np.random.default_rng(0),
                   dtype=np.dtype(work.dtype))
    k = Folded(net.weights, net.biases, net.activations)
    x_t, y_t = np.ascontiguousarray(with_ones(X).T), np.ascontiguousarray(Y.T)
    scale, keep = np.full(C, work.lr), np.ones(C, bool)
    k.run(x_t, y_t, "squared", True, 0.5)
    plan = k._plan(work.rows, C, 0, C)      # the views the trainer's passes use
    inputs = [x_t] + [layer["a_in"] for layer in plan[1:]]
    down = [(layer, below) for layer, below in zip(plan[1:], plan)]

    def each(op, layers=plan):
        return lambda: [op(*item) if isinstance(item, tuple) else op(item) for item in layers]

    parts = {
        "matmul: forward": lambda: [np.matmul(layer["forward_weights"], a, out=layer["z"])
                                    for layer, a in zip(plan, inputs)],
        "activations": each(lambda layer: layer["forward"](layer["z"], layer["out"], layer["work"])),
        "loss and fit check": lambda: (((plan[-1]["out"] - y_t) ** 2).sum(1).mean(-1),
                                       ((plan[-1]["out"] > 0.5) == (y_t > 0.5)).all(axis=(1, 2))),
        "activation derivatives": each(lambda layer: layer["derivative"](
            layer["delta"], layer["z"], layer["out"], layer["work"])),
        "matmul: weight gradients": lambda: [np.matmul(layer["delta"], a.swapaxes(-1, -2),
                                                       out=layer["grad"])
                                             for layer, a in zip(plan, inputs)],
        "error sent down": each(lambda layer, below: layer["down"](
            layer["weights_t"], layer["delta"], out=below["delta"]), down),
        "parameter update": lambda: k.step(scale * 0, keep, 0.0),
    }
    timed = [(name, _per_member_us(fn, C, repeats)) for name, fn in parts.items()]
    whole = _per_member_us(lambda: (k.run(x_t, y_t, "squared", True, 0.5), k.step(scale * 0, keep, 0.0)),
                           C, repeats)
    timed.append(("rest (Python, slicing, bookkeeping)", max(0.0, whole - sum(t for _, t in timed))))
    timed.append(("whole epoch, one thread", whole))
    return timed
