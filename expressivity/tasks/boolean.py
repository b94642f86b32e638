"""Boolean functions as exact truth tables over all 2ⁿ inputs.

Rows are the inputs in counting order, most significant bit first: row ``i``
holds the binary digits of ``i``. Each function maps a (2ⁿ, n) array of bits
in {0, 1} to a (2ⁿ,) array of bits in {0, 1}; the encoding (±1) is applied
afterwards by ``truth_table``.
"""
import numpy as np

# 2^20 rows x n inputs is already ~170 MB in float64; past that, enumerating is a mistake.
MAX_BITS = 20


def all_inputs(n):
    """Every n-bit input in counting order: (2ⁿ, n) array of 0/1 (int8)."""
    if not isinstance(n, (int, np.integer)) or n < 1 or n > MAX_BITS:
        raise ValueError(f"task.n={n!r} cannot be enumerated; allowed: an integer 1..{MAX_BITS} "
                         f"(a truth table has 2^n rows; 2^{MAX_BITS} is the largest accepted)")
    rows = np.arange(2 ** n)
    return ((rows[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.int8)


def parity(bits, rng=None, **_):
    return bits.sum(axis=1) % 2


def majority(bits, rng=None, **_):
    # Strict majority: 1 iff more than half of the bits are 1; a tie (even n) gives 0.
    return (2 * bits.sum(axis=1) > bits.shape[1]).astype(np.int8)


def and_(bits, rng=None, **_):
    return bits.all(axis=1).astype(np.int8)


def or_(bits, rng=None, **_):
    return bits.any(axis=1).astype(np.int8)


def random(bits, rng=None, **_):
    """A uniformly random function: each row's output is a fair coin from ``rng``."""
    return rng.integers(0, 2, size=bits.shape[0]).astype(np.int8)


def compositional(bits, rng=None, **_):
    """Majority of the XORs of adjacent pairs (x0⊕x1, x2⊕x3, …; an odd last bit stands alone).

    A two-level hierarchy that is not parity; majority ties give 0 as above.
    """
    n = bits.shape[1]
    pairs = [bits[:, i] ^ bits[:, i + 1] for i in range(0, n - 1, 2)]
    if n % 2:
        pairs.append(bits[:, -1])
    return majority(np.stack(pairs, axis=1))


def inner_product(bits, rng=None, **_):
    """Inner product mod 2 of the two halves: x₀y₀ ⊕ x₁y₁ ⊕ … for x = first ⌊n/2⌋ bits, y = next ⌊n/2⌋;
    an odd last bit is XORed in. Two hidden layers of step units compute it with n units
    (``theory.inner_product``); one layer with bounded output weights needs exponentially many
    (Hajnal et al. 1993)."""
    n = bits.shape[1]
    m = n // 2
    out = (bits[:, :m] & bits[:, m:2 * m]).sum(axis=1) % 2
    if n % 2:
        out ^= bits[:, -1]
    return out.astype(np.int8)


def parity_of_majorities(bits, rng=None, **_):
    """Parity of the strict majorities of consecutive blocks of 3 bits (a last block of 1 or 2
    bits: its strict majority, the bit itself or the AND of the two).

    A two-level hierarchy: two hidden layers of step units compute it with 2⌈n/3⌉ units
    (``theory.depth.parity_of_majorities_deep``); its one-layer cost is measured, not known.
    """
    n = bits.shape[1]
    blocks = [bits[:, i:i + 3] for i in range(0, n, 3)]
    votes = [(b.sum(axis=1) >= b.shape[1] // 2 + 1) for b in blocks]
    return (np.stack(votes, axis=1).sum(axis=1) % 2).astype(np.int8)


def dnf(bits, rng=None, terms=3, **_):
    """OR of ``terms`` random conjunctions; each term picks every variable with
    probability ½ (at least one) and a random sign for it."""
    n = bits.shape[1]
    out = np.zeros(bits.shape[0], dtype=bool)
    for _ in range(terms):
        used = rng.random(n) < 0.5
        if not used.any():
            used[rng.integers(n)] = True
        signs = rng.integers(0, 2, size=n)
        out |= (bits[:, used] == signs[used]).all(axis=1)
    return out.astype(np.int8)


BOOLEAN_FUNCTIONS = {
    "parity": parity, "majority": majority, "and": and_, "or": or_,
    "random": random, "compositional": compositional, "dnf": dnf,
    "inner_product": inner_product, "parity_of_majorities": parity_of_majorities,
}


def truth_table(name, n, encoding="01", rng=None, **params):
    """Inputs (2ⁿ, n) and targets (2ⁿ, 1) of a boolean function, as float64.

    ``encoding`` is ``"01"`` (bits) or ``"pm1"`` (0 -> -1, 1 -> +1, inputs and
    targets alike). ``rng`` seeds the random functions (``random``, ``dnf``).
    """
    if name not in BOOLEAN_FUNCTIONS:
        raise ValueError(f"task.name={name!r} is not a boolean function; allowed: "
                         f"{', '.join(sorted(BOOLEAN_FUNCTIONS))}")
    if encoding not in ("01", "pm1"):
        raise ValueError(f"task.encoding={encoding!r}; allowed: '01', 'pm1'")
    bits = all_inputs(n)
    rng = np.random.default_rng(0) if rng is None else rng
    y = BOOLEAN_FUNCTIONS[name](bits, rng=rng, **params)
    X, Y = bits.astype(np.float64), y.astype(np.float64)[:, None]
    if encoding == "pm1":
        X, Y = 2 * X - 1, 2 * Y - 1
    return X, Y
