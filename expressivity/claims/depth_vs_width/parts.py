"""The three parts of `depth_vs_width` (rule v4, registered 2026-12-04), each with its own verdict.

(a) one hidden layer represents every boolean function: the DNF net run on every function of
    n <= universal_max_n bits (``depth_constructions`` job) gets none wrong;
(b) some functions need exponentially many units in one layer: the counting bound
    (``rules.decide_exists_on``, rule v3's existence rule, unchanged); training on random
    tables at depth 1 and 2 is reported beside it with the classifier's error rates;
(c) depth makes structured functions cheaper: ``depth_rule.decide_depth``. On the exists side
    only on the product, the one family here with a PROVEN one-layer lower bound (2ⁿ units,
    Rolnick & Tegmark 2018) against its tree; the boolean families' depth-1 numbers are
    constructions (upper bounds), so their constructed ratios are shown, not deciding. On the
    training side on the trained minimal parameter counts of every family.

``combine`` makes one side's verdict from its parts: inconclusive if any part is; supported
(refuted) if all are supported (refuted); mixed otherwise.
"""
import numpy as np
import pandas as pd

from expressivity.claims.constructed import construction_frame
from expressivity.claims.contract import Decision
from expressivity.claims.regression_widths import cell_table, minimal_widths
from expressivity.claims.depth_vs_width.depth_rule import decide_depth, ratio_table

CONSTRUCTION = "depth_constructions"
PRODUCT_SWEEP = "depth_product"


def construction_rows(tables, rule):
    """The ``depth_constructions`` record's rows (registered parameters checked), or None if absent."""
    rows = getattr(tables, "rows", None)
    if rows is None or rows.empty or CONSTRUCTION not in set(rows.get("construction.name", [])):
        return None
    return construction_frame(tables, CONSTRUCTION, {
        "families": rule.construction_families, "min_n": rule.construction_min_n,
        "max_n": rule.construction_max_n, "sat_max_n": rule.sat_max_n,
        "sat_parity_max_n": rule.sat_parity_max_n, "product_max_n": rule.product_max_n,
        "scales": rule.product_scales, "samples": rule.product_samples, "seed": rule.product_seed,
        "universal_max_n": rule.universal_max_n})


def combine(verdicts):
    """One side's verdict from its parts' verdicts."""
    verdicts = list(verdicts)
    if not verdicts or "inconclusive" in verdicts:
        return "inconclusive"
    if all(v == verdicts[0] for v in verdicts) and verdicts[0] in ("supported", "refuted"):
        return verdicts[0]
    return "mixed"


def part_a(rows):
    """(a): supported if the DNF net is right on every function of every n run; refuted if wrong on any."""
    if rows is None:
        return Decision("inconclusive", {"a.reason": "no depth_constructions record"})
    part = rows[rows["kind"] == "universal"]
    if part.empty:
        return Decision("inconclusive", {"a.reason": "no universal rows"})
    wrong = int(part["wrong"].sum())
    return Decision("supported" if wrong == 0 else "refuted",
                    {"a.wrong": wrong, "a.functions": int(part["functions"].sum()), "a.n_max": int(part["n"].max())})


def constructed_sizes(rows):
    """Per (family, n, depth): the smallest coded construction (units, parameters, its name), every
    one checked on all inputs (``exact``), beside the SAT minimum where run; the product's tree and
    one-layer nets with their sup error."""
    if rows is None:
        return pd.DataFrame(columns=["family", "n", "depth", "units", "parameters", "construction", "exact", "kind"])
    part = rows[rows["kind"].isin(["construction", "product", "sat"])].copy()
    part = part.sort_values(["family", "n", "depth", "kind", "units"])
    return part.groupby(["family", "n", "depth", "kind"], as_index=False).first()


def product_proven_table(rows):
    """The exists-side table of (c) for the product: depth 1 is the PROVEN lower bound (2ⁿ units in
    a (n, 2ⁿ, 1) net), deep is the tree; one row per (n, depth) with ``parameters``."""
    if rows is None:
        return pd.DataFrame(columns=["family", "n", "depth", "parameters"])
    part = rows[(rows["kind"] == "product")]
    out = []
    for n in sorted(part["n"].unique()):
        out.append({"family": "product", "n": int(n), "depth": 1, "parameters": float((int(n) + 2) * 2 ** int(n) + 1)})
        tree = part[(part["n"] == n) & (part["construction"] == "tree") & (part["depth"] > 1)]
        for _, r in tree.iterrows():
            out.append({"family": "product", "n": int(n), "depth": int(r["depth"]), "parameters": float(r["parameters"])})
    return pd.DataFrame(out, columns=["family", "n", "depth", "parameters"])


def constructed_ratio_table(rows, families):
    """Per boolean family and n: ln(best depth-1 construction / best deep construction), parameters:
    reported, not deciding (depth-1 constructions are upper bounds)."""
    sizes = constructed_sizes(rows)
    sizes = sizes[sizes["kind"] == "construction"]
    return pd.concat([ratio_table(sizes, f) for f in families], ignore_index=True) if len(sizes) else \
        pd.DataFrame(columns=["family", "n", "depth1", "deep", "deep_depth", "log_ratio"])


def part_c_exists(rows, rule):
    if rows is None:
        return Decision("inconclusive", {"c.reason": "no depth_constructions record"})
    verdict, numbers = decide_depth(product_proven_table(rows), ["product"], ["product"], rule.depth_min_n,
                                    rule.depth_resamples, rule.depth_level)
    return Decision(verdict, {f"c.exists.{k}": v for k, v in numbers.items()})


def trained_depth_table(searches, product_minimal):
    """Rows family, n, depth, seed, parameters, units, shape for the training side of (c): per converged search
    (rule v3's tolerance applied before) its minimal parameter count, the smaller over shapes;
    random tables keep each (table, seed) as one replicate; the product: the smallest grid width
    reaching the registered relative MSE (one replicate per cell: the best of its restarts)."""
    rows = []
    if searches is not None and len(searches):
        ok = searches[searches["converged"] & ~searches["censored"]].sort_values("min_parameters")
        best = ok.groupby(["function", "n", "depth", "task_seed", "seed"], as_index=False).first()
        for _, r in best.iterrows():
            rows.append({"family": r["function"], "n": int(r["n"]), "depth": int(r["depth"]),
                         "seed": int(r["seed"]) * 1000 + int(r["task_seed"]), "parameters": float(r["min_parameters"]),
                         "units": total_units(int(r["min_width"]), int(r["depth"]), r["shape"]), "shape": r["shape"]})
    if product_minimal is not None and len(product_minimal):
        for _, r in product_minimal[product_minimal["learned"]].iterrows():
            widths = [int(r["min_width"])] * int(r["depth"])
            rows.append({"family": "product", "n": int(r["n"]), "depth": int(r["depth"]), "seed": 0,
                         "parameters": float(uniform_parameters(int(r["n"]), widths)), "units": sum(widths),
                         "shape": "uniform"})
    return pd.DataFrame(rows, columns=["family", "n", "depth", "seed", "parameters", "units", "shape"])


def product_cells(members, curves, tolerance):
    """Minimal trained widths of the ``depth_product`` sweep at ``tolerance`` (relative MSE), or None."""
    if members is None or members.empty or "experiment" not in members:
        return None
    part = members[members["experiment"] == PRODUCT_SWEEP]
    if part.empty:
        return None
    c = curves[curves["experiment"] == PRODUCT_SWEEP] if len(curves) and "experiment" in curves else curves
    return minimal_widths(cell_table(part, c), tolerance)


def part_c_training(table, rule):
    verdict, numbers = decide_depth(table, rule.depth_families, rule.depth_named, rule.depth_min_n,
                                    rule.depth_resamples, rule.depth_level)
    return Decision(verdict, {f"c.training.{k}": v for k, v in numbers.items()})


def total_units(width, depth, shape):
    """Hidden units of a search's answer: uniform [w]·depth, halving [w, ⌈w/2⌉, ⌈w/4⌉, …]."""
    if shape == "halving":
        return sum(-(-width // 2 ** i) for i in range(depth))
    return width * depth


def uniform_parameters(n_in, widths, n_out=1):
    """Weights and biases of a net with hidden ``widths``: Σ (fan_in + 1) · fan_out."""
    sizes = [n_in, *widths, n_out]
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
