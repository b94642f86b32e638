"""The sub-claims of claim `loss` (see claims/loss/claim.py): one function each, from tables to
``{"name", "holds", "numbers", "line"}`` (``holds`` None when there was no data)."""
import numpy as np

from expressivity.claims.summaries import loglinear_fit, median_interval, order, rate_table
from expressivity.claims.stats import wilson_interval

PER_EXAMPLE, FULL_BATCH = 1, 0   # values of trainer.batch_size (0: the whole table)

def _sub(name, holds, numbers, line):
    return {"name": name, "holds": holds, "numbers": numbers,
            "line": f"{name}: {'holds' if holds else ('no data' if holds is None else 'fails')}. {line}"}


def _per_example(constants, schedule, lr=None):
    sel = constants[(constants["trainer.batch_size"] == PER_EXAMPLE)
                    & (constants["trainer.schedule"] == schedule)]
    return sel if lr is None else sel[np.isclose(sel["trainer.lr"], lr)]


def best_constant(constants, rule):
    sel = _per_example(constants, "inverse_time", rule.setting_lr) if len(constants) else constants
    numbers, parts, lows = {}, [], []
    for (dist, loss), g in sel.groupby(["task.distribution", "trainer.loss"]):
        target, other = ("mean", "median") if loss == "squared" else ("median", "mean")
        b = g["b"].to_numpy(float)
        closer = np.abs(b - g[target]) < np.abs(b - g[other])
        low, _ = wilson_interval(int(closer.sum()), len(b))
        lows.append(float(low))
        numbers[f"{dist}.{loss}.closer_to_{target}"] = float(closer.mean())
        numbers[f"{dist}.{loss}.median_b"] = float(np.nanmedian(b))
        parts.append(f"{dist}/{loss}: median b {np.nanmedian(b):.3f} (mean {g['mean'].iloc[0]:.3f}, "
                     f"median {g['median'].iloc[0]:.3f}), {closer.mean():.0%} closer to the {target}")
    holds = None if not lows else bool(min(lows) >= rule.min_fraction)
    return _sub("best constant", holds, numbers, "; ".join(parts) + ".")


def fixed_step_settles(regression, rule):
    sel = regression[(regression["trainer.batch_size"] == FULL_BATCH)
                     & (regression["trainer.schedule"] == "constant")]
    stats = {loss: median_interval(g["max_error"]) for loss, g in sel.groupby("trainer.loss")}
    if not {"squared", "absolute"} <= set(stats):
        return _sub("fixed step settles only squared", None, {}, "no regression runs.")
    (sq, sq_lo, sq_hi), (ab, ab_lo, ab_hi) = stats["squared"], stats["absolute"]
    ratio = ab / sq
    holds = bool(ratio >= rule.settle_ratio and order(ab_lo, ab_hi, sq_lo, sq_hi) == "above")
    return _sub("fixed step settles only squared", holds,
                {"sup_error_squared": sq, "sup_error_absolute": ab, "ratio": ratio},
                f"median final sup error {ab:.3g} [{ab_lo:.3g}, {ab_hi:.3g}] (absolute) vs "
                f"{sq:.3g} [{sq_lo:.3g}, {sq_hi:.3g}] (squared): ratio {ratio:.2f}, "
                f"needed >= {rule.settle_ratio} with disjoint intervals.")


def spreads(constants):
    """sd of the learned constant over restarts, per-example SGD, by distribution/loss/schedule/lr."""
    sel = constants[constants["trainer.batch_size"] == PER_EXAMPLE]
    keys = ["task.distribution", "trainer.loss", "trainer.schedule", "trainer.lr"]
    return sel.groupby(keys)["b"].std().rename("spread").reset_index()


def decay_settles(constants, rule):
    table = spreads(constants) if len(constants) else None
    if table is None or table.empty:
        return _sub("decaying step settles absolute", None, {}, "no per-example runs.")
    wide = table[table["trainer.loss"] == "absolute"].pivot_table(
        index=["task.distribution", "trainer.lr"], columns="trainer.schedule", values="spread")
    ratios = (wide["inverse_time"] / wide["constant"]).rename("ratio")
    holds = bool((ratios <= rule.decay_ratio).all())
    numbers = {f"{d}.lr{lr:g}.ratio": float(r) for (d, lr), r in ratios.items()}
    line = "; ".join(f"{d} lr {lr:g}: sd {wide.loc[(d, lr), 'constant']:.3g} -> "
                     f"{wide.loc[(d, lr), 'inverse_time']:.3g} (x{r:.2f})" for (d, lr), r in ratios.items())
    return _sub("decaying step settles absolute", holds, numbers,
                line + f"; needed <= x{rule.decay_ratio} everywhere.")


def robustness(constants, rule):
    sel = _per_example(constants, "inverse_time", rule.setting_lr) if len(constants) else constants
    sel = sel[sel["task.distribution"] == "outliers"] if len(sel) else sel
    b = {loss: g["b"].median() for loss, g in sel.groupby("trainer.loss")}
    if not {"squared", "absolute"} <= set(b):
        return _sub("robust to outliers", None, {}, "no outlier runs.")
    shift_sq = abs(b["squared"] - sel["clean_mean"].iloc[0])
    shift_abs = abs(b["absolute"] - sel["clean_median"].iloc[0])
    holds = bool(shift_abs <= rule.robust_ratio * shift_sq)
    return _sub("robust to outliers", holds, {"shift_squared": shift_sq, "shift_absolute": shift_abs},
                f"{sel['outliers'].iloc[0]} outliers move the squared fit by {shift_sq:.3f} from the "
                f"clean mean and the absolute fit by {shift_abs:.3f} from the clean median "
                f"(needed <= {rule.robust_ratio} x).")


def geometric(curves, rule):
    sel = curves[(curves["task.name"] == "constant") & (curves["trainer.batch_size"] == FULL_BATCH)
                 & (curves["trainer.schedule"] == "constant") & (curves["trainer.loss"] == "squared")] \
        if len(curves) else curves
    numbers, parts, ok = {}, [], []
    for (dist, lr), g in sel.groupby(["task.distribution", "trainer.lr"]):
        above = g[g["excess_median"] > 1e-10 * g["best"]]
        fit = loglinear_fit(above["epoch"], above["excess_median"])
        theory = (1 - 2 * lr) ** 2
        ok.append(fit["points"] >= 3 and fit["r2"] >= rule.r2_min and fit["factor"] < 1)
        numbers[f"{dist}.lr{lr:g}.factor"], numbers[f"{dist}.lr{lr:g}.r2"] = fit["factor"], fit["r2"]
        parts.append(f"{dist} lr {lr:g}: x{fit['factor']:.4f}/epoch (theory {theory:.4f}), "
                     f"R^2 {fit['r2']:.3f} over {fit['points']} epochs")
    holds = None if not ok else bool(all(ok))
    parts += _absolute_full_batch(curves, numbers)
    return _sub("geometric convergence (squared, full batch)", holds, numbers, "; ".join(parts) + ".")


def _absolute_full_batch(curves, numbers):
    """Contrast, reported only: the epoch at which full-batch absolute-error descent with a
    constant step reached its minimum (its averaged gradient is exactly 0 between the two
    middle samples), or that it had not by the end."""
    sel = curves[(curves["task.name"] == "constant") & (curves["trainer.batch_size"] == FULL_BATCH)
                 & (curves["trainer.schedule"] == "constant") & (curves["trainer.loss"] == "absolute")]
    parts = []
    for (dist, lr), g in sel.groupby(["task.distribution", "trainer.lr"]):
        done = g.loc[g["excess_median"] <= 1e-12 * g["best"], "epoch"]
        epoch = int(done.min()) if len(done) else None
        numbers[f"{dist}.lr{lr:g}.absolute_settled_epoch"] = epoch
        parts.append(f"(contrast: absolute, {dist} lr {lr:g}: "
                     + (f"at its minimum from epoch {epoch})" if epoch is not None else
                        f"still {g.sort_values('epoch')['excess_median'].iloc[-1]:.2g} above it at the end)"))
    return parts


def choice_matters(boolean, rule):
    if boolean.empty:
        return _sub("choice matters on a boolean task", None, {}, "no boolean runs.")
    rates = rate_table(boolean, ["cell", "trainer.loss"])
    numbers, parts, differs = {}, [], []
    for cell, g in rates.groupby("cell"):
        r = g.set_index("trainer.loss")
        if not {"squared", "absolute"} <= set(r.index):
            continue
        side = order(r.loc["squared", "low"], r.loc["squared", "high"],
                     r.loc["absolute", "low"], r.loc["absolute", "high"])
        by = "success"
        if side == "overlap" and min(r["successes"]) >= rule.min_fits:
            e = {loss: median_interval(boolean.loc[(boolean["cell"] == cell) & (boolean["trainer.loss"] == loss)
                                                   & boolean["fitted"].astype(bool), "fit_epoch"])
                 for loss in ("squared", "absolute")}
            side, by = order(e["squared"][1], e["squared"][2], e["absolute"][1], e["absolute"][2]), "epochs"
        differs.append(side != "overlap")
        numbers[f"{cell}.squared"], numbers[f"{cell}.absolute"] = r.loc["squared", "rate"], r.loc["absolute", "rate"]
        parts.append(f"{cell}: success {r.loc['squared', 'rate']:.2f} (squared) vs "
                     f"{r.loc['absolute', 'rate']:.2f} (absolute), {by} intervals {side}")
    return _sub("choice matters on a boolean task", bool(any(differs)) if differs else None, numbers,
                "; ".join(parts) + ".")


def step_order(constants, rule):
    table = spreads(constants) if len(constants) else None
    if table is None or table.empty:
        return _sub("absolute jitters by about the step", None, {}, "no per-example runs.")
    sel = table[(table["trainer.loss"] == "absolute") & (table["trainer.schedule"] == "constant")]
    low, high = rule.step_band
    ratios = sel["spread"] / sel["trainer.lr"]
    numbers = {f"{d}.lr{lr:g}.spread_over_lr": float(r)
               for d, lr, r in zip(sel["task.distribution"], sel["trainer.lr"], ratios)}
    parts = [f"{d} lr {lr:g}: sd {s:.3g} = {r:.2f} x lr" for d, lr, s, r
             in zip(sel["task.distribution"], sel["trainer.lr"], sel["spread"], ratios)]
    for dist, g in sel.groupby("task.distribution"):
        if g["trainer.lr"].nunique() >= 2:
            slope = np.polyfit(np.log(g["trainer.lr"]), np.log(g["spread"]), 1)[0]
            numbers[f"{dist}.exponent"] = float(slope)
            parts.append(f"{dist}: sd grows like lr^{slope:.2f}")
    contrast = table[(table["trainer.loss"] == "squared") & (table["trainer.schedule"] == "constant")]
    for d, lr, sd in zip(contrast["task.distribution"], contrast["trainer.lr"], contrast["spread"]):
        numbers[f"{d}.lr{lr:g}.squared_spread"] = float(sd)
        parts.append(f"(contrast: squared, {d} lr {lr:g}: sd {sd:.3g})")
    holds = bool(((ratios >= low) & (ratios <= high)).all())
    return _sub("absolute jitters by about the step", holds, numbers,
                "; ".join(parts) + f"; needed within [{low}, {high}] x lr.")
