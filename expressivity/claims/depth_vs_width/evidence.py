"""Evidence for `depth_vs_width`: trained minimal widths per search, and what exists.

Trained side: one row per converged_width search job (``searches``), then
per (function, n, depth, shape) over training seeds and random tables
(``trained``). Existence side (``existence``): exact minimal widths for n <= 4
(step units, SAT), counting lower bounds, constructions and cited sizes, each
with the units it holds for.
"""
import ast

import numpy as np
import pandas as pd

from expressivity.theory.width_bounds import STEP, construction_width, counting_width

JOB_COLUMNS = ("task.name", "task.seed", "task.n", "model.depth", "seed", "summary.min_width",
               "summary.min_widths", "summary.budgets", "summary.converged", "summary.max_width",
               "summary.min_parameters", "summary.non_monotone", "summary.shape")


def _listed(value):
    if isinstance(value, str):
        return ast.literal_eval(value)
    return [] if value is None or (isinstance(value, float) and np.isnan(value)) else list(value)


def searches(jobs):
    """One row per search: function, task_seed, seed, n, depth, shape, min_width (NaN: none up to
    the cap), censored, converged, bound (min_width is only an upper bound: budgets disagreed),
    widths_by_budget, budgets ([epochs, restarts] per level), epochs, restarts (of the last
    level), min_parameters, non_monotone (failures just above an answer)."""
    rows = []
    for _, j in jobs.iterrows():
        budgets = _listed(j["summary.budgets"])
        found = pd.to_numeric(j["summary.min_width"], errors="coerce")
        converged = bool(j["summary.converged"])
        rows.append({"function": j["task.name"], "task_seed": int(j["task.seed"]), "seed": int(j["seed"]),
                     "n": int(j["task.n"]), "depth": int(j["model.depth"]), "shape": j["summary.shape"],
                     "min_width": found, "censored": bool(np.isnan(found)), "converged": converged,
                     "bound": bool(not converged and not np.isnan(found)),
                     "widths_by_budget": _listed(j["summary.min_widths"]), "budgets": budgets,
                     "epochs": budgets[-1][0] if budgets else np.nan,
                     "restarts": budgets[-1][1] if budgets else np.nan,
                     "max_width": int(j["summary.max_width"]),
                     "min_parameters": pd.to_numeric(j["summary.min_parameters"], errors="coerce"),
                     "non_monotone": len(_listed(j["summary.non_monotone"]))})
    columns = ["function", "task_seed", "seed", "n", "depth", "shape", "min_width", "censored", "converged",
               "bound", "widths_by_budget", "budgets", "epochs", "restarts", "max_width", "min_parameters",
               "non_monotone"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["function", "depth", "shape", "n", "task_seed", "seed"]).reset_index(drop=True)


def growth_points(table, function):
    """(n, width, converged_at_largest_n, censored) of the depth-1 uniform searches of one function.

    A search with no fit up to its cap enters at the cap; ``censored`` says some did.
    ``converged_at_largest_n``: every search at the function's largest n converged."""
    part = table[(table["function"] == function) & (table["depth"] == 1)]
    width = np.where(part["censored"], part["max_width"], part["min_width"]).astype(float)
    largest = part["n"] == part["n"].max()
    converged = bool(len(part)) and bool(part.loc[largest, "converged"].all())
    return part["n"].to_numpy(float), width, converged, bool(part["censored"].any())


def trained(table):
    """Per (function, n, depth, shape): searches, median/min/max min_width and min_parameters,
    converged (all), bounds (how many are budget-bound), censored, largest budget."""
    if table.empty:
        return pd.DataFrame(columns=["function", "n", "depth", "shape", "searches", "median", "min", "max",
                                     "parameters", "converged", "bounds", "censored", "epochs", "restarts"])
    grouped = table.groupby(["function", "n", "depth", "shape"])
    out = grouped.agg(searches=("min_width", "size"), median=("min_width", "median"),
                      min=("min_width", "min"), max=("min_width", "max"),
                      parameters=("min_parameters", "median"), converged=("converged", "all"),
                      bounds=("bound", "sum"), censored=("censored", "sum"),
                      epochs=("epochs", "max"), restarts=("restarts", "max"))
    return out.reset_index()


def existence(exact, ns):
    """Per (function, n): exact width (n <= 4; step units), construction widths at depth 1 and at
    depth > 1, and the counting bound for half of all functions (function ``half of all``)."""
    rows = []
    named = exact.set_index(["function", "n"])["min_width"] if len(exact) else pd.Series(dtype=float)
    for n in ns:
        for function in ("parity", "majority", "inner_product"):
            deep = [(d, construction_width(function, n, d)) for d in (2, 3, 4)]
            deep = [(d, w) for d, w in deep if w is not None]
            rows.append({"function": function, "n": n, "units": STEP,
                         "exact_width": named.get((function, n), np.nan),
                         "construction_depth1": construction_width(function, n, 1),
                         "construction_deep": min((w for _, w in deep), default=None),
                         "deep_layers": min(deep, key=lambda t: t[1])[0] if deep else None})
        rows.append({"function": "half of all", "n": n, "units": STEP, "exact_width": np.nan,
                     "lower_bound_depth1": counting_width(n), "lower_bound_any_depth": counting_width(n, "any"),
                     "construction_depth1": construction_width("worst", n, 1)})
    return pd.DataFrame(rows)
