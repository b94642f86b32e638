"""exp, tanh and the logistic in float64 as code the compiler vectorises (Numba, no libm calls).

A compiled ``math.exp`` or ``math.tanh`` is a call into the C library per
element, so a loop around it never uses the SIMD width, and NumPy's float64
``tanh`` runs at about 1 ns per element here. These are the textbook vector
math library recipe, written as straight-line arithmetic that LLVM turns into
vector instructions:

- range reduction: x = k·ln 2 + r with k = round(x / ln 2) and |r| <= ln 2 / 2,
  k read off the low bits of x / ln 2 + 1.5·2^52 (no float-to-int conversion),
  ln 2 split into a high part with a short mantissa (k·LN2_HI is exact) and a
  low part (Cody and Waite);
- expm1(r) = r + r²·q(r), q the Taylor polynomial of degree 11 (terms up to
  r¹³/13!; the first one left out is below 0.05 ulp on |r| <= ln 2 / 2),
  evaluated by Horner's rule;
- the power of two 2^k built from its bits (``_two_to``), in two factors for
  ``exp`` so that results in the subnormal range and just below overflow are
  rounded once, not flushed.

No ``fastmath`` flag is used: every operation is an IEEE operation in a fixed
order, so a result is the same on every machine (NumPy's own exp/tanh pick
SIMD code per CPU). Measured against NumPy over the whole float64 range
(tests/core/test_vecmath.py): ``exp`` and ``tanh`` within ``ULP_BOUND`` ulp of
``np.exp`` and ``np.tanh``, ``logistic`` within it of an extended-precision
1 / (1 + e^-z); inf, -inf, nan, ±0 and the overflow edge as NumPy gives them.

The functions are scalar and inlined into the caller's loop
(``inline="always"``), which takes the caller's compile flags: a loop
vectorises when Numba knows its arrays are C-contiguous and divisions do not
raise (``error_model="numpy"``); ``train.compiled`` runs them over the
full-batch layer buffers, ``train.per_example_compiled`` over its lanes of
members.

Numba's on-disk cache keys a compiled function by its own file only: after a
change here, touch ``compiled.py`` and ``per_example_compiled.py`` (or delete
their ``__pycache__/*.nbi``) so that their cached kernels inline the new code.
"""
import math

import numba
import numpy as np
from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic

ULP_BOUND = 4        # the bound tests/core/test_vecmath.py holds every function to (float64 ulps)

INV_LN2 = 1.4426950408889634
LN2_HI = 6.93147180369123816490e-01    # ln 2 with its low 32 mantissa bits zero: k·LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10    # ln 2 - LN2_HI
# Taylor coefficients 1/n! for n = 2..13 (q(r) = Σ r^(n-2) / n!).
C2, C3, C4, C5 = 1 / 2, 1 / 6, 1 / 24, 1 / 120
C6, C7, C8, C9 = 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880
C10, C11, C12, C13 = 1 / 3628800, 1 / 39916800, 1 / 479001600, 1 / 6227020800
EXP_LOW, EXP_HIGH = -750.0, 710.0      # exp is 0 below, inf above (clamped so k stays small)
EXPM1_LOW = -40.0                      # expm1(x) rounds to -1 below this


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE bits are the int64 ``bits`` (an LLVM bitcast: free, vectorises)."""
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return sig, codegen


@intrinsic
def _bits_from_float(typingctx, x):
    """The int64 holding the IEEE bits of the float64 ``x`` (an LLVM bitcast)."""
    sig = types.int64(types.float64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return sig, codegen


SHIFT = 1.5 * 2.0 ** 52        # x + SHIFT rounds x to an integer held in the low mantissa bits
SHIFT_BITS = 0x4338000000000000


@numba.njit(inline="always")
def _two_to(k):
    # 2^k for an int64 k in [-1022, 1023].
    return _float_from_bits((k + 1023) << 52)


@numba.njit(inline="always")
def _reduce(x):
    # (k, r): x = k·ln 2 + r, |r| <= ln 2 / 2 (to rounding), k as an int64 and r: k is
    # round(x / ln 2), read off the low bits of x / ln 2 + SHIFT (no float-to-int conversion).
    shifted = x * INV_LN2 + SHIFT
    kf = shifted - SHIFT
    return _bits_from_float(shifted) - SHIFT_BITS, (x - kf * LN2_HI) - kf * LN2_LO


@numba.njit(inline="always")
def _expm1_reduced(r):
    # expm1(r) for |r| <= ln 2 / 2: r + r²·q(r), Horner's rule.
    q = C13
    q = q * r + C12
    q = q * r + C11
    q = q * r + C10
    q = q * r + C9
    q = q * r + C8
    q = q * r + C7
    q = q * r + C6
    q = q * r + C5
    q = q * r + C4
    q = q * r + C3
    q = q * r + C2
    return r + (r * r) * q


@numba.njit(inline="always")
def exp(x):
    """e^x, float64, within ULP_BOUND ulp of np.exp for every x."""
    y = min(max(x, EXP_LOW), EXP_HIGH)
    k, r = _reduce(y)
    half = k >> 1
    p = 1.0 + _expm1_reduced(r)
    result = (p * _two_to(half)) * _two_to(k - half)
    return x if x != x else result


@numba.njit(inline="always")
def _expm1_nonpositive(y):
    # expm1(y) for y <= 0 (y >= EXPM1_LOW): 2^k·expm1(r) + (2^k - 1), k = 0 exactly near 0.
    k, r = _reduce(y)
    s = _two_to(k)
    return s * _expm1_reduced(r) + (s - 1.0)


@numba.njit(inline="always")
def tanh(x):
    """tanh x, float64, within ULP_BOUND ulp of np.tanh for every x: -e / (2 + e),
    e = expm1(-2|x|), with the sign of x."""
    e = _expm1_nonpositive(max(-2.0 * abs(x), EXPM1_LOW))
    t = math.copysign(-e / (2.0 + e), x)
    return x if x != x else t


@numba.njit(inline="always")
def logistic(z):
    """1 / (1 + e^-z), float64, without overflow: with t = e^-|z|, 1 / (1 + t) for z >= 0 and
    t / (1 + t) below (one division either way)."""
    t = exp(-abs(z))
    r = (1.0 if z >= 0 else t) / (1.0 + t)
    return z if z != z else r
