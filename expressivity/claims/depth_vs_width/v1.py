"""`depth_vs_width` under its first registered rule (kept so the report shows that verdict too).

Rule v1: per function, the least-squares line of log(minimal depth-1 width) on n;
exponential if the per-bit factor exp(slope) >= growth_factor and R² >= r2_min.
Supported if random tables grow exponentially and parity and majority do not;
mixed if one of those does too; refuted if random tables do not; inconclusive
if the random fit is undecided or fewer than min_n values of n were fitted. A
search with no fit up to its cap enters at the cap.
"""
import numpy as np
import pandas as pd

from expressivity.claims.contract import Decision
from expressivity.claims.summaries import loglinear_fit

STRUCTURED = ("parity", "majority")


def minimal_sizes(jobs):
    """One row per search: function, seed, n, depth, min_width (the cap when censored), censored."""
    found = pd.to_numeric(jobs["summary.min_width"], errors="coerce")
    cap = pd.to_numeric(jobs["summary.max_width"], errors="coerce")
    table = pd.DataFrame({"function": jobs["task.name"].to_numpy(), "n": jobs["task.n"].astype(int).to_numpy(),
                          "depth": jobs["model.depth"].astype(int).to_numpy(),
                          "censored": found.isna().to_numpy()})
    table["min_width"] = np.where(table["censored"], cap, found).astype(int)
    return table


def classes(sizes, rule):
    """{function: class} of the depth-1 fits under rule v1, with each fit's factor and R²."""
    out = {}
    for function, g in sizes[sizes["depth"] == 1].groupby("function"):
        fit = loglinear_fit(g["n"], g["min_width"])
        if g["n"].nunique() < rule.min_n:
            kind = "too few n"
        elif fit["factor"] < rule.growth_factor:
            kind = "not exponential"
        else:
            kind = "exponential" if fit["r2"] >= rule.r2_min else "undecided"
        out[function] = (kind, fit["factor"], fit["r2"])
    return out


def verdict(kinds):
    random = kinds.get("random")
    if random is None or random in ("too few n", "undecided"):
        return "inconclusive"
    if random == "not exponential":
        return "refuted"
    structured = [kinds.get(f) for f in STRUCTURED]
    if "exponential" in structured:
        return "mixed"
    return "supported" if all(k == "not exponential" for k in structured) else "inconclusive"


def decide_v1(jobs, rule):
    """Decision under rule v1 from the search jobs (``summary.min_width``, ``summary.max_width``)."""
    fitted = classes(minimal_sizes(jobs), rule)
    numbers = {}
    for function, (kind, factor, r2) in fitted.items():
        numbers.update({f"{function}.class_v1": kind, f"{function}.growth_factor": factor, f"{function}.r2": r2})
    return Decision(verdict({f: k for f, (k, _, _) in fitted.items()}), numbers)
