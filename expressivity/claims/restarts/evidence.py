"""Tables behind claim `restarts`: p(width) per cell and arm, where failures ended, budgets.

A boolean cell is (task instance, hidden activation, arm); the arm is the loss
and output unit: ``essay`` (squared loss, sigmoid output), ``bce``
(cross-entropy, sigmoid output), ``linear`` (squared loss, identity output).
Teacher-student rows (``task.name == teacher_student``) are kept apart.
"""
import numpy as np
import pandas as pd

from expressivity.claims.stats import restarts_for
from expressivity.claims.summaries import rate_table, task_labels

ARMS = {("squared", "sigmoid"): "essay", ("bce", "sigmoid"): "bce", ("squared", "identity"): "linear"}
CELL = ["cell", "activation", "arm"]
STUCK_CLASSES = ("saturated", "saddle", "local_minimum")   # the gradient has vanished
# ``plateau`` (diagnose.py, issue 19): slow at negative curvature, so neither stuck nor free
BUDGET_SHARES = (1 / 3, 2 / 3, 1.0)


def prepare(members):
    """Boolean members with ``cell``, ``activation``, ``arm``, ``lr`` (tuned or set) columns."""
    members = members[members["task.name"] != "teacher_student"].copy()
    if members.empty:
        return members
    members["cell"] = task_labels(members)
    members["activation"] = members["model.activation"]
    members["arm"] = [ARMS.get((l, o), f"{l}/{o}") for l, o in
                      zip(members["trainer.loss"], members["model.output_activation"])]
    members["lr"] = members["tuned.trainer.lr"] if "tuned.trainer.lr" in members else members["trainer.lr"]
    if "diag.class" not in members:
        members["diag.class"] = np.nan
    return members


def top_budget(members):
    """Only the jobs of the largest epoch budget run per (cell, activation, arm, width): a
    budget ladder (restarts_ladder.yaml) re-runs some cells at a larger budget."""
    if members.empty:
        return members
    top = members.groupby(CELL + ["width"])["trainer.max_epochs"].transform("max")
    return members[members["trainer.max_epochs"] == top]


def ladder(members):
    """p at each epoch budget run, per cell at its largest width: one row per (cell, budget)."""
    if members.empty:
        return members
    wide = members[members["width"] == members.groupby(CELL)["width"].transform("max")]
    table = rate_table(wide, CELL + ["trainer.max_epochs"])
    return table.rename(columns={"trainer.max_epochs": "epochs"})[CELL + ["epochs", "successes",
                                                                        "trials", "rate", "low", "high"]]


def rates(members, target, essay_restarts):
    """p per (cell, activation, arm, width), Wilson bounds, restarts needed for ``target``;
    ``epochs`` is the budget the jobs ran (the largest run, see ``top_budget``)."""
    table = rate_table(members, CELL + ["width"])
    table["needed"] = restarts_for(table["rate"], target)
    table["needed_low"] = restarts_for(table["high"], target)
    table["needed_high"] = restarts_for(table["low"], target)
    table[f"p_best_of_{essay_restarts}"] = 1 - (1 - table["rate"]) ** essay_restarts
    lr = members.groupby(CELL + ["width"]).agg(lr=("lr", "first"),
                                               epochs=("trainer.max_epochs", "max")).reset_index()
    return table.merge(lr, on=CELL + ["width"]).merge(ended(members), on=CELL + ["width"], how="left")


def ended(members):
    """Counts of diagnosed failure classes per (cell, activation, arm, width)."""
    failed = members[~members["fitted"].astype(bool) & members["diag.class"].notna()]
    counts = failed.groupby(CELL + ["width", "diag.class"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["diverged", "moving", "plateau", *STUCK_CLASSES], fill_value=0)
    counts["diagnosed"] = counts.sum(axis=1)
    return counts.reset_index()


def wide_cells(table, free_low, stuck_high):
    """One row per cell at its largest width: p, bounds, the failure classes, and the label
    ``free`` (Wilson low >= free_low), ``stuck`` (high <= stuck_high and most diagnosed
    failures have a vanished gradient), ``slow`` (high <= stuck_high, failures still moving)
    or ``between``; plus the smallest width with a fit and p there."""
    rows = []
    for key, g in table.groupby(CELL):
        g = g.sort_values("width")
        wide, fitting = g.iloc[-1], g[g["successes"] > 0]
        stuck_share = _share(wide, STUCK_CLASSES)
        if wide["low"] >= free_low:
            label = "free"
        elif wide["high"] <= stuck_high:
            label = "stuck" if stuck_share > 0.5 else "slow"
        else:
            label = "between"
        rows.append({**dict(zip(CELL, key)), "width": int(wide["width"]), "p": wide["rate"],
                     "low": wide["low"], "high": wide["high"], "lr": wide["lr"],
                     "epochs": int(wide["epochs"]),
                     "stuck_share": stuck_share, "moving_share": _share(wide, ("moving",)),
                     "label": label,
                     "smallest_fitting_width": int(fitting.iloc[0]["width"]) if len(fitting) else None,
                     "p_smallest_fitting": fitting.iloc[0]["rate"] if len(fitting) else np.nan,
                     "fewest_restarts_needed": float(g["needed_high"].min())})
    return pd.DataFrame(rows)


def _share(row, classes):
    diagnosed = row.get("diagnosed", 0)
    if not diagnosed or not np.isfinite(diagnosed):
        return np.nan
    return float(sum(row.get(c, 0) for c in classes) / diagnosed)


def budget_rates(members, shares=BUDGET_SHARES):
    """p at the largest width of each cell when the budget is cut to a share of the epochs:
    a restart counts if it first fitted by then (``fit_epoch``). One row per cell, one column
    per share."""
    epochs = float(members["trainer.max_epochs"].max())
    rows = []
    for key, g in members.groupby(CELL):
        wide = g[g["width"] == g["width"].max()]
        fit = wide["fit_epoch"].to_numpy(float)
        row = dict(zip(CELL, key))
        for s in shares:
            row[f"p_at_{int(round(s * epochs))}"] = float(((fit >= 0) & (fit <= s * epochs)).mean())
        rows.append(row)
    return pd.DataFrame(rows)


def cut_budget(members, share):
    """Members as if training had stopped at ``share`` of the epochs: fitted once fit by then."""
    cut = members.copy()
    fit = cut["fit_epoch"].to_numpy(float)
    cut["fitted"] = (fit >= 0) & (fit <= share * float(cut["trainer.max_epochs"].max()))
    return cut


def teacher_table(members):
    """Teacher-student: per (k, n) the share fitted, the failure classes, the tuned lr."""
    ts = members[members["task.name"] == "teacher_student"].copy()
    if ts.empty:
        return pd.DataFrame()
    ts["k"] = ts["task.n"].astype(int)
    ts["lr"] = ts["tuned.trainer.lr"] if "tuned.trainer.lr" in ts else ts["trainer.lr"]
    if "diag.class" not in ts:
        ts["diag.class"] = np.nan
    table = rate_table(ts, ["k", "width"])
    classes = ts[ts["diag.class"].notna()].groupby(["k", "width", "diag.class"]).size().unstack(fill_value=0)
    classes = classes.reindex(columns=["moving", "saddle", "local_minimum", "diverged"], fill_value=0)
    table = table.merge(classes.reset_index(), on=["k", "width"], how="left").fillna(
        {c: 0 for c in classes.columns})
    table["failed"] = table["trials"] - table["successes"]
    table["lr"] = table.apply(lambda r: ts[(ts["k"] == r["k"]) & (ts["width"] == r["width"])]["lr"].iloc[0],
                              axis=1)
    table["overparameterisation"] = table["width"] / table["k"]
    return table
