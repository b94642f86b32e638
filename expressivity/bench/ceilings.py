"""What the machine's NumPy can do: a large GEMM, and the trainer's own small batched matmuls.

The second is the ceiling that matters: a trainer that did nothing but its
matrix products, in the same blocks of members and on the same threads,
would run at this rate. Comparing the trainer's achieved GFLOP/s with it
says how much time goes to everything else (activations, Python).
"""
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..parallel import limited_blas
from ..train.folded import BLOCK


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


def trainer_matmuls(sizes, rows, members, dtype, block=BLOCK):
    """The matmul calls of one full-batch epoch, laid out as the trainer lays them out.

    Returns a list of (a, b, out) per block of ``block`` members, in the
    trainer's transposed, bias-folded layout (``train.folded``). The error
    sent down through a one-unit layer is an outer product, which the trainer
    does elementwise, so it is left out here too.
    """
    rng = np.random.default_rng(0)
    calls = []
    x = rng.random((sizes[0] + 1, rows)).astype(dtype)
    for start in range(0, members, block):
        C = min(block, members - start)
        for l, (k, v) in enumerate(zip(sizes[:-1], sizes[1:])):
            theta = rng.random((C, v, k + 1)).astype(dtype)
            a = x if l == 0 else rng.random((C, k + 1, rows)).astype(dtype)
            delta = rng.random((C, v, rows)).astype(dtype)
            calls.append((theta, a, np.empty((C, v, rows), dtype)))                 # forward
            calls.append((delta, np.swapaxes(a, -1, -2), np.empty_like(theta)))     # gradient
            if l > 0 and v > 1:
                calls.append((np.swapaxes(theta[:, :, :k], 1, 2), delta,
                              np.empty((C, k, rows), dtype)))                        # error down
    return calls


def batched_gflops(sizes, rows, members, dtype, threads, flops, repeats=3, block=BLOCK):
    """GFLOP/s of the trainer's matmuls alone over ``members`` members.

    ``flops`` is the matmul FLOPs per member-epoch (``workload.matmul_flops``);
    blocks are shared by ``threads`` threads as the trainer shares chunks.
    ``block=members`` puts every member in one batch instead.
    """
    calls = trainer_matmuls(sizes, rows, members, dtype, block)
    per_block = len(calls) // -(-members // block)
    blocks = [calls[i:i + per_block] for i in range(0, len(calls), per_block)]
    groups = [sum(blocks[i::threads], []) for i in range(min(threads, len(blocks)))]

    def run(group):
        for a, b, out in group:
            np.matmul(a, b, out=out)

    def all_groups():
        if len(groups) == 1:
            run(groups[0])
            return
        with ThreadPoolExecutor(len(groups)) as pool:
            list(pool.map(run, groups))

    with limited_blas(1):
        all_groups()
        seconds = _best_of(all_groups, repeats)
    return flops * members / seconds / 1e9
