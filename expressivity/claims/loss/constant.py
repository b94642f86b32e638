"""The one number a depth-0 net learned on task=constant, recovered from its record.

A depth-0 net fed zeros outputs its bias b alone. Its record keeps the final
loss and the sup error max|b - y|; for b below the midrange of the samples
the sup error is max(y) - b, so b = max(y) - max_error. The samples are
regenerated from the job config (the task is seeded), and b is accepted only
if the loss it implies matches the recorded final loss: an independent check.
"""
import numpy as np
import pandas as pd

from expressivity.tasks import make_task

MATCH = 1e-6  # relative agreement required between the implied and the recorded loss
DATA_KEYS = ("task.distribution", "task.points", "task.outlier_fraction", "task.seed")


def samples(row):
    """The targets y (points,) of the constant task a table row describes."""
    task = make_task("constant", distribution=row["task.distribution"], points=int(row["task.points"]),
                     outlier_fraction=float(row["task.outlier_fraction"]), seed=int(row["task.seed"]))
    return task.Y[:, 0]


def data_statistics(y):
    """Mean, median, the optimal loss of each, and the clean part's centre.

    The clean points are those below the largest value when that value is
    repeated (the outliers of ``constant_data`` all sit at one value).
    """
    top = np.isclose(y, y.max())
    clean = y[~top] if top.sum() > 1 else y
    median = float(np.median(y))
    return {"mean": float(y.mean()), "median": median,
            "best_squared": float(((y - y.mean()) ** 2).mean()),
            "best_absolute": float(np.abs(y - median).mean()),
            "clean_mean": float(clean.mean()), "clean_median": float(np.median(clean)),
            "outliers": int(top.sum()) if top.sum() > 1 else 0}


def implied_loss(b, y, loss):
    """Loss of the constant prediction b (P,) on samples y (B,): (P,)."""
    diff = np.asarray(b, float)[:, None] - y[None, :]
    return (diff ** 2).mean(axis=1) if loss == "squared" else np.abs(diff).mean(axis=1)


def learned_constants(members):
    """Rows of task=constant with ``b`` (NaN when it cannot be recovered or fails the check)
    and the data statistics of their samples."""
    rows = members[members["task.name"] == "constant"]
    if rows.empty:
        return rows.assign(b=pd.Series(dtype=float))
    parts = []
    for key, group in rows.groupby(list(DATA_KEYS)):
        y = samples(group.iloc[0])
        stats = data_statistics(y)
        group = group.assign(**stats)
        b = y.max() - group["max_error"].to_numpy(float)
        ok = np.isfinite(b) & (b <= (y.max() + y.min()) / 2)
        for loss in group["trainer.loss"].unique():
            mask = (group["trainer.loss"] == loss).to_numpy()
            implied = implied_loss(np.where(ok & mask, b, 0.0), y, loss)
            recorded = group["final_loss"].to_numpy(float)
            agree = np.abs(implied - recorded) <= MATCH * np.maximum(np.abs(recorded), 1e-12)
            ok &= ~mask | agree
        parts.append(group.assign(b=np.where(ok, b, np.nan)))
    return pd.concat(parts)


def excess_curves(curves):
    """Loss curves of task=constant minus the best loss reachable on their samples.

    Adds ``best`` and ``excess_median``, ``excess_q25``, ``excess_q75`` columns.
    """
    rows = curves[curves["task.name"] == "constant"]
    parts = []
    for key, group in rows.groupby(list(DATA_KEYS) + ["trainer.loss"]):
        stats = data_statistics(samples(group.iloc[0]))
        best = stats["best_squared"] if key[-1] == "squared" else stats["best_absolute"]
        parts.append(group.assign(best=best, excess_median=group["median"] - best,
                                  excess_q25=group["q25"] - best, excess_q75=group["q75"] - best))
    return pd.concat(parts) if parts else rows
