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

Two BLAS libraries can train a job: NumPy's, and the one the compiled
accelerator calls for its matmuls (Numba binds ``np.dot`` to SciPy's
``cython_blas``, which loads SciPy's own OpenBLAS the first time a kernel
compiles). ``threadpoolctl`` can only limit a library that is already loaded,
so ``limited_blas`` loads both before it limits, and sets the thread variables
for the block as well, so that a library loaded later still starts limited.
"""
import importlib
import importlib.util
import os
from contextlib import contextmanager

from threadpoolctl import threadpool_info, threadpool_limits

# Hydra launcher choices (``hydra/launcher=…``) that put several jobs on one machine.
SHARED_MACHINE_LAUNCHERS = ("joblib", "submitit_local", "ray", "ray_cluster")

# Read by OpenBLAS, OpenMP and MKL when they load: set inside a limited block.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def blas_thread_limit(trainer_threads, launcher):
    """1 when the cores are already spoken for, else None (leave BLAS alone)."""
    if trainer_threads > 1 or launcher in SHARED_MACHINE_LAUNCHERS:
        return 1
    return None


def blas_threads():
    """The largest thread count among the loaded BLAS libraries (1 if none is found)."""
    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(counts, default=1)


def load_training_blas():
    """Load every BLAS library the training kernels can call, so a limit reaches it.

    NumPy's is loaded with NumPy. With the compiled accelerator installed, its
    matmuls go through SciPy's ``cython_blas`` (loaded lazily by Numba when a
    kernel first compiles): loaded here instead. Returns the module names loaded.
    """
    loaded = ["numpy"]
    if importlib.util.find_spec("numba") is not None and importlib.util.find_spec("scipy"):
        importlib.import_module("scipy.linalg.cython_blas")
        loaded.append("scipy.linalg.cython_blas")
    return loaded


@contextmanager
def limited_blas(limit):
    """Run the body with every training BLAS limited to ``limit`` threads (None: no change).

    The limit covers the libraries loaded now (``threadpool_limits``, after
    ``load_training_blas``) and any loaded inside the block (the thread
    variables, restored on exit).
    """
    if not limit:
        yield
        return
    load_training_blas()
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update({name: str(limit) for name in THREAD_VARIABLES})
    try:
        with threadpool_limits(limits=limit, user_api="blas"):
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
