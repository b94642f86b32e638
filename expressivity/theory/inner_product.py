"""Inner product mod 2 in two hidden layers of step units, n units in all.

IP(x, y) = x₀y₀ ⊕ … ⊕ x_{m−1}y_{m−1} (m = ⌊n/2⌋; an odd last bit z is XORed
in). Layer 1 computes each AND, ``step(xᵢ + yᵢ − 1½)`` (and passes z on as
``step(z − ½)``): v = m + (n mod 2) units. Their sum s is the number of terms
that are 1, so layer 2 is the shallow parity of s, v units ``step(s − k + ½)``,
and the output takes their alternating sum, as in ``parity.parity_shallow``.
One hidden layer with output weights bounded by a polynomial needs
exponentially many units (Hajnal, Maass, Pudlák, Szegedy & Turán 1993);
with unbounded weights no super-polynomial lower bound is known.
"""
import numpy as np

from expressivity.nn import MLP


def inner_product_deep(n, dtype=np.float64):
    """MLP (n, v, v, 1) of step units computing ``tasks.boolean.inner_product``; v = ⌊n/2⌋ + n mod 2."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r}; allowed: an integer >= 1")
    m, odd = n // 2, n % 2
    v = m + odd
    W1, b1 = np.zeros((n, v), dtype), np.full(v, -1.5, dtype)
    for i in range(m):
        W1[[i, m + i], i] = 1.0
    if odd:
        W1[n - 1, v - 1], b1[v - 1] = 1.0, -0.5
    W2 = np.ones((v, v), dtype)
    b2 = (0.5 - np.arange(1, v + 1)).astype(dtype)
    W3 = ((-1.0) ** np.arange(v)).astype(dtype)[:, None]
    return MLP([W1[None], W2[None], W3[None]], [b1[None], b2[None], np.full((1, 1), -0.5, dtype)],
               ["step"] * 3)
