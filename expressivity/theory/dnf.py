"""Any truth table as one hidden layer of step units (the DNF construction).

A hidden unit that fires on exactly one input ``x*`` has weights ``2x* − 1``
and bias ``½ − |x*|``: at ``x = x*`` its sum is ½, and any other input loses
at least 1 (a missing 1 or an extra 1), so the sum is ≤ −½ there.

Output rule. With one such unit per *true* input, the output is their OR,
``step(Σh − ½)``. When the function has fewer false inputs than true ones,
use one unit per *false* input instead and output their NOR, ``step(½ − Σh)``.
So a function with T true inputs needs ``min(T, 2ⁿ − T)`` units, at most
2ⁿ⁻¹ (parity attains it); a constant function needs none.

Members with fewer units are padded with inert units (weights 0, bias −1,
output weight 0) so that a whole population shares one width and runs as one
batched forward pass.
"""
import numpy as np

from expressivity.nn import MLP
from expressivity.tasks import all_inputs


def dnf_width(tables):
    """Hidden units the construction uses per function: min(#true, #false), (P,) int."""
    tables = np.asarray(tables)
    true = tables.sum(axis=1)
    return np.minimum(true, tables.shape[1] - true)


def dnf_network(tables, width=None, dtype=np.float64):
    """One-hidden-layer step network computing each truth table exactly.

    Parameters
    ----------
    tables : (P, 2ⁿ) array of 0/1, row order of ``all_inputs(n)``
    width : common hidden width (≥ the widest member's need); default the widest need, at least 1

    Returns
    -------
    MLP with sizes (n, width, 1), activations ("step", "step"), population P
    """
    tables = np.asarray(tables)
    P, rows = tables.shape
    n = int(rows).bit_length() - 1
    if rows != 2 ** n or not np.isin(tables, (0, 1)).all():
        raise ValueError(f"tables has shape {tables.shape}; allowed: (P, 2^n) of 0/1 values")
    need = dnf_width(tables)
    width = max(int(need.max()), 1) if width is None else int(width)
    if width < need.max():
        raise ValueError(f"width={width} is too narrow; allowed: >= {int(need.max())} "
                         f"(the widest member's min(#true, #false))")
    bits = all_inputs(n).astype(dtype)                       # (2ⁿ, n)
    W1 = np.zeros((P, n, width), dtype)
    b1 = np.full((P, width), -1.0, dtype)                    # inert: never fires on 0/1 inputs
    W2 = np.zeros((P, width, 1), dtype)
    # Detect the true inputs unless the false ones are fewer (then output NOR).
    use_false = (tables.sum(axis=1) > rows - tables.sum(axis=1))
    detect = np.where(use_false[:, None], tables == 0, tables == 1)   # (P, 2ⁿ)
    member, row = np.nonzero(detect)
    slot = np.cumsum(detect, axis=1)[member, row] - 1                 # unit index within member
    x_star = bits[row]                                                 # (K, n)
    W1[member, :, slot] = 2 * x_star - 1
    b1[member, slot] = 0.5 - x_star.sum(axis=1)
    W2[member, slot, 0] = np.where(use_false[member], -1.0, 1.0)
    b2 = np.where(use_false, 0.5, -0.5)[:, None].astype(dtype)
    return MLP([W1, W2], [b1, b2], ["step", "step"])
