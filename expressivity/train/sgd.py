"""Stochastic gradient descent over a whole population of networks at once.

Members never interact: each has its own weights, its own data order (from
its own generator) and its own stopping state, so training P members together
gives the same numbers as training each alone. The population is cut into
chunks that are trained one after another (or on a few threads that share
the chunks) because cache-sized batches run faster than one giant batch
(docs/design.md, speed). A chunk trains in ``Folded`` (full batch and minibatch:
biases folded into batched matmuls) or ``PerExample`` (batch size 1: members
innermost); ``nn.MLP`` stays the readable reference that tests compare them with.
"""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from expressivity.nn import MLP
from expressivity.train.chunk import train_chunk
from expressivity.train.folded import BLOCK
from expressivity.train.outcome import merge_outcomes

# Members per chunk when ``chunk_size`` is 0 (auto). Full batch and minibatch
# passes run in blocks of 32 members (train.folded.BLOCK: each layer's buffers
# stay near the cache) whatever the chunk; the chunk's own bookkeeping (stopping
# rules, curves) costs the same for 32 members as for 128, so chunks hold up to
# FULL_BATCH_CHUNK members, but no more than an even share per thread.
# Per-example steps are a few dozen NumPy calls whatever the chunk, so the
# chunk must be large for that overhead to vanish: one chunk per thread, up to
# PER_EXAMPLE_CHUNK members.
FULL_BATCH_CHUNK = 128
PER_EXAMPLE_CHUNK = 512


@dataclass
class SGDSettings:
    """How to train. ``batch_size=0`` means full batch; 1 is the essay's per-example SGD.

    ``chunk_size=0`` picks the members per chunk automatically (see
    ``chunk_size_for``); ``threads`` threads share the chunks. Neither changes
    any number, only how fast they come. ``backend`` is ``numpy`` or ``torch``
    (``train.torch_kernel``: a CUDA device when present; numbers agree with
    NumPy's to ``torch_kernel.TOLERANCE``).
    """
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
    chunk_size: int = 0
    threads: int = 1
    backend: str = "numpy"
    extra: dict = field(default_factory=dict)


BACKENDS = ("numpy", "torch")


def check_backend(settings, rows):
    """One clear error, before any work, for a backend that is unknown or cannot run here."""
    backend = settings.backend
    if backend not in BACKENDS:
        raise ValueError(f"trainer.backend={backend!r} is not known; allowed: {', '.join(BACKENDS)}")
    if backend != "torch":
        return
    if settings.batch_size == 1 and rows > 1:
        raise ValueError("trainer.backend='torch' runs full batch and minibatch only; with "
                         "trainer.batch_size=1 allowed: trainer.backend=numpy")
    try:
        import torch  # noqa: F401
    except ImportError:
        raise ValueError("trainer.backend='torch' but torch is not installed; allowed: numpy "
                         "(or pip install torch)") from None


def chunk_size_for(settings, population, rows):
    """Members per chunk: ``settings.chunk_size``, or the automatic choice when it is 0."""
    if settings.chunk_size > 0:
        return settings.chunk_size
    share = -(-population // max(1, settings.threads))
    if settings.batch_size == 1 and rows > 1:
        return max(1, min(PER_EXAMPLE_CHUNK, share))
    return max(BLOCK, min(FULL_BATCH_CHUNK, share))


def train(net, X, Y, settings, rngs=None, threshold=None, progress=None, monitor=None):
    """Train ``net`` in place on (X (B, n_in), Y (B, n_out)); return a ``TrainOutcome``.

    ``rngs`` holds one generator per member for its data order (needed unless
    full batch). ``threshold`` makes exact fit of a boolean truth table a
    stopping rule (see ``evaluate``). ``progress``, if given, has a method
    ``chunk(start, members, epoch, fitted, finished)`` called as each chunk of members
    trains (from several threads when ``settings.threads > 1``); it changes no number.
    ``monitor(start, epoch, loss, live)``, if given, is a stopping rule of the caller's:
    called every epoch for the chunk of members from ``start`` on (``train_chunk``), it
    returns which of them to freeze (None: none).
    """
    P = net.population
    check_backend(settings, X.shape[0])
    if settings.batch_size and (rngs is None or len(rngs) != P):
        raise ValueError("train: minibatch and per-example SGD need one generator per member")
    X = np.asarray(X, dtype=net.weights[0].dtype)
    Y = np.asarray(Y, dtype=net.weights[0].dtype)
    size = chunk_size_for(settings, P, X.shape[0])
    starts = list(range(0, P, size))

    def run(start):
        stop = min(start + size, P)
        part = _slice(net, start, stop)
        report = None if progress is None else \
            (lambda *state: progress.chunk(start, stop - start, *state))
        watch = None if monitor is None else (lambda *state: monitor(start, *state))
        outcome = train_chunk(part, X, Y, settings, None if rngs is None else rngs[start:stop],
                              threshold, report, watch)
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
