"""Timing this project's trainer on a ``Work``."""
import time

import numpy as np

from ..nn import MLP
from ..parallel import limited_blas
from ..runner import member_generators
from ..train import SGDSettings, train


def time_ours(work, members, epochs, threads):
    """Seconds for ``epochs`` epochs of ``members`` members (no early stop), and chunk size used."""
    X, Y = work.data()
    rngs = member_generators(0, members)
    hidden = [work.activation] * work.depth
    net = MLP.init(work.sizes, hidden + ["identity"], population=members, rng=rngs,
                   dtype=np.dtype(work.dtype), init="he" if work.activation == "relu" else "xavier")
    settings = SGDSettings(lr=work.lr, batch_size=work.batch, max_epochs=epochs, stop_on_fit=False,
                           record_every=max(1, epochs), threads=threads)
    with limited_blas(1):   # our threads share the chunks; BLAS stays on one thread each
        start = time.perf_counter()
        train(net, X, Y, settings, rngs=rngs)
        return time.perf_counter() - start
