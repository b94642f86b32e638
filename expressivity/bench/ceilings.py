"""What the machine's NumPy can do: a large GEMM, and the trainer's own small batched matmuls.

The second is the ceiling that matters: a trainer that did nothing but its
matrix products, in the same blocks of members and on the same threads,
would run at this rate. Comparing the trainer's achieved GFLOP/s with it
says how much time goes to everything else (activations, Python).
"""
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from expressivity.job.parallel import limited_blas
from expressivity.train.folded import BLOCK


def _best_of(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def gemm_gflops(size, dtype, threads, repeats=3):
    """GFLOP/s of one (size x size) @ (size x size) product with ``threads`` BLAS threads."""
    rng = np.random.default_rng(0)
    A, B = (rng.random((size, size)).astype(dtype) for _ in range(2))
    out = np.empty((size, size), dtype)
    with limited_blas(threads):
        np.matmul(A, B, out=out)
        seconds = _best_of(lambda: np.matmul(A, B, out=out), repeats)
    return 2 * size ** 3 / seconds / 1e9


def trainer_matmuls(sizes, rows, members, dtype, threads=1, block=BLOCK):
    """The matmul calls of one full-batch epoch, laid out as the trainer lays them out.

    Returns one list of (a, b, out) calls per thread, in the trainer's
    transposed, bias-folded layout (``train.folded``): blocks of ``block``
    members dealt out to the threads; each thread reuses one set of layer
    buffers for all its blocks, while parameters and gradients belong to each
    block. The error sent down through a one-unit layer is an outer product,
    which the trainer does elementwise, so it is left out here.
    """
    rng = np.random.default_rng(0)
    x = rng.random((sizes[0] + 1, rows)).astype(dtype)
    layers = list(enumerate(zip(sizes[:-1], sizes[1:])))
    starts = list(range(0, members, block))
    groups = []
    for t in range(min(threads, len(starts))):
        values = {l: (rng.random((block, k + 1, rows)).astype(dtype),          # [a; 1]
                      rng.random((block, v, rows)).astype(dtype),              # delta
                      np.empty((block, v, rows), dtype), np.empty((block, k, rows), dtype))
                  for l, (k, v) in layers}
        calls = []
        for start in starts[t::threads]:
            C = min(block, members - start)
            for l, (k, v) in layers:
                a, delta, z, below = (buf[:C] for buf in values[l])
                a = x if l == 0 else a
                theta = rng.random((C, v, k + 1)).astype(dtype)
                calls.append((theta, a, z))                                           # forward
                calls.append((delta, np.swapaxes(a, -1, -2), np.empty_like(theta)))   # gradient
                if l > 0 and v > 1:
                    calls.append((np.swapaxes(theta[:, :, :k], 1, 2), delta, below))  # error down
        groups.append(calls)
    return groups


def batched_gflops(sizes, rows, members, dtype, threads, repeats=10, block=BLOCK):
    """GFLOP/s of the trainer's matmuls alone over ``members`` members on ``threads`` threads.

    ``block=members`` puts every member in one batch instead. The best of
    ``repeats`` epochs counts, on threads started once, outside the timing.
    """
    groups = trainer_matmuls(sizes, rows, members, dtype, threads, block)
    flops = sum(2 * a.shape[0] * a.shape[-2] * a.shape[-1] * b.shape[-1]
                for calls in groups for a, b, _ in calls)

    def run(calls):
        for a, b, out in calls:
            np.matmul(a, b, out=out)

    with limited_blas(1), ThreadPoolExecutor(len(groups)) as pool:
        def epoch():
            list(pool.map(run, groups))
        epoch()
        seconds = _best_of(epoch, repeats)
    return flops / seconds / 1e9
