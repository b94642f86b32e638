"""What the tuning protocol chose, read back from the member tables, and what a schedule spends.

A job run with ``tune.enabled`` records the value it chose (``tuned.<param>``
columns of ``members``); a job without it trained at its configured value.
"""
import numpy as np
import pandas as pd

from expressivity.tasks import make_task
from expressivity.train.schedules import SCHEDULES


def trained_value(group, key="trainer.lr"):
    """The value a job's restarts were trained at: the tuned one if the tuner ran, else the config's."""
    tuned = f"tuned.{key}"
    if tuned in group and group[tuned].notna().all():
        return float(group[tuned].iloc[0])
    if key not in group:
        raise ValueError(f"members have no column {key!r}; allowed: a sweep that records {key}")
    return float(group[key].iloc[0])


def tuned_table(members, keys, key="trainer.lr"):
    """One row per cell (``keys``): the value trained at and whether the tuner chose it."""
    rows = []
    for cell, g in members.groupby(list(keys)):
        cell = cell if isinstance(cell, tuple) else (cell,)
        rows.append({**dict(zip(keys, cell)), key: trained_value(g, key),
                     "tuned": bool(f"tuned.{key}" in g and g[f"tuned.{key}"].notna().all())})
    return pd.DataFrame(rows)


def cumulative_step(schedule, lr, epochs, steps_per_epoch, tau, gamma, step_every):
    """Sum of the step sizes over the whole budget: steps_per_epoch · Σ_epochs schedule(lr, epoch)."""
    if schedule not in SCHEDULES:
        raise ValueError(f"trainer.schedule={schedule!r}; allowed: {', '.join(SCHEDULES)}")
    fn = SCHEDULES[schedule]
    return float(steps_per_epoch * np.sum([fn(lr, e, tau, gamma, step_every) for e in range(int(epochs))]))


def steps_per_epoch(row):
    """Steps per epoch: the number of examples under per-example SGD (batch_size 1), else 1."""
    if int(row["trainer.batch_size"]) != 1:
        return 1
    task = make_task(row["task.name"], n=int(row["task.n"]), points=int(row["task.points"]),
                     sampling=row.get("task.sampling", "grid"))
    return len(task.X)


def job_cumulative_step(group):
    """cumulative_step of one job's rows (its schedule, trained lr, epochs and examples)."""
    row = group.iloc[0]
    return cumulative_step(row["trainer.schedule"], trained_value(group), row["trainer.max_epochs"],
                           steps_per_epoch(row), row["trainer.tau"], row["trainer.gamma"],
                           row["trainer.step_every"])


def describe(members, keys, key="trainer.lr"):
    """'a=x / b=y: lr 0.3 (tuned); …' for the cells of ``keys``: what each arm trained at."""
    if members.empty:
        return "no runs"
    table = tuned_table(members, keys, key)
    return "; ".join(" / ".join(str(r[k]) for k in keys) + f": {key.split('.')[-1]} {r[key]:g}"
                     + (" (tuned)" if r["tuned"] else " (fixed)") for _, r in table.iterrows())
