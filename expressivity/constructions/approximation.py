"""approximation's sawtooth construction as a job: deep tent compositions against one hidden layer."""
import numpy as np

from expressivity.theory.pieces import linear_pieces
from expressivity.theory.sawtooth import sawtooth_deep, sawtooth_shallow, shallow_units_needed


def sawtooth_rows(max_L):
    """Per L = 1..``max_L``: units and linear pieces (counted from breakpoints on [0, 1]) of the
    deep tent composition and of the shallow net built through its corners, the fewest units one
    hidden layer needs for 2^L pieces, and sup |deep − shallow| on 2^14 + 1 grid points."""
    rows = []
    x = np.linspace(0, 1, 2 ** 14 + 1)[:, None]
    for L in range(1, max_L + 1):
        deep, shallow = sawtooth_deep(L), sawtooth_shallow(L)
        rows.append({"L": L, "deep_units": int(sum(deep.sizes[1:-1])),
                     "deep_pieces": int(linear_pieces(deep, 0.0, 1.0)[1]),
                     "shallow_units_built": int(sum(shallow.sizes[1:-1])),
                     "shallow_pieces": int(linear_pieces(shallow, 0.0, 1.0)[1]),
                     "shallow_units_needed": int(shallow_units_needed(2 ** L)),
                     "difference": float(np.abs(deep.forward(x) - shallow.forward(x)).max())})
    return rows
