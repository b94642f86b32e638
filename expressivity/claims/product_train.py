"""product, training side: the smallest width at which trained nets learn the product of n inputs.

From the ``product_train`` sweep (tuned step per cell): a cell (n, depth,
width) *learns* the product when its best restart ends with relative MSE
(MSE / variance of the targets) <= ``train_rel_mse``. The minimal trained width
per (n, depth) is the smallest width of the grid that learns; none learning
is reported as a lower bound (above the grid's largest width) with its epoch
budget. The same search at half the budget (the 5% quantile of the restarts'
loss curve, close to the best of 16) shows how the number moves with budget.
"""
import numpy as np
import pandas as pd

from ..tasks import make_task
from .tuned import trained_value


def target_variance(row):
    """Variance of the product targets a job trained on."""
    task = make_task("product", n=int(row["task.n"]), points=int(row["task.points"]),
                     sampling=row["task.sampling"], seed=int(row["task.seed"]))
    return float(task.Y.var())


def cell_table(members, curves):
    """One row per (n, depth, width): tuned lr, best and median relative MSE, and the 5% quantile
    relative MSE at the last and at half the recorded epochs."""
    rows = []
    keys = ["task.n", "model.depth", "model.width"]
    for (n, depth, width), g in members.groupby(keys):
        var = target_variance(g.iloc[0])
        loss = g["final_loss"].to_numpy(float)
        loss = np.where(np.isfinite(loss), loss, np.inf)
        c = curves[(curves["task.n"] == n) & (curves["model.depth"] == depth)
                   & (curves["model.width"] == width)].sort_values("epoch") if len(curves) else curves
        half = c[c["epoch"] <= c["epoch"].max() / 2] if len(c) else c
        rows.append({"n": int(n), "depth": int(depth), "width": int(width), "units": int(depth * width),
                     "lr": trained_value(g), "restarts": len(g),
                     "best_rel_mse": float(loss.min() / var), "median_rel_mse": float(np.median(loss) / var),
                     "q05_rel_mse_half_budget": float(half["q05"].iloc[-1] / var) if len(half) else np.nan,
                     "epochs": int(g["trainer.max_epochs"].iloc[0])})
    return pd.DataFrame(rows)


def minimal_widths(cells, tolerance, column="best_rel_mse"):
    """Per (n, depth): the smallest width whose ``column`` <= tolerance (NaN if none), its units,
    and the grid's largest width (the bound when none learns)."""
    rows = []
    for (n, depth), g in cells.groupby(["n", "depth"]):
        ok = g[g[column] <= tolerance].sort_values("width")
        width = int(ok["width"].iloc[0]) if len(ok) else np.nan
        rows.append({"n": n, "depth": depth, "min_width": width,
                     "min_units": width * depth if len(ok) else np.nan,
                     "largest_width": int(g["width"].max()), "learned": bool(len(ok))})
    return pd.DataFrame(rows)


def decide(minimal, construction_shallow_units):
    """Training verdict on 'deep multiplies with fewer neurons than shallow'.

    For each n >= 3 with both depths: deep is cheaper when its minimal units are fewer than
    shallow's, where a shallow net that never learned counts as more than its grid (a bound).
    supported: deep cheaper for every such n; refuted: shallow no more expensive for every n;
    mixed otherwise; inconclusive if at the largest n neither depth learned (two bounds).
    ``construction_shallow_units`` (n -> 2ⁿ) is reported, not deciding.
    """
    del construction_shallow_units
    rows = []
    for n, g in minimal[minimal["n"] >= 3].groupby("n"):
        by = g.set_index("depth")
        if not {1, 2} <= set(by.index):
            continue
        shallow, deep = by.loc[1], by.loc[2]
        if not shallow["learned"] and not deep["learned"]:
            rows.append("unknown")
            continue
        s = shallow["min_units"] if shallow["learned"] else shallow["largest_width"] + 0.5
        d = deep["min_units"] if deep["learned"] else np.inf
        rows.append("deep" if d < s else "shallow")
    if not rows or rows[-1] == "unknown":
        return "inconclusive"
    if all(r == "deep" for r in rows):
        return "supported"
    return "refuted" if all(r == "shallow" for r in rows) else "mixed"
