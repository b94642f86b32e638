"""Small table-level summaries the claim analyses share: rates with Wilson
intervals, medians with bootstrap intervals, log-linear fits, interval order."""
import numpy as np
import pandas as pd

from expressivity.tasks import BOOLEAN_FUNCTIONS
from expressivity.claims.stats import wilson_interval


def rate_table(members, by, column="fitted"):
    """Success counts per group with Wilson 95% intervals.

    Parameters
    ----------
    members : DataFrame with the ``by`` columns and a boolean ``column``
    by : list of column names

    Returns
    -------
    DataFrame, one row per group: the ``by`` columns, ``successes``,
    ``trials``, ``rate``, ``low``, ``high``.
    """
    grouped = members.groupby(by, dropna=False)[column]
    table = grouped.agg(successes=lambda s: int(s.astype(bool).sum()), trials="size").reset_index()
    table["rate"] = table["successes"] / table["trials"]
    low, high = wilson_interval(table["successes"].to_numpy(), table["trials"].to_numpy())
    table["low"], table["high"] = low, high
    return table


def median_interval(values, resamples=2000, level=0.95, seed=0):
    """(median, low, high): the median of the finite values and its percentile bootstrap interval.

    The same draws as ``stats.bootstrap_interval(values, np.median)``, taken
    in one vectorised call (that one loops over resamples). All three are NaN
    when there is no finite value.
    """
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.nan, np.nan, np.nan
    draws = np.random.default_rng(seed).choice(values, size=(resamples, values.size), replace=True)
    stats = np.median(draws, axis=1)
    tail = (1 - level) / 2
    return float(np.median(values)), float(np.quantile(stats, tail)), float(np.quantile(stats, 1 - tail))


def loglinear_fit(x, y):
    """Least-squares line through (x, log y).

    Returns a dict with ``slope``, ``intercept`` (of log y), ``factor``
    (exp(slope): the growth per unit of x), ``r2`` and ``points``. With fewer
    than two distinct x, or no spread in log y, ``r2`` is NaN.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = np.isfinite(x) & np.isfinite(y) & (y > 0)
    x, logy = x[keep], np.log(y[keep])
    result = {"slope": np.nan, "intercept": np.nan, "factor": np.nan, "r2": np.nan,
              "points": int(keep.sum())}
    if np.unique(x).size < 2:
        return result
    slope, intercept = np.polyfit(x, logy, 1)
    residual = logy - (slope * x + intercept)
    total = ((logy - logy.mean()) ** 2).sum()
    r2 = 1 - (residual ** 2).sum() / total if total > 0 else np.nan
    result.update(slope=float(slope), intercept=float(intercept), factor=float(np.exp(slope)),
                  r2=float(r2))
    return result


def order(a_low, a_high, b_low, b_high):
    """'above' if interval a lies entirely above b, 'below' if entirely below, else 'overlap'."""
    if a_low > b_high:
        return "above"
    if a_high < b_low:
        return "below"
    return "overlap"


def markdown(frame, caption, digits=3, floatfmt=None):
    """The one table writer of the claims: a caption line and ``frame`` as a Markdown table.

    Floats are rounded to ``digits`` decimals, or formatted with ``floatfmt``
    (e.g. ".1e") when given; integers stay integers; the index is dropped; a
    missing value (None, NaN) is shown as ``MISSING``, never as ``nan``.
    """
    if floatfmt is not None:
        # object dtype keeps integers as integers: a mixed frame would otherwise turn them into floats
        shown = frame.astype(object).where(frame.notna(), None)
        return f"{caption}\n\n{shown.to_markdown(index=False, floatfmt=floatfmt, missingval=MISSING)}"
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: _fmt(v, digits))
        elif not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: MISSING if _missing(v) else v)
    return f"{caption}\n\n{shown.to_markdown(index=False)}"


MISSING = "—"


def _missing(value):
    return value is None or (isinstance(value, float) and np.isnan(value))


def _fmt(value, digits):
    if not np.isfinite(value):
        return "inf" if value == np.inf else ("-inf" if value == -np.inf else MISSING)
    if value != 0 and (abs(value) < 10 ** -digits or abs(value) >= 10 ** 6):
        return f"{value:.{digits}g}"
    return f"{round(value, digits):g}"


def task_labels(frame):
    """A short name per row for the task instance: 'XOR', 'parity-3', 'random-4 #1', 'sin'."""
    name = frame["task.name"].astype(str)
    n = frame["task.n"].astype(int).astype(str) if "task.n" in frame else ""
    seed = frame["task.seed"].astype(int).astype(str) if "task.seed" in frame else "0"
    label = name + "-" + n
    label = label.where(~((name == "parity") & (n == "2")), "XOR")
    label = label.where(name != "random", label + " #" + seed)
    continuous = ~name.isin(list(BOOLEAN_FUNCTIONS))
    return label.where(~continuous, name)
