"""Smallest trained widths on a regression target, shared by claims: per (n, depth, width) cell the
best and median relative MSE (MSE / variance of the targets), and the smallest width of a grid
that reaches a tolerance (from ``product``'s training side; ``depth_vs_width`` reads it too)."""
import numpy as np
import pandas as pd

from expressivity.tasks import make_task
from expressivity.claims.tuned import trained_value


def target_variance(row):
    """Variance of the product targets a job trained on."""
    task = make_task("product", n=int(row["task.n"]), points=int(row["task.points"]),
                     sampling=row["task.sampling"], seed=int(row["task.seed"]))
    return float(task.Y.var())


def cell_table(members, curves):
    """One row per (n, depth, width): tuned lr, best and median relative MSE, and the 5% quantile
    relative MSE at the last and at half the recorded epochs."""
    rows = []
    keys = ["task.n", "model.depth", "model.width", "trainer.max_epochs"]
    for (n, depth, width, epochs), g in members.groupby(keys):
        var = target_variance(g.iloc[0])
        loss = g["final_loss"].to_numpy(float)
        loss = np.where(np.isfinite(loss), loss, np.inf)
        c = curves[(curves["task.n"] == n) & (curves["model.depth"] == depth)
                   & (curves["model.width"] == width)] if len(curves) else curves
        if len(c) and "trainer.max_epochs" in c:
            c = c[c["trainer.max_epochs"] == epochs]
        c = c.sort_values("epoch") if len(c) else c
        half = c[c["epoch"] <= c["epoch"].max() / 2] if len(c) else c
        rows.append({"n": int(n), "depth": int(depth), "width": int(width), "units": int(depth * width),
                     "lr": trained_value(g), "restarts": len(g),
                     "best_rel_mse": float(loss.min() / var), "median_rel_mse": float(np.median(loss) / var),
                     "q05_rel_mse_half_budget": float(half["q05"].iloc[-1] / var) if len(half) else np.nan,
                     "epochs": int(epochs)})
    return pd.DataFrame(rows)


def top_budget(cells):
    """Per (n, depth, width) only the row of the largest epoch budget run."""
    top = cells.groupby(["n", "depth", "width"])["epochs"].transform("max")
    return cells[cells["epochs"] == top]


def minimal_widths(cells, tolerance, column="best_rel_mse"):
    """Per (n, depth): the smallest width whose ``column`` <= tolerance (NaN if none), its units,
    and the grid's largest width (the bound when none learns)."""
    rows = []
    if "epochs" in cells:
        cells = top_budget(cells)
    for (n, depth), g in cells.groupby(["n", "depth"]):
        ok = g[g[column] <= tolerance].sort_values("width")
        width = int(ok["width"].iloc[0]) if len(ok) else np.nan
        widest = g.sort_values("width").iloc[-1]
        rows.append({"n": n, "depth": depth, "min_width": width,
                     "min_units": width * depth if len(ok) else np.nan,
                     "largest_width": int(widest["width"]), "learned": bool(len(ok)),
                     "epochs": int(widest["epochs"]) if "epochs" in g else np.nan})
    return pd.DataFrame(rows)
