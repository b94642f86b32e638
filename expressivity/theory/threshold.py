"""How many boolean functions one threshold neuron computes.

A single step unit ``step(w·x + b)`` on n bits computes a *threshold*
(linearly separable) function. Known counts (OEIS A000609): 4, 14, 104, 1882,
94572 for n = 1 … 5. Integer weights in [−m, m] with half-integer biases
reach every threshold function of n ≤ 4 bits once m ≥ 3 (smaller weights miss
some), so enumerating them gives the exact count, which ``tests`` check
against the known numbers.
"""
import numpy as np

from expressivity.theory.counting import count_functions


def threshold_count(n, max_weight=3):
    """Distinct functions of one step neuron with weights in {−m … m} and half-integer biases.

    The sum w·x of integer weights is an integer in [−nm, nm], so the biases
    −nm − ½ … nm + ½ in steps of 1 give every distinct threshold position.
    """
    if not isinstance(max_weight, (int, np.integer)) or max_weight < 1:
        raise ValueError(f"max_weight={max_weight!r}; allowed: an integer >= 1")
    weights = np.arange(-max_weight, max_weight + 1)
    reach = n * max_weight
    biases = np.arange(-reach, reach + 2) - 0.5
    return count_functions((n, 1), weights, biases)["distinct"]
