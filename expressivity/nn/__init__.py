"""NumPy core: activations, losses, initialisers and the population ``MLP``."""
from expressivity.nn.activations import ACTIVATIONS, DERIVATIVES, TRAINABLE
from expressivity.nn.init import INITIALISERS
from expressivity.nn.losses import LOSSES, LOSS_DERIVATIVES
from expressivity.nn.mlp import MLP

__all__ = ["ACTIVATIONS", "DERIVATIVES", "TRAINABLE", "INITIALISERS", "LOSSES",
           "LOSS_DERIVATIVES", "MLP"]
