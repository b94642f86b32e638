"""Higher derivatives of the smooth activations, exactly, as polynomials.

The logistic s = σ(z) obeys s' = s(1 − s), so every derivative of σ is a
polynomial in s: if σ⁽ᵏ⁾ = P(s) then σ⁽ᵏ⁺¹⁾ = P'(s) s(1 − s). Likewise
tanh' = 1 − tanh², and softplus' = σ. The multiplication gates need
σ''(b) and σ⁽ⁿ⁾(b), which must not be 0.
"""
import numpy as np
from numpy.polynomial import polynomial as poly

from expressivity.nn.activations import sigmoid, softplus, tanh

# d/dz of the base function u as a polynomial in u: σ' = s − s², tanh' = 1 − t².
_CHAIN = {"sigmoid": (sigmoid, np.array([0.0, 1.0, -1.0])),
          "tanh": (tanh, np.array([1.0, 0.0, -1.0]))}
SMOOTH = ("sigmoid", "tanh", "softplus")


def derivative(name, order, z):
    """The ``order``-th derivative of activation ``name`` at z (any shape)."""
    if name not in SMOOTH:
        raise ValueError(f"activation={name!r}; allowed: {', '.join(SMOOTH)}")
    if not isinstance(order, (int, np.integer)) or order < 0:
        raise ValueError(f"order={order!r}; allowed: an integer >= 0")
    z = np.asarray(z, dtype=float)
    if name == "softplus":
        return softplus(z) if order == 0 else derivative("sigmoid", order - 1, z)
    base, chain = _CHAIN[name]
    coef = np.array([0.0, 1.0])                   # u itself
    for _ in range(order):
        coef = poly.polymul(poly.polyder(coef), chain)
    return poly.polyval(base(z), coef)
