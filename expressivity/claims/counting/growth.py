"""counting, what could fail: how many functions one and two threshold units compute, against
all 2^(2ⁿ), as n grows (``theory.threshold_sorted``: exact counts, measured until they stop
moving in the weight range, then compared with the known sequence OEIS A000609)."""
import numpy as np
import pandas as pd

from expressivity.theory.threshold_sorted import growth_table, log2_threshold_bound, universal_width_lower_bound

__all__ = ["growth_frame", "frame_of", "check_known", "shares_fall", "log2_threshold_bound",
           "universal_width_lower_bound"]


def growth_frame(max_n, two_unit_max_n):
    """Per n: counts, shares of all functions, and log2 of each count (bits of description)."""
    rows = growth_table(max_n, two_unit_max_n)
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "counts_by_m"} for r in rows])
    frame["counts_by_max_weight"] = [", ".join(f"m={m}: {c}" for m, c in r["counts_by_m"]) for r in rows]
    return frame_of(frame)


def frame_of(frame):
    """A growth table (``growth_table`` rows as a frame) with the shares of all functions added."""
    frame = frame.copy()
    frame["threshold_share"] = frame["threshold"] / frame["functions"].astype(float)
    frame["two_unit_share"] = frame["two_units"].astype(float) / frame["functions"].astype(float)
    return frame


def check_known(frame):
    """True when every counted n that has a known value matches it and every count had stopped moving."""
    known = frame.dropna(subset=["known"])
    return bool((known["threshold"] == known["known"]).all() and frame["stable_at_m"].notna().all())


def shares_fall(frame, column, from_n):
    """True if ``column`` falls strictly with n from ``from_n`` on (over the n where it is known)."""
    part = frame[(frame["n"] >= from_n) & frame[column].notna()].sort_values("n")[column].to_numpy(float)
    return bool(len(part) >= 2 and (np.diff(part) < 0).all())
