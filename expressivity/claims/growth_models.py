"""Exponential or polynomial growth of a width in n, decided by comparing two fitted models.

Both models are straight lines on log(width), fitted by least squares:
exponential ``w = c·bⁿ`` (log w linear in n) and polynomial ``w = c·nᵏ``
(log w linear in log n). Each has two parameters, so Akaike's criterion
AIC = N·ln(RSS/N) + 2·2 compares their residuals; a held-out check fits each
on all but the largest n and predicts the largest. A class is named only when
both agree: ``exponential`` (AIC favours it by at least ``margin`` and it
predicts the largest n better), ``polynomial`` (the converse, or no spread in
width at all: ``constant``), else ``undecided``.
"""
import numpy as np

# RSS/N never counts as smaller than this: integer widths carry rounding noise, and an
# exact fit must not make one model infinitely better than the other.
RSS_FLOOR = 1e-4
PARAMETERS = 2


def _line(x, logw):
    slope, intercept = np.polyfit(x, logw, 1)
    return slope, intercept


def fit_model(n, width, model):
    """Least-squares fit of one model; dict with ``rate`` (b or k), ``c``, ``rss``, ``aic``, ``points``.

    ``model`` is ``"exponential"`` (rate b per unit of n) or ``"polynomial"`` (exponent k).
    """
    n, logw = _clean(n, width)
    x = n if model == "exponential" else np.log(n)
    slope, intercept = _line(x, logw)
    rss = float(((logw - (intercept + slope * x)) ** 2).sum())
    points = len(n)
    aic = points * np.log(max(rss / points, RSS_FLOOR)) + 2 * PARAMETERS
    rate = float(np.exp(slope)) if model == "exponential" else float(slope)
    return {"rate": rate, "c": float(np.exp(intercept)), "rss": rss, "aic": float(aic), "points": points}


def held_out_error(n, width, model):
    """|log(predicted / observed)| at the largest n for a fit on the other values of n (mean over its points)."""
    n, logw = _clean(n, width)
    last = n == n.max()
    if np.unique(n[~last]).size < 2:
        return np.nan
    x = n if model == "exponential" else np.log(n)
    slope, intercept = _line(x[~last], logw[~last])
    return float(np.abs(intercept + slope * x[last] - logw[last]).mean())


def classify_growth(n, width, margin=2.0):
    """Dict: ``class`` and the numbers that decided it (``delta_aic`` = AIC(poly) − AIC(exp), the two
    held-out errors, both fitted rates). Needs at least three distinct n."""
    n_clean, logw = _clean(n, width)
    if np.unique(n_clean).size < 3:
        raise ValueError(f"n={sorted(set(n_clean.tolist()))}; allowed: at least 3 distinct values of n "
                         f"with a positive width")
    exp, poly = fit_model(n, width, "exponential"), fit_model(n, width, "polynomial")
    out = {"base": exp["rate"], "exponent": poly["rate"], "delta_aic": poly["aic"] - exp["aic"],
           "held_out_exponential": held_out_error(n, width, "exponential"),
           "held_out_polynomial": held_out_error(n, width, "polynomial"),
           "n_min": int(n_clean.min()), "n_max": int(n_clean.max()), "points": exp["points"]}
    if np.ptp(logw) == 0:
        out["class"] = "constant"
    elif out["delta_aic"] >= margin and out["held_out_exponential"] < out["held_out_polynomial"]:
        out["class"] = "exponential"
    elif out["delta_aic"] <= -margin and out["held_out_polynomial"] < out["held_out_exponential"]:
        out["class"] = "polynomial"
    else:
        out["class"] = "undecided"
    return out


def ratio_to_bound(n, width, bound):
    """width / bound(n) per point and its per-bit factor (exp of the slope of log ratio on n)."""
    n, logw = _clean(n, width)
    ratio = np.exp(logw) / np.array([bound(int(v)) for v in n], float)
    slope = np.polyfit(n, np.log(ratio), 1)[0] if np.unique(n).size > 1 else np.nan
    return ratio, float(np.exp(slope))


def _clean(n, width):
    n, width = np.asarray(n, float), np.asarray(width, float)
    if n.shape != width.shape:
        raise ValueError(f"n has shape {n.shape} and width {width.shape}; allowed: equal shapes")
    keep = np.isfinite(n) & np.isfinite(width) & (width > 0) & (n > 0)
    return n[keep], np.log(width[keep])
