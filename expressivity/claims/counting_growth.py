"""counting, what could fail: how many functions one and two threshold units compute, against
all 2^(2ⁿ), as n grows (``theory.threshold_sorted``: exact counts, measured until they stop
moving in the weight range, then compared with the known sequence OEIS A000609)."""
import numpy as np
import pandas as pd

from ..theory.threshold_sorted import growth_table


def growth_frame(max_n, two_unit_max_n):
    """Per n: counts, shares of all functions, and log2 of each count (bits of description)."""
    rows = growth_table(max_n, two_unit_max_n)
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "counts_by_m"} for r in rows])
    frame["threshold_share"] = frame["threshold"] / frame["functions"].astype(float)
    frame["two_unit_share"] = frame["two_units"].astype(float) / frame["functions"].astype(float)
    frame["counts_by_max_weight"] = [", ".join(f"m={m}: {c}" for m, c in r["counts_by_m"]) for r in rows]
    return frame


def check_known(frame):
    """True when every counted n that has a known value matches it and every count had stopped moving."""
    known = frame.dropna(subset=["known"])
    return bool((known["threshold"] == known["known"]).all() and frame["stable_at_m"].notna().all())


def shares_fall(frame, column, from_n):
    """True if ``column`` falls strictly with n from ``from_n`` on (over the n where it is known)."""
    part = frame[(frame["n"] >= from_n) & frame[column].notna()].sort_values("n")[column].to_numpy(float)
    return bool(len(part) >= 2 and (np.diff(part) < 0).all())


def log2_threshold_bound(m, exact):
    """An upper bound on log2 of the number of threshold functions of m bits: the exact count
    where known (``exact``: {m: count}), else m² (Winder's bound |T_m| <= 2^(m²))."""
    return float(np.log2(exact[m])) if m in exact else float(m * m)


def universal_width_lower_bound(n, exact):
    """Smallest h for which one hidden layer of h step units could reach all 2^(2ⁿ) functions of
    n bits by counting: such a net computes at most |T_n|^h · |T_h| functions, so it needs
    h·log2|T_n| + log2|T_h| >= 2ⁿ. A lower bound on the width of any universal single layer."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r}; allowed: an integer >= 1")
    h = 1
    while h * log2_threshold_bound(n, exact) + log2_threshold_bound(h, exact) < 2 ** n:
        h += 1
    return h
