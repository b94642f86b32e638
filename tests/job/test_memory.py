"""The memory estimate that guards the budget is an upper bound, and not a loose one."""
import tracemalloc

import pytest

from expressivity.job.memory import estimate_memory, task_shape
from expressivity.job.runner import run_job
from expressivity.tasks import make_task
from tests.support.jobs import compose_job


@pytest.mark.parametrize("overrides", [
    ["task.n=10", "model.width=64", "trainer.restarts=64", "trainer.max_epochs=2"],   # layer values
    ["task.n=8", "model.width=16", "trainer.restarts=300", "trainer.max_epochs=1",
     "trainer.batch_size=1", "trainer.momentum=0.5"],                                # orders, copies
    ["task.n=3", "model.width=32", "trainer.restarts=4000", "trainer.max_epochs=2"],  # parameters
])
def test_the_estimate_bounds_the_traced_peak_within_a_factor(tmp_path, overrides):
    cfg = compose_job(*overrides, "cache_dir=null")
    parts, _ = estimate_memory(cfg)
    # Once untraced first: the compiled kernels' first call compiles them (Numba's compiler
    # allocates far more than the job), and whether an earlier test did so must not matter.
    run_job(cfg, tmp_path / "warm-up")
    tracemalloc.start()
    try:
        run_job(cfg, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 0.6 * parts["total"] <= peak <= parts["total"]


@pytest.mark.parametrize("overrides", [
    ["task=parity", "task.n=5"], ["task=product", "task.n=3", "task.points=100"],
    ["task=product", "task.n=2", "task.sampling=uniform", "task.points=77"],
    ["task=sawtooth", "task.points=50"], ["task=constant", "task.points=40"],
])
def test_task_shape_matches_the_task_it_describes(overrides):
    cfg = compose_job(*overrides)
    task = make_task(**cfg.task)
    assert task_shape(cfg.task) == (task.X.shape[0], task.X.shape[1], task.Y.shape[1])
