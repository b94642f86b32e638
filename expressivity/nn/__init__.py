"""NumPy core: activations, losses, initialisers and the population ``MLP``."""
from .activations import ACTIVATIONS, DERIVATIVES, TRAINABLE
from .init import INITIALISERS
from .losses import LOSSES, LOSS_DERIVATIVES
from .mlp import MLP

__all__ = ["ACTIVATIONS", "DERIVATIVES", "TRAINABLE", "INITIALISERS", "LOSSES",
           "LOSS_DERIVATIVES", "MLP"]
