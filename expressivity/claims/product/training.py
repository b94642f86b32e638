"""product, training side: the smallest width at which trained nets learn the product of n inputs.

From the ``product_train`` sweep (tuned step per cell): a cell (n, depth,
width) *learns* the product when its best restart ends with relative MSE
(MSE / variance of the targets) <= ``train_rel_mse``. The minimal trained width
per (n, depth) is the smallest width of the grid that learns; none learning
is reported as a lower bound (above the grid's largest width) with its epoch
budget. The same search at half the budget (the 5% quantile of the restarts'
loss curve, close to the best of 16) shows how the number moves with budget.
A budget ladder (``product_train_ladder``) re-runs some cells at a larger
budget: every cell keeps its own budget in ``epochs``, the minimal width reads
each (n, depth, width) at the largest budget run (``top_budget``), and
``ladder`` shows the best relative MSE at every rung.
"""
import numpy as np
import pandas as pd

from expressivity.claims.regression_widths import cell_table, minimal_widths, target_variance, top_budget

__all__ = ["cell_table", "minimal_widths", "target_variance", "top_budget", "ladder", "decide",
           "compare_bounded", "decide_bounded"]


def ladder(cells):
    """Cells run at more than one budget: best relative MSE per budget, one column per budget."""
    runs = cells.groupby(["n", "depth", "width"])["epochs"].transform("nunique")
    laddered = cells[runs > 1]
    if laddered.empty:
        return pd.DataFrame()
    table = laddered.pivot_table(index=["n", "depth", "width"], columns="epochs",
                                 values="best_rel_mse")
    table.columns = [f"best_rel_mse_at_{int(e)}" for e in table.columns]
    return table.reset_index()


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
    for n, shallow, deep in _depth_pairs(minimal):
        if not shallow["learned"] and not deep["learned"]:
            rows.append("unknown")
            continue
        s = shallow["min_units"] if shallow["learned"] else shallow["largest_width"] + 0.5
        d = deep["min_units"] if deep["learned"] else np.inf
        rows.append("deep" if d < s else "shallow")
    if not rows or rows[-1] == "unknown":
        return "inconclusive"
    return _verdict(rows)


def _depth_pairs(minimal):
    """(n, shallow row, deep row) for every n >= 3 that has both depths 1 and 2."""
    for n, g in minimal[minimal["n"] >= 3].groupby("n"):
        by = g.set_index("depth")
        if {1, 2} <= set(by.index):
            yield n, by.loc[1], by.loc[2]


def _verdict(rows):
    if all(r == "deep" for r in rows):
        return "supported"
    return "refuted" if all(r == "shallow" for r in rows) else "mixed"


def compare_bounded(minimal):
    """Per n >= 3 with both depths, at each cell's largest budget: ``deep``, ``shallow`` or
    ``bounds`` (neither learned: both are bounds with their budget). A side that did not
    learn counts as more units than its grid's largest (a bound); deep decides against a
    shallow bound only if it learned with no more units than the shallow grid's largest."""
    out = {}
    for n, shallow, deep in _depth_pairs(minimal):
        if not shallow["learned"] and not deep["learned"]:
            out[int(n)] = "bounds"
        elif shallow["learned"] and deep["learned"]:
            out[int(n)] = "deep" if deep["min_units"] < shallow["min_units"] else "shallow"
        elif deep["learned"]:
            out[int(n)] = "deep" if deep["min_units"] <= shallow["largest_width"] else "bounds"
        else:
            out[int(n)] = "shallow" if shallow["min_units"] <= deep["largest_width"] * 2 else "bounds"
    return out


def decide_bounded(minimal):
    """Registered 2026-12-03 (rule_history in product.yaml): the n where both sides are bounds
    are reported with their budget and leave the verdict; the others decide. Supported if
    deep is cheaper at every decided n, refuted if shallow is no more expensive at every
    decided n, mixed otherwise, inconclusive with no decided n."""
    rows = [r for r in compare_bounded(minimal).values() if r != "bounds"]
    return _verdict(rows) if rows else "inconclusive"
