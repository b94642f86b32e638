"""Uncertainty for reports: Wilson intervals for rates, bootstrap intervals for means."""
import numpy as np

Z95 = 1.959963984540054


def wilson_interval(successes, trials, z=Z95):
    """Wilson score interval (low, high) for a binomial rate; (0, 1) when trials is 0."""
    successes, trials = np.asarray(successes, float), np.asarray(trials, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / trials
        denom = 1 + z * z / trials
        centre = (p + z * z / (2 * trials)) / denom
        half = z * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    # The bounds are exactly 0 (no successes) and 1 (all successes); avoid rounding dust.
    low = np.where((trials > 0) & (successes > 0), centre - half, 0.0)
    high = np.where((trials > 0) & (successes < trials), centre + half, 1.0)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def bootstrap_interval(values, statistic=np.mean, resamples=2000, level=0.95, seed=0):
    """Percentile bootstrap interval (low, high) of ``statistic`` over ``values`` (1-D)."""
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.nan, np.nan
    rng = np.random.default_rng(seed)
    draws = rng.choice(values, size=(resamples, values.size), replace=True)
    stats = np.apply_along_axis(statistic, 1, draws) if statistic is not np.mean else draws.mean(1)
    tail = (1 - level) / 2
    return float(np.quantile(stats, tail)), float(np.quantile(stats, 1 - tail))


def restarts_for(success_rate, target=0.99):
    """Restarts needed so that at least one succeeds with probability ``target``:
    ln(1 - target) / ln(1 - p), rounded up; inf when p = 0, 1 when p = 1."""
    p = np.asarray(success_rate, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.ceil(np.log(1 - target) / np.log1p(-p))
    return np.where(p >= 1, 1.0, np.where(p <= 0, np.inf, k))
