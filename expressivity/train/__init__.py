"""SGD over a population: per-example, minibatch and full batch, with schedules."""
from expressivity.train.outcome import TrainOutcome, evaluate
from expressivity.train.schedules import SCHEDULES
from expressivity.train.sgd import SGDSettings, train

__all__ = ["SCHEDULES", "SGDSettings", "TrainOutcome", "evaluate", "train"]
