"""What keeping the best of k restarts buys, computed exactly from R recorded restarts.

Drawing k of the R recorded members without replacement, the chance that the
i-th smallest value is the minimum is C(R-i, k-1) / C(R, k); the chance that
none of the k fitted, with s of R fitted, is C(R-s, k) / C(R, k).
"""
from math import lgamma

import numpy as np


_lgamma = np.vectorize(lgamma, otypes=[float])


def _log_comb(n, k):
    """log C(n, k), elementwise; -inf where k < 0 or k > n (no such subset)."""
    n, k = np.broadcast_arrays(np.asarray(n, float), np.asarray(k, float))
    out = np.full(n.shape, -np.inf)
    ok = (k >= 0) & (k <= n)
    out[ok] = _lgamma(n[ok] + 1) - _lgamma(k[ok] + 1) - _lgamma(n[ok] - k[ok] + 1)
    return out


def expected_best(values, ks):
    """Expected minimum of ``k`` values drawn without replacement, for each k in ``ks``.

    ``values`` (R,): NaN counts as +inf (a diverged restart is the worst).
    Returns (len(ks),) floats; inf when k or more values are infinite.
    """
    v = np.sort(np.where(np.isfinite(values), values, np.inf))
    R = v.size
    ranks = np.arange(1, R + 1)
    out = []
    for k in np.atleast_1d(ks):
        if not 1 <= k <= R:
            raise ValueError(f"k={k} is not allowed; allowed: 1..{R} (the recorded restarts)")
        weights = np.exp(_log_comb(R - ranks, k - 1) - _log_comb(R, k))
        used = weights > 0
        out.append(float(np.sum(weights[used] * v[used])) if np.all(np.isfinite(v[used]))
                   else np.inf)
    return np.array(out)


def prob_any_success(successes, trials, ks):
    """P(at least one of k restarts drawn without replacement from R succeeded), per k."""
    ks = np.atleast_1d(ks)
    if np.any((ks < 1) | (ks > trials)):
        raise ValueError(f"k must be in 1..{trials} (the recorded restarts); got {ks.min()}..{ks.max()}")
    return 1 - np.exp(_log_comb(trials - successes, ks) - _log_comb(trials, ks))
