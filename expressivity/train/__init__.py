"""SGD over a population: per-example, minibatch and full batch, with schedules."""
from .outcome import TrainOutcome, evaluate
from .schedules import SCHEDULES
from .sgd import SGDSettings, train

__all__ = ["SCHEDULES", "SGDSettings", "TrainOutcome", "evaluate", "train"]
