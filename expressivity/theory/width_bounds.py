"""Known widths and bounds for boolean functions, each labelled with the units it holds for.

Counting (Shannon's argument). A net of U threshold units on n bits is fixed by
which threshold function each unit computes, so it computes at most
``T(n)^U · T(U) / U!`` functions with one hidden layer (U unordered hidden
units, one output over their U bits), where T(m) is the number of threshold
functions of m bits (OEIS A000609, known exactly for m <= 9; T(m) <= 2^(m²)
beyond, Zuev/Cover, which still gives a valid bound). If that is below half of
the 2^(2ⁿ) functions, more than half of all n-bit functions need more than U
units. With any number of layers, each unit reads at most max(n, U) bits and a
net is also fixed by how its U units fall into layers (< 2^U ways):
``T(max(n, U))^U · 2^U · T(U)``.
"""
import math

import numpy as np

# log2 of the number of threshold functions of m = 0..9 bits (OEIS A000609).
THRESHOLD_COUNTS = (2, 4, 14, 104, 1882, 94572, 15028134, 8378070864, 17561539552946,
                    144130531453121108)

STEP = "step units, step output"
SIGMOID = "sigmoid units, sigmoid output (thresholded)"

# Published sizes beside the step-unit numbers (reference, units, formula).
PARITY_SIGMOID_ONE_LAYER = ("Setiono 1997, Neurocomputing 17(1), doi:10.1016/S0925-2312(97)00030-1",
                            SIGMOID, "floor(n/2) + 1 hidden units, no input-output shortcut")
PARITY_STEP_EXACT_SMALL = ("Minimal feedforward parity networks using threshold gates, Neural "
                           "Computation 13(2):319 (2001)", STEP, "n hidden units needed for n <= 4")
PARITY_DEPTH_LOWER = ("Impagliazzo, Paturi & Saks 1997, SIAM J. Comput. 26(3):693", STEP,
                      "depth-d threshold circuits for parity have >= (n/2)^(1/(2(d-1))) gates")
IP_ONE_LAYER_LOWER = ("Hajnal, Maass, Pudlak, Szegedy & Turan 1993, JCSS 46(2):129", STEP,
                      "one hidden layer with polynomially bounded output weights: 2^Omega(n) units")


def log2_threshold_count(m):
    """log2 T(m): exact for m <= 9, the upper bound m² beyond."""
    if not isinstance(m, (int, np.integer)) or m < 0:
        raise ValueError(f"m={m!r}; allowed: an integer >= 0")
    return math.log2(THRESHOLD_COUNTS[m]) if m < len(THRESHOLD_COUNTS) else float(m * m)


def log2_nets_one_layer(n, units):
    """log2 of the upper bound on functions computed with ``units`` hidden step units (one layer)."""
    return units * log2_threshold_count(n) + log2_threshold_count(units) - math.log2(math.factorial(units))


def log2_nets_any_depth(n, units):
    """log2 of the upper bound on functions computed by ``units`` step units in any number of layers."""
    return units * log2_threshold_count(max(n, units)) + units + log2_threshold_count(units)


def counting_width(n, depth="one"):
    """Smallest U whose nets could reach half of all n-bit functions: more than half need >= U units.

    ``depth``: ``"one"`` (one hidden layer) or ``"any"``.
    """
    if depth not in ("one", "any"):
        raise ValueError(f"depth={depth!r}; allowed: 'one', 'any'")
    count = log2_nets_one_layer if depth == "one" else log2_nets_any_depth
    target = 2 ** n - 1                    # log2 of half of 2^(2^n)
    units = 1
    while count(n, units) < target:
        units += 1
    return units


def construction_width(function, n, depth):
    """Hidden units of a known step-unit construction (total over layers), or None if none is coded.

    parity: n in one layer (``parity_shallow``), the XOR tree in ⌈log₂ n⌉ layers (``parity_tree``);
    majority: 1; inner_product: ⌊n/2⌋ + n mod 2 per layer in two layers (``inner_product_deep``);
    any function in one layer: 2^(n−1) (DNF, the worst case; ``dnf``).
    """
    if function == "majority":
        return 1
    if function == "parity":
        return n if depth == 1 else (_tree_units(n) if depth == max(1, math.ceil(math.log2(n))) else None)
    if function == "inner_product" and depth == 2:
        return 2 * (n // 2 + n % 2)
    if function == "worst" and depth == 1:
        return 2 ** (n - 1)
    return None


def _tree_units(n):
    units, values = 0, n
    while values > 1:
        units += 2 * (values // 2) + values % 2
        values = values // 2 + values % 2
    return units
