"""Sub-claim of `loss`: with a constant step the squared error settles, the absolute error jumps.

Read from the loss curves of the ``loss_settle`` sweep: one number b fitted by
full-batch descent to data that every residual can fit (all targets 1), at
the same constant steps for both losses. The distance d = |b − 1| is the
square root of the squared loss and the absolute loss itself. Over the last
``window`` share of the epochs, a loss *settles* at a step if d keeps
shrinking (max d over the window's second half <= ``settle_shrink`` x max d
over its first half), and *jumps* if it does not shrink and its amplitude
(max d over the window) is of the order of the step (amplitude / lr within
``jump_band``).
"""
import numpy as np
import pandas as pd

SETTLE_KEYS = ("window", "settle_shrink", "jump_band")


def distance(loss_name, values):
    """|b − 1| from the loss of a constant b on all-ones targets: (E,)."""
    values = np.clip(np.asarray(values, float), 0, None)
    return np.sqrt(values) if loss_name == "squared" else values


def settle_table(curves, window):
    """One row per (loss, lr): amplitude, amplitude / lr, shrink factor over the late window.

    Uses the upper quartile over restarts (q75) of the loss at each epoch, so a
    restart that keeps moving is not hidden by a median of restarts that stopped.
    """
    if not 0 < window < 1:
        raise ValueError(f"window={window!r}; allowed: a share of the epochs in (0, 1)")
    rows = []
    for (loss_name, lr), g in curves.groupby(["trainer.loss", "trainer.lr"]):
        g = g.sort_values("epoch")
        late = g[g["epoch"] >= g["epoch"].max() * (1 - window)]
        d = distance(loss_name, late["q75"])
        half = len(d) // 2
        first, second = d[:half].max(initial=0.0), d[half:].max(initial=0.0)
        amplitude = float(d.max(initial=0.0))
        rows.append({"loss": loss_name, "lr": float(lr), "epochs": int(g["epoch"].max()),
                     "amplitude": amplitude, "amplitude_over_lr": amplitude / lr,
                     "shrink": second / first if first > 0 else 0.0})
    return pd.DataFrame(rows)


def judge(table, settle_shrink, jump_band, floor=None):
    """Adds ``settles`` and ``jumps`` columns to a settle_table. ``floor`` (rule v3 of `loss`,
    issue 19): an amplitude at or below it (a few ulp of the value b = 1) has settled at the
    rounding floor, where nothing is left to shrink."""
    low, high = jump_band
    table = table.copy()
    table["settles"] = table["shrink"] <= settle_shrink
    if floor is not None:
        table["settles"] |= table["amplitude"] <= floor
    table["jumps"] = ~table["settles"] & table["amplitude_over_lr"].between(low, high)
    return table


def settles_versus_jumps(curves, window, settle_shrink, jump_band, floor_ulps=None):
    """(holds, numbers, line): holds when squared settles and absolute jumps at every step;
    None without both losses at >= 2 steps. ``floor_ulps``: see ``judge`` (in ulp of 1.0)."""
    floor = None if floor_ulps is None else floor_ulps * float(np.spacing(1.0))
    sel = curves[(curves["task.name"] == "constant") & (curves["task.distribution"] == "point")] \
        if len(curves) else curves
    if sel.empty or not {"squared", "absolute"} <= set(sel["trainer.loss"]) \
            or sel["trainer.lr"].nunique() < 2:
        return None, {}, "no loss_settle runs with both losses at two or more steps."
    table = judge(settle_table(sel, window), settle_shrink, jump_band, floor)
    sq, ab = table[table["loss"] == "squared"], table[table["loss"] == "absolute"]
    holds = bool(sq["settles"].all() and ab["jumps"].all())
    numbers = {f"{r.loss}.lr{r.lr:g}.{k}": float(getattr(r, k))
               for r in table.itertuples() for k in ("amplitude_over_lr", "shrink")}
    slope = np.polyfit(np.log(ab["lr"]), np.log(np.maximum(ab["amplitude"], 1e-300)), 1)[0]
    numbers["absolute.amplitude_exponent"] = float(slope)
    parts = [f"{r.loss} lr {r.lr:g}: late |b - 1| up to {r.amplitude:.2g} = {r.amplitude_over_lr:.2g} x lr, "
             f"shrinking x{r.shrink:.2g} across the window ({'settles' if r.settles else 'jumps' if r.jumps else 'neither'})"
             for r in table.itertuples()]
    line = ("; ".join(parts) + f"; absolute amplitude grows like lr^{slope:.2f}. Needed: squared shrinks "
            f"by <= x{settle_shrink}"
            + (f" (or is within {floor_ulps:g} ulp of 1: {floor:.2g})" if floor is not None else "")
            + f" and absolute stays within {list(jump_band)} x lr, at every step (same steps for "
            "both losses).")
    return holds, numbers, line
