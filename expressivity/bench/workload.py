"""The benchmark's work and how to count it: data, shapes and FLOPs per member-epoch."""
from dataclasses import dataclass

import numpy as np

from expressivity.tasks import make_task


@dataclass(frozen=True)
class Work:
    """One training job to time: n-bit parity (or, with ``task="product"``, the product of n
    inputs on ``points`` uniform samples), ``depth`` hidden layers of ``width``."""
    n: int = 8
    width: int = 16
    depth: int = 2
    activation: str = "sigmoid"
    dtype: str = "float64"
    batch: int = 0              # 0 = full batch, 1 = per-example SGD
    lr: float = 0.05            # small, so no implementation diverges (speed does not depend on it)
    task: str = "parity"
    points: int = 256           # samples of a continuous target (product)

    @property
    def sizes(self):
        return (self.n, *([self.width] * self.depth), 1)

    @property
    def rows(self):
        return 2 ** self.n if self.task == "parity" else self.points

    def data(self):
        """X (rows, n) and Y (rows, 1) in this work's dtype: parity's 2ⁿ rows, or the samples."""
        task = (make_task("parity", n=self.n) if self.task == "parity" else
                make_task(self.task, n=self.n, points=self.points, sampling="uniform"))
        return task.X.astype(self.dtype), task.Y.astype(self.dtype)


def matmul_flops(sizes, rows):
    """FLOPs of the matrix products in one full-batch epoch of one member (with biases).

    Forward ``[a; 1] @ W`` per layer, ``∂L/∂W = [a; 1]ᵀ δ`` per layer, and
    ``δ Wᵀ`` for every layer but the first: 2·m·k·n each. Elementwise work
    (activations, their derivatives, the update) is not counted.
    """
    flops = 0
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        flops += 2 * 2 * rows * (fan_in + 1) * fan_out       # forward and weight gradient
        if l > 0:
            flops += 2 * rows * fan_out * fan_in             # error sent down
    return flops


def per_example_flops(sizes, rows):
    """The same count for an epoch of per-example steps (rows steps of one example)."""
    return matmul_flops(sizes, 1) * rows


def row(section, implementation, work, members, epochs, seconds, restarts=None, note=""):
    member_epochs = members * epochs
    flops = (matmul_flops(work.sizes, work.rows) if work.batch == 0
             else per_example_flops(work.sizes, work.rows))
    # A skipped baseline (e.g. torch not installed) has no members: its time is unknown, not an error.
    us = 1e6 * seconds / member_epochs if member_epochs else np.nan
    return {"section": section, "implementation": implementation, "activation": work.activation,
            "dtype": work.dtype, "batch": "full" if work.batch == 0 else str(work.batch),
            "members": members, "n": work.n, "width": work.width, "epochs": epochs,
            "restarts_timed": restarts if restarts is not None else members,
            "seconds": seconds, "us_per_member_epoch": us,
            "gflops": flops / us / 1e3 if seconds > 0 else np.nan, "note": note}
