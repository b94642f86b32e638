"""Boolean constructions at depth 2 and 3 (step units), and their exact sizes.

All nets here are *strictly layered* ``MLP``s (each layer reads only the layer
below), the architecture training uses; sizes are hidden units summed over layers.

Parity, two hidden layers (Siu, Roychowdhury & Kailath 1991, "Depth-size
tradeoffs for neural computation", IEEE Trans. Computers 40(12)). With s = Σx
and an even block m, layer 1 holds q = ⌊n/m⌋ coarse units cⱼ = [s ≥ jm], so
C = Σcⱼ = ⌊s/m⌋ and r = s − mC ∈ [0, m); layer 2 holds m − 1 fine units
gₖ = [s − mC ≥ k], k = 1..m−1, and since m is even, parity(s) = parity(r) =
Σₖ(−1)^(k+1) gₖ. That is q + m − 1 threshold *gates* (≈ 2√n), but layer 2 reads
s, i.e. the inputs: in the circuit model inputs feed every layer. A strictly
layered net must carry the inputs through layer 1 (n units step(xᵢ − ½)), so
``parity_siu`` has n + q + m − 1 hidden units, *more* than one layer's n. The
cheapest strictly layered depth-2 parity coded here is the one-layer net with
one extra unit (``deepen``): n + 1.

``deepen`` adds a hidden layer of one unit that computes the old output, so a
boolean step net of depth d and U units gives depth d + 1 and U + 1 units.

Parity of majorities (``tasks.boolean.parity_of_majorities``, blocks of 3):
layer 1 one unit per block, its strict majority; layer 2 the shallow parity of
their count, b = ⌈n/3⌉ units: 2b in all.
"""
import math

import numpy as np

from expressivity.nn import MLP


def _check_n(n, least=1):
    if not isinstance(n, (int, np.integer)) or n < least:
        raise ValueError(f"n={n!r}; allowed: an integer >= {least}")


def siu_block(n):
    """The even block m ≥ 2 that minimises the gate count ⌊n/m⌋ + m − 1 (smallest m on ties)."""
    _check_n(n, least=2)
    return min(range(2, n + 2, 2), key=lambda m: (n // m + m - 1, m))


def siu_gates(n, m=None):
    """Hidden threshold gates of the two-layer parity circuit: ⌊n/m⌋ + m − 1 (inputs feed both layers)."""
    m = siu_block(n) if m is None else m
    return n // m + m - 1


def parity_siu(n, m=None, dtype=np.float64):
    """Parity of n ≥ 2 bits in two hidden layers, strictly layered: sizes (n, n + q, m − 1, 1).

    Layer 1: n copies of the inputs, then q = ⌊n/m⌋ coarse units; layer 2: m − 1 fine units.
    """
    _check_n(n, least=2)
    m = siu_block(n) if m is None else m
    if not isinstance(m, (int, np.integer)) or m < 2 or m % 2:
        raise ValueError(f"m={m!r}; allowed: an even integer >= 2")
    q = n // m
    W1 = np.zeros((n, n + q), dtype)
    W1[:, :n] = np.eye(n)
    W1[:, n:] = 1.0
    b1 = np.concatenate([np.full(n, -0.5), 0.5 - m * np.arange(1, q + 1)]).astype(dtype)
    k = np.arange(1, m)
    W2 = np.zeros((n + q, m - 1), dtype)
    W2[:n] = 1.0                                   # s
    W2[n:] = -float(m)                             # − m C
    b2 = (0.5 - k).astype(dtype)                   # s − mC − k + ½ ≥ 0  iff  r ≥ k
    W3 = ((-1.0) ** (k + 1)).astype(dtype)[:, None]
    return MLP([W1[None], W2[None], W3[None]], [b1[None], b2[None], np.full((1, 1), -0.5, dtype)],
               ["step"] * 3)


def deepen(net):
    """The step net ``net`` (one output) with one more hidden layer of 1 unit: same function."""
    if net.sizes[-1] != 1 or any(a != "step" for a in net.activations):
        raise ValueError("net: allowed: a step net with one output")
    weights = list(net.weights) + [np.ones((net.population, 1, 1))]
    biases = list(net.biases) + [np.full((net.population, 1), -0.5)]
    return MLP(weights, biases, ["step"] * len(weights))


def parity_of_majorities_deep(n, dtype=np.float64):
    """``tasks.boolean.parity_of_majorities`` in two hidden layers: sizes (n, b, b, 1), b = ⌈n/3⌉."""
    _check_n(n)
    b = math.ceil(n / 3)
    W1, b1 = np.zeros((n, b), dtype), np.zeros(b, dtype)
    for j in range(b):
        size = min(3, n - 3 * j)
        W1[3 * j:3 * j + size, j] = 1.0
        b1[j] = 0.5 - (size // 2 + 1)              # Σ block ≥ ⌊size/2⌋ + 1
    W2 = np.ones((b, b), dtype)
    b2 = (0.5 - np.arange(1, b + 1)).astype(dtype)
    W3 = ((-1.0) ** np.arange(b)).astype(dtype)[:, None]
    return MLP([W1[None], W2[None], W3[None]], [b1[None], b2[None], np.full((1, 1), -0.5, dtype)],
               ["step"] * 3)


def hidden_units(net):
    """Hidden units summed over layers."""
    return int(sum(net.sizes[1:-1]))
