"""Parity of n bits from step units: one wide layer, or a tree of XOR blocks.

Shallow (n hidden units). Unit k fires when at least k inputs are on,
``step(Σx − k + ½)``; the alternating sum h₁ − h₂ + h₃ − … is 1 for an odd
count and 0 for an even one, so the output is ``step(Σ(−1)^(k+1) h_k − ½)``.

Tree (⌈log₂ n⌉ hidden layers). XOR of two bits a, b is OR(a, b) − AND(a, b),
a *linear* function of two step units. Each level of the tree pairs up the
values of the level below and computes OR and AND of each pair; the
subtraction is folded into the next level's weights, so one level costs one
hidden layer of two units per pair. An odd value out is carried to the next
level by one unit ``step(v − ½) = v``. The output layer takes the last
OR − AND. Units: 2(n − 1) for the pairs plus one per carried value.
"""
import numpy as np

from expressivity.nn import MLP


def parity_shallow(n, dtype=np.float64):
    """Parity of n bits with n step units in one hidden layer: MLP sizes (n, n, 1), P = 1."""
    _check_n(n)
    W1 = np.ones((1, n, n), dtype)
    b1 = (0.5 - np.arange(1, n + 1, dtype=dtype))[None]
    W2 = ((-1.0) ** np.arange(n)).astype(dtype)[None, :, None]   # +1, −1, +1, …
    b2 = np.full((1, 1), -0.5, dtype)
    return MLP([W1, W2], [b1, b2], ["step", "step"])


def parity_tree(n, dtype=np.float64):
    """Parity of n ≥ 2 bits as a tree of XOR blocks: ⌈log₂ n⌉ hidden layers of step units, P = 1.

    Each value of a level is a linear read-out of the layer below: ``readout``
    (units_below, values) maps unit outputs to the values (the identity on the inputs).
    """
    _check_n(n, least=2)
    readout = np.eye(n, dtype=dtype)                      # the inputs are the first values
    weights, biases = [], []
    while readout.shape[1] > 1:
        values = readout.shape[1]
        pairs, carry = values // 2, values % 2
        width = 2 * pairs + carry
        unit_in = np.zeros((values, width), dtype)         # value -> unit pre-activation
        bias = np.zeros(width, dtype)
        next_readout = np.zeros((width, pairs + carry), dtype)
        for p in range(pairs):
            a, b, u = 2 * p, 2 * p + 1, 2 * p
            unit_in[[a, b], u] = 1.0                        # OR: a + b − ½ ≥ 0
            bias[u] = -0.5
            unit_in[[a, b], u + 1] = 1.0                    # AND: a + b − 1½ ≥ 0
            bias[u + 1] = -1.5
            next_readout[[u, u + 1], p] = (1.0, -1.0)       # XOR = OR − AND
        if carry:
            unit_in[values - 1, width - 1] = 1.0            # v − ½ ≥ 0 iff v = 1
            bias[width - 1] = -0.5
            next_readout[width - 1, pairs] = 1.0
        weights.append((readout @ unit_in)[None])
        biases.append(bias[None])
        readout = next_readout
    # Output: the single remaining value is 0 or 1 exactly; step(v − ½) returns it.
    weights.append(readout[None])
    biases.append(np.full((1, 1), -0.5, dtype))
    return MLP(weights, biases, ["step"] * len(weights))


def _check_n(n, least=1):
    if not isinstance(n, (int, np.integer)) or n < least:
        raise ValueError(f"n={n!r}; allowed: an integer >= {least}")
