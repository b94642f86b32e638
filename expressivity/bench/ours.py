"""Timing this project's trainer on a ``Work``."""
import os
import time
from contextlib import contextmanager

import numpy as np

from expressivity.nn import MLP
from expressivity.job.parallel import limited_blas
from expressivity.job.runner import member_generators
from expressivity.train import SGDSettings, train
from expressivity.train.accelerator import VARIABLE


@contextmanager
def kernels(accelerator):
    """Train on ``accelerator``'s kernels ("numpy", "numba") inside the block; None: as set."""
    before = os.environ.get(VARIABLE)
    if accelerator is not None:
        os.environ[VARIABLE] = accelerator
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(VARIABLE, None)
        else:
            os.environ[VARIABLE] = before


def cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def time_ours(work, members, epochs, threads, accelerator=None, backend="numpy"):
    """Seconds for ``epochs`` epochs of ``members`` members (no early stop).

    ``accelerator`` forces the NumPy or the compiled kernels (None: as the environment says);
    ``backend="torch"`` trains on PyTorch (a CUDA device when present).
    """
    X, Y = work.data()
    rngs = member_generators(0, members)
    hidden = [work.activation] * work.depth
    net = MLP.init(work.sizes, hidden + ["identity"], population=members, rng=rngs,
                   dtype=np.dtype(work.dtype), init="he" if work.activation == "relu" else "xavier")
    settings = SGDSettings(lr=work.lr, batch_size=work.batch, max_epochs=epochs, stop_on_fit=False,
                           record_every=max(1, epochs), threads=threads, backend=backend)
    with limited_blas(1), kernels(accelerator):   # our threads share the chunks; BLAS: 1 each
        if accelerator != "numpy":      # compile (or load from cache) outside the timing
            train(net.member(0), X, Y, SGDSettings(lr=work.lr, batch_size=work.batch, max_epochs=1,
                                                   backend=backend), rngs=member_generators(1, 1))
        start = time.perf_counter()
        train(net, X, Y, settings, rngs=rngs)
        return time.perf_counter() - start
