"""Tasks: boolean truth tables, continuous targets and samples for a constant.

``make_task`` is the one entry point the runner uses.
"""
from dataclasses import dataclass

import numpy as np

from expressivity.tasks.boolean import BOOLEAN_FUNCTIONS, MAX_BITS, all_inputs, truth_table
from expressivity.tasks.continuous import CONTINUOUS_TARGETS, constant_data, sample

# ``teacher_student`` is trained on its exact population loss (theory.teacher_student,
# run by expressivity.job.teacher_job), not on samples: its X holds the teacher's unit
# weight vectors (n, n) and Y its output weights (n, 1).
TASK_NAMES = tuple(BOOLEAN_FUNCTIONS) + tuple(CONTINUOUS_TARGETS) + ("constant", "teacher_student")


@dataclass(frozen=True)
class Task:
    """Inputs ``X`` (B, n_in) and targets ``Y`` (B, n_out) with how to judge a fit.

    ``threshold`` is the output value that separates the two classes of a
    boolean task (0.5 for 0/1, 0 for ±1); it is None for continuous tasks,
    which have no exact fit.
    """
    name: str
    X: np.ndarray
    Y: np.ndarray
    threshold: float | None
    natural_output: str  # the output activation whose range matches the targets

    @property
    def boolean(self):
        return self.threshold is not None


def make_task(name, n=2, encoding="01", seed=0, terms=3, points=256, sampling="grid",
              L=3, distribution="lognormal", outlier_fraction=0.1):
    """Build a task from config values; ``seed`` drives every random choice."""
    rng = np.random.default_rng(seed)
    if name in BOOLEAN_FUNCTIONS:
        X, Y = truth_table(name, n, encoding=encoding, rng=rng, terms=terms)
        if encoding == "01":
            return Task(name, X, Y, 0.5, "sigmoid")
        return Task(name, X, Y, 0.0, "tanh")
    if name in CONTINUOUS_TARGETS:
        X, Y = sample(name, n=n, points=points, sampling=sampling, rng=rng, L=L)
        return Task(name, X, Y, None, "identity")
    if name == "constant":
        X, Y = constant_data(distribution, points, outlier_fraction, rng=rng)
        return Task(name, X, Y, None, "identity")
    if name == "teacher_student":
        return Task(name, np.eye(n), np.ones((n, 1)), None, "identity")
    raise ValueError(f"task.name={name!r} is not known; allowed: {', '.join(sorted(TASK_NAMES))}")


__all__ = ["Task", "make_task", "TASK_NAMES", "MAX_BITS", "BOOLEAN_FUNCTIONS",
           "CONTINUOUS_TARGETS", "all_inputs", "truth_table", "sample", "constant_data"]
