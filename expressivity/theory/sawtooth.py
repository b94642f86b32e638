"""Telgarsky's sawtooth: the tent map composed L times, deep and shallow.

The tent map on [0, 1] is ``2 relu(x) − 4 relu(x − ½)``: two ReLU units. Its
output feeds the next layer's two units directly (the read-out 2a − 4b is
folded into their weights), so L tents take L hidden layers of 2 units and
make 2^L linear pieces: each composition doubles the teeth. A network with
one hidden layer needs at least 2^L − 1 units for the same function, since
N units make at most N + 1 pieces.
"""
import numpy as np

from expressivity.nn import MLP
from expressivity.theory.interpolant import relu_interpolant

TENT_UNITS = np.array([[1.0, 1.0]])          # relu(y), relu(y − ½)
TENT_BIAS = np.array([0.0, -0.5])
TENT_READOUT = np.array([[2.0], [-4.0]])     # tent(y) = 2 relu(y) − 4 relu(y − ½)


def sawtooth_deep(L, dtype=np.float64):
    """The L-fold tent map: MLP sizes (1, 2, …, 2, 1) with L ReLU hidden layers, P = 1."""
    _check_L(L)
    weights = [TENT_UNITS] + [TENT_READOUT @ TENT_UNITS] * (L - 1) + [TENT_READOUT]
    biases = [TENT_BIAS] * L + [np.zeros(1)]
    return MLP([w.astype(dtype)[None] for w in weights], [b.astype(dtype)[None] for b in biases],
               ["relu"] * L + ["identity"])


def sawtooth_shallow(L, dtype=np.float64):
    """The same function with one hidden layer: 2^L ReLU units through its 2^L + 1 corners."""
    _check_L(L)
    knots = np.arange(2 ** L + 1) / 2 ** L
    values = (np.arange(2 ** L + 1) % 2).astype(dtype)       # 0, 1, 0, 1, …: the teeth
    return relu_interpolant(knots, values, dtype)


def shallow_units_needed(pieces):
    """Fewest units a one-hidden-layer ReLU net on the line needs for ``pieces`` pieces."""
    return max(int(pieces) - 1, 0)


def _check_L(L):
    if not isinstance(L, (int, np.integer)) or not 1 <= L <= 40:
        raise ValueError(f"L={L!r}; allowed: an integer 1..40 (2^L pieces must stay exact in float64)")
