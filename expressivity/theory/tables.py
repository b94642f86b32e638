"""Boolean functions as rows of bits, and bits as integer codes.

A function of n bits is its truth table: a row of 2ⁿ output bits, in the
input order of ``expressivity.tasks.all_inputs`` (row ``i`` is the binary
digits of ``i``). Function number ``c`` has output bit ``i`` equal to bit
``i`` of ``c``, so the 2^(2ⁿ) functions are simply 0 … 2^(2ⁿ) − 1.
"""
import numpy as np

from expressivity.tasks import all_inputs

# 2^(2^4) = 65,536 functions of four bits fit in memory; 2^(2^5) ≈ 4e9 do not.
MAX_ENUMERATED_BITS = 4
# Codes are packed into int64: at most 63 output bits (n <= 5).
MAX_CODED_ROWS = 63


def all_functions(n):
    """Every boolean function of ``n`` bits: (2^(2ⁿ), 2ⁿ) array of 0/1 (int8), row c = function c."""
    if not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_ENUMERATED_BITS:
        raise ValueError(f"n={n!r} cannot be enumerated; allowed: an integer 1..{MAX_ENUMERATED_BITS} "
                         f"(there are 2^(2^n) functions)")
    codes = np.arange(2 ** 2 ** n, dtype=np.int64)
    return ((codes[:, None] >> np.arange(2 ** n)) & 1).astype(np.int8)


def random_functions(n, count, rng):
    """``count`` uniformly random truth tables of ``n`` bits: (count, 2ⁿ) int8."""
    all_inputs(n)  # validates n with the tasks' own message
    return rng.integers(0, 2, size=(count, 2 ** n)).astype(np.int8)


def table_codes(bits):
    """Pack truth tables (P, R) of 0/1 (R ≤ 63 rows) into one int64 code per row: (P,).

    The inverse of ``all_functions``: ``table_codes(all_functions(n)) == arange(2^(2ⁿ))``.
    """
    bits = np.asarray(bits)
    if bits.ndim != 2 or bits.shape[1] > MAX_CODED_ROWS:
        raise ValueError(f"bits has shape {bits.shape}; allowed: (P, R) with R <= {MAX_CODED_ROWS}")
    if not ((bits == 0) | (bits == 1)).all():
        raise ValueError("bits holds values other than 0 and 1; allowed: truth tables of 0/1")
    weights = np.left_shift(np.int64(1), np.arange(bits.shape[1], dtype=np.int64))
    return bits.astype(np.int64) @ weights
