"""How many BLAS threads a job may use, so parallel jobs do not oversubscribe the cores.

A job trains with small matmuls; its speed comes from batching members, and
parallelism comes from ``trainer.threads`` (threads sharing chunks) or from a
launcher running several jobs at once. If BLAS also started one thread per
core in each of those, a 2-core machine would juggle 4 or more busy threads.
So BLAS gets one thread whenever something else already uses the cores:

- ``trainer.threads > 1``: the trainer's own threads share the chunks;
- a launcher that runs several jobs on one machine (joblib, submitit_local,
  ray): each job gets one core's worth.

Otherwise (the basic launcher, or one SLURM job per allocation) BLAS keeps
what the environment gives it (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``).
"""
from contextlib import contextmanager, nullcontext

from threadpoolctl import threadpool_info, threadpool_limits

# Hydra launcher choices (``hydra/launcher=…``) that put several jobs on one machine.
SHARED_MACHINE_LAUNCHERS = ("joblib", "submitit_local", "ray", "ray_cluster")


def blas_thread_limit(trainer_threads, launcher):
    """1 when the cores are already spoken for, else None (leave BLAS alone)."""
    if trainer_threads > 1 or launcher in SHARED_MACHINE_LAUNCHERS:
        return 1
    return None


def blas_threads():
    """The largest thread count among the loaded BLAS libraries (1 if none is found)."""
    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(counts, default=1)


@contextmanager
def limited_blas(limit):
    """Run the body with BLAS limited to ``limit`` threads (None: no change)."""
    with threadpool_limits(limits=limit, user_api="blas") if limit else nullcontext():
        yield
