"""The depth rule of `depth_vs_width` part (c), registered 2026-12-04 before any data of its sweeps.

Per family: y(n) = ln(depth-1 minimal parameters / deep minimal parameters), deep being the
smallest over depths 2 and 3, each a median over seeds at that n. The slope of y on n (least
squares) has a percentile bootstrap interval: the values of n are resampled with replacement
and, inside each drawn n, the seeds of every depth. A family is ``growing`` if the interval
lies above 0, ``not growing`` if it lies at or below 0, ``undecided`` otherwise, and ``too
few n`` with fewer than ``min_n`` distinct n where both depth 1 and a deep net were measured.
Verdict: supported if a family the essay names (``named``) is growing; refuted if every
family is not growing; mixed if some other family is growing; inconclusive otherwise.

Beside it, ``classifier_rates``: how often ``growth_models.classify_growth`` calls a
synthetic b^n series exponential and an n^k series polynomial on the same n grid with the
same multiplicative noise (integer widths, as a search returns).
"""
import numpy as np
import pandas as pd

from expressivity.claims.growth_models import classify_growth

GROWING, NOT_GROWING, UNDECIDED, TOO_FEW = "growing", "not growing", "undecided", "too few n"
# "At or below 0" up to floating-point rounding of an exactly flat ratio.
SLOPE_TOLERANCE = 1e-9


def cells(table, family):
    """{n: {depth: array of parameter counts over seeds}} of one family (rows with finite counts)."""
    part = table[(table["family"] == family) & np.isfinite(table["parameters"].astype(float))]
    out = {}
    for (n, depth), group in part.groupby(["n", "depth"]):
        out.setdefault(int(n), {})[int(depth)] = group["parameters"].to_numpy(float)
    return {n: d for n, d in out.items() if 1 in d and any(k > 1 for k in d)}


def _log_ratio(by_depth, pick=None):
    pick = pick or (lambda v: v)
    deep = min(np.median(pick(v)) for k, v in by_depth.items() if k > 1)
    return float(np.log(np.median(pick(by_depth[1])) / deep))


def ratio_table(table, family):
    """Per n with both depths: depth-1 and deep median parameters, the deep depth, the log ratio."""
    rows = []
    for n, by_depth in sorted(cells(table, family).items()):
        medians = {k: float(np.median(v)) for k, v in by_depth.items()}
        deep = min((k for k in medians if k > 1), key=lambda k: medians[k])
        rows.append({"family": family, "n": n, "depth1": medians[1], "deep": medians[deep],
                     "deep_depth": deep, "log_ratio": float(np.log(medians[1] / medians[deep]))})
    return pd.DataFrame(rows, columns=["family", "n", "depth1", "deep", "deep_depth", "log_ratio"])


def slope_interval(table, family, resamples=2000, level=0.95, seed=0):
    """(slope, low, high) of the log ratio against n; NaNs with fewer than 2 distinct n."""
    data = cells(table, family)
    ns = np.array(sorted(data), float)
    if ns.size < 2:
        return np.nan, np.nan, np.nan
    y = np.array([_log_ratio(data[int(n)]) for n in ns])
    slope = float(np.polyfit(ns, y, 1)[0])
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        picked = rng.choice(ns, size=ns.size, replace=True)
        if np.unique(picked).size < 2:
            continue
        seeds = lambda v: rng.choice(v, size=v.size, replace=True)
        ys = [_log_ratio(data[int(n)], seeds) for n in picked]
        draws.append(np.polyfit(picked, ys, 1)[0])
    tail = (1 - level) / 2
    return slope, float(np.quantile(draws, tail)), float(np.quantile(draws, 1 - tail))


def family_status(slope_low_high, distinct_n, min_n):
    """growing / not growing / undecided / too few n, from the interval (low, high)."""
    _, low, high = slope_low_high
    if distinct_n < min_n or not np.isfinite(low):
        return TOO_FEW
    if low > SLOPE_TOLERANCE:
        return GROWING
    if high <= SLOPE_TOLERANCE:
        return NOT_GROWING
    return UNDECIDED


def decide_depth(table, families, named, min_n, resamples=2000, level=0.95, seed=0):
    """(verdict, numbers): the rule in the module docstring over ``families``."""
    numbers, status = {}, {}
    for family in families:
        fit = slope_interval(table, family, resamples, level, seed)
        distinct = len(cells(table, family))
        status[family] = family_status(fit, distinct, min_n)
        numbers.update({f"{family}.depth_status": status[family], f"{family}.slope": fit[0],
                        f"{family}.slope_low": fit[1], f"{family}.slope_high": fit[2],
                        f"{family}.distinct_n": distinct})
    return depth_verdict(status, named), numbers


def depth_verdict(status, named):
    """supported / refuted / mixed / inconclusive from {family: status}."""
    if any(status.get(f) == GROWING for f in named):
        return "supported"
    if status and all(s == NOT_GROWING for s in status.values()):
        return "refuted"
    if any(s == GROWING for s in status.values()):
        return "mixed"
    return "inconclusive"


def classifier_rates(ns, noise, trials=400, base=1.3, exponent=3.0, margin=2.0, seed=0):
    """Rates over ``trials`` synthetic series on the grid ``ns`` with log-normal noise of sd
    ``noise``, rounded to integers >= 1: base^n called exponential / polynomial, n^exponent called
    polynomial / exponential. NaNs with fewer than 3 distinct n."""
    ns = np.asarray(sorted(set(int(n) for n in ns)), float)
    keys = ("exponential_called_exponential", "exponential_called_polynomial",
            "polynomial_called_polynomial", "polynomial_called_exponential")
    if ns.size < 3:
        return dict.fromkeys(keys, np.nan)
    rng = np.random.default_rng(seed)
    counts = dict.fromkeys(keys, 0)
    for _ in range(trials):
        for truth, series in (("exponential", base ** ns), ("polynomial", ns ** exponent)):
            width = np.maximum(1.0, np.round(series * np.exp(rng.normal(0.0, noise, ns.size))))
            kind = classify_growth(ns, width, margin=margin)["class"]
            for called in ("exponential", "polynomial"):
                counts[f"{truth}_called_{called}"] += kind == called
    return {k: v / trials for k, v in counts.items()}


def reaches_target(rates, target):
    """Whether the grid tells base^n (called exponential) and n^k (called polynomial) apart at ``target``."""
    a, b = rates["exponential_called_exponential"], rates["polynomial_called_polynomial"]
    return bool(np.isfinite(a) and np.isfinite(b) and a >= target and b >= target)


def seed_noise(table, default):
    """Log-scale spread of parameter counts over seeds (median over cells of the sd of log), or
    ``default`` when no cell has two seeds; never below ``default``."""
    spreads = [np.std(np.log(v), ddof=1) for n_cells in
               (cells(table, f) for f in table["family"].unique()) for d in n_cells.values()
               for v in d.values() if v.size > 1] if len(table) else []
    return float(max(default, np.median(spreads))) if spreads else float(default)
