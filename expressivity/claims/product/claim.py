"""product: multiplying n numbers takes ~4(n−1) neurons deep but 2ⁿ shallow.

Settled by construction (``theory.product``): the 4-unit gate's error as its
scale shrinks, and tree vs one-hidden-layer networks for products of n inputs,
all run as MLPs: verified constructions, run as construction jobs
(``constructions.product``, sweep ``product_constructions``). Training (``product_train``): one- and
two-hidden-layer tanh nets learn the product at a tuned step; the smallest
width of a grid that reaches a relative error, a bound with its budget.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from expressivity.theory.product import gate_error_coefficient
from expressivity.claims.product import training as pt
from expressivity.claims.constructed import construction_frame
from expressivity.claims.contract import Decision
from expressivity.claims.ladder import Ladder, decide_with_bounds, read
from expressivity.claims.summaries import markdown

ID = "product"
VERIFIED = ("exists",)   # constructions and exact computations: only a bug can fail them (issue 19)
# Member columns the training side reads (sweep product_train).
COLUMNS = ("task.n", "model.depth", "model.width", "final_loss", "trainer.max_epochs")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of product.yaml."""
    gate_scales: list
    slope_range: list
    max_n: int
    scales: list
    samples: int
    shallow_shift: float
    tolerance: float
    seed: int
    train_rel_mse: float
    train_ladder_tolerance: float = 0.001


def gate_table(tables, scales):
    """Sup error of the softplus gate on a 41x41 grid of [−1, 1]² at each scale λ, read from the
    ``product_gate`` construction record."""
    return construction_frame(tables, "product_gate", {"scales": scales})


def slope(table):
    """Least-squares slope of log error against log scale."""
    return float(np.polyfit(np.log(table["scale"]), np.log(table["error"]), 1)[0])


def network_table(tables, rule):
    """Per n: units and best sup error (over the scales) of the tree and the shallow net, read
    from the ``product_networks`` construction record."""
    return construction_frame(tables, "product_networks", {
        "max_n": rule.max_n, "scales": rule.scales, "samples": rule.samples,
        "shallow_shift": rule.shallow_shift, "seed": rule.seed})


def verdict(gate_slope, nets, rule):
    low, high = rule.slope_range
    big = nets[nets["n"] >= 4].sort_values("n")
    if big.empty:
        return "inconclusive"
    if not (big["tree_units"] < big["shallow_units"]).all():
        return "refuted"
    ratio_grows = big["ratio"].iloc[-1] > big["ratio"].iloc[0]
    accurate = ((nets[["tree_error", "shallow_error"]] <= rule.tolerance).all().all())
    return "supported" if low <= gate_slope <= high and accurate and ratio_grows else "mixed"


def evidence(tables, rule):
    """The gate and the product networks (construction records), and the trained nets (members)."""
    gate = gate_table(tables, rule.gate_scales)
    members = tables.members
    cells = pt.cell_table(members, tables.curves) if len(members) else pd.DataFrame()
    minimal = pt.minimal_widths(cells, rule.train_rel_mse) if len(cells) else pd.DataFrame()
    half = pt.minimal_widths(cells, rule.train_rel_mse, "q05_rel_mse_half_budget") if len(cells) \
        else pd.DataFrame()
    return SimpleNamespace(gate=gate, gate_slope=slope(gate), nets=network_table(tables, rule),
                           coefficient=float(gate_error_coefficient()), cells=cells,
                           minimal=minimal, half=half,
                           ladder=pt.ladder(cells) if len(cells) else pd.DataFrame())


def decide_training(ev, rule):
    """Rule v4 (issue 19, 2026-12-04): as v3 (``decide_training_ladder``), but an n where both
    depths are bounds stays in: it is counted once as deep cheaper and once as shallow no more
    expensive (``ladder.decide_with_bounds``); where the readings disagree the verdict is
    ``inconclusive: budget``, with the budget, the rate the best relative MSE at the largest
    width was still moving at between rungs, and the sensitivity line (bounds against)."""
    if ev.minimal.empty:
        return Decision("inconclusive", {"cells": 0})
    compared = pt.compare_bounded(ev.minimal)
    numbers = {**{f"n{n}_compared": v for n, v in compared.items()},
               **decide_training_before_ladder(ev, rule).numbers}
    bounds = {n: _bound_rung(ev, n, rule) for n, v in compared.items() if v == "bounds"}

    def verdict(assumed):
        rows = [("deep" if assumed[n] == "for" else "shallow") if v == "bounds" else v
                for n, v in compared.items()]
        return pt._verdict(rows) if rows else "inconclusive"
    return decide_with_bounds(verdict, bounds, against="against", numbers=numbers)


def _bound_rung(ev, n, rule):
    """The ladder reading of n's best relative MSE at the largest width (the deep side), over
    the budgets it ran."""
    cells = ev.cells[(ev.cells["n"] == n) & (ev.cells["depth"] == 2)]
    widest = cells[cells["width"] == cells["width"].max()]
    values = dict(zip(widest["epochs"], widest["best_rel_mse"]))
    return read(values, Ladder(rule.train_ladder_tolerance, int(max(values))))


def decide_training_ladder(ev, rule):
    """Rule v3 (2026-12-03): an n where both depths are bounds at their largest budget is
    reported and leaves the verdict (``product_train.decide_bounded``)."""
    if ev.minimal.empty:
        return Decision("inconclusive", {"cells": 0})
    d = decide_training_before_ladder(ev, rule)
    compared = pt.compare_bounded(ev.minimal)
    numbers = {**{f"n{n}_compared": v for n, v in compared.items()}, **d.numbers}
    return Decision(pt.decide_bounded(ev.minimal), numbers)


def decide_training_before_ladder(ev, rule):
    """The training rule as first registered (issue 10): inconclusive when both depths are
    bounds at the largest n."""
    if ev.minimal.empty:
        return Decision("inconclusive", {"cells": 0})
    numbers = {f"n{int(r.n)}.depth{int(r.depth)}.min_units": (float(r.min_units) if r.learned else
                                                             f"> {int(r.largest_width) * int(r.depth)}")
               for r in ev.minimal.itertuples()}
    numbers["verdict_at_half_budget"] = pt.decide(ev.half, {})
    return Decision(pt.decide(ev.minimal, {}), numbers)


def decide_exists(ev, rule):
    gate, nets, last = ev.gate, ev.nets, ev.nets.iloc[-1]
    return Decision(verdict(ev.gate_slope, nets, rule), {
        "gate_error_slope": ev.gate_slope,
        "gate_error_over_scale2_smallest": float(gate["error"].iloc[-1] / gate["scale"].iloc[-1] ** 2),
        "gate_error_over_scale2_theory": ev.coefficient,
        "max_tree_error": float(nets["tree_error"].max()),
        "max_shallow_error": float(nets["shallow_error"].max()),
        f"tree_units_n{int(last['n'])}": int(last["tree_units"]),
        f"shallow_units_n{int(last['n'])}": int(last["shallow_units"])})


def text(ev, decisions, rule):
    numbers, nets = decisions["exists"].numbers, ev.nets
    return (
        f"The 4-unit softplus gate's sup error on [-1, 1]^2 fell like lambda^{ev.gate_slope:.3f} "
        f"(rule: slope in [{rule.slope_range[0]}, {rule.slope_range[1]}]); error / lambda^2 "
        f"at the smallest lambda was {numbers['gate_error_over_scale2_smallest']:.4f} against the "
        f"Taylor coefficient |s''''(0) / s''(0)| / 3 = {ev.coefficient:.4f}. For products of n = "
        f"2..{rule.max_n} inputs the tree used "
        f"{', '.join(str(u) for u in nets['tree_units'])} units and the one-hidden-layer net "
        f"{', '.join(str(u) for u in nets['shallow_units'])}; with the best lambda from "
        f"{rule.scales} their sup errors on {rule.samples} random points stayed below "
        f"{numbers['max_tree_error']:.1e} (tree) and {numbers['max_shallow_error']:.1e} (shallow), "
        f"tolerance {rule.tolerance:g}. Verdict: **{decisions['exists'].verdict}**.\n\n"
        "Both networks exist and were checked by running them: verified constructions, which could "
        "only come out otherwise through a bug. The shallow net's accuracy is "
        "also limited by float64: its read-out divides by lambda^n, so rounding grows as lambda "
        "shrinks and only a middle lambda works for large n.\n\n" + _training_text(ev, decisions, rule))


def _training_text(ev, decisions, rule):
    if ev.minimal.empty:
        return "Training: no product_train records."
    m = ev.minimal
    parts = "; ".join(f"n = {int(r.n)}, {int(r.depth)} hidden layer{'s' if r.depth > 1 else ''}: "
                      + (f"width {int(r.min_width)} ({int(r.min_units)} units)" if r.learned else
                         f"none up to width {int(r.largest_width)}") for r in m.itertuples())
    epochs = int(ev.cells["epochs"].max())
    return (f"**Training finds: {decisions['training'].verdict}.** Tanh nets trained on the product "
            f"of n uniform inputs (full batch, squared error, each (n, depth, width) at its own tuned "
            f"step, {epochs} epochs): the smallest width of the grid whose best restart reaches "
            f"MSE / variance <= {rule.train_rel_mse:g} is {parts}. These are bounds with their budget, "
            f"not the constructions' widths (2^n shallow units approximate the product to any "
            f"accuracy; training is asked for a fixed one). At half the budget the verdict is "
            f"{decisions['training'].numbers['verdict_at_half_budget']}.")


def tables(ev):
    return [markdown(ev.nets, "Products of n inputs: hidden units, hidden layers, best sup error "
                              "and its lambda, tree vs one hidden layer", floatfmt=".3g"),
            markdown(ev.gate, "Multiplication gate: sup error vs scale lambda", floatfmt=".3e")] + (
        [markdown(ev.cells, "Trained nets on the product: tuned step, best and median relative MSE, "
                            "and the 5% quantile at half the budget", floatfmt=".3g")] if len(ev.cells) else []) + (
        [markdown(ev.ladder, "Budget ladder: best relative MSE of the cells run at more than one "
                             "epoch budget (product_train_ladder.yaml)", floatfmt=".3g")]
        if len(getattr(ev, "ladder", [])) else [])


def caveats(ev, decisions):
    return ["Odd values in the tree are carried up a level by two units, exact for softplus "
            "(softplus(z) - softplus(-z) = z); that is why the tree has slightly more than "
            "4(n - 1) units when n is not a power of two."]


def figures(ev, rule, writer):
    return [_plot(ev.gate, ev.nets, writer)]


def _plot(gate, nets, writer):
    fig, axes = writer.figure(ncols=2, width=5.0, height=3.6)
    ax = axes[0][0]
    ax.plot(gate["scale"], gate["error"], "o-", label="sup error")
    ax.plot(gate["scale"], gate_error_coefficient() * gate["scale"] ** 2, "k--", lw=1,
            label="lambda^2 / 6 (Taylor)")
    ax.set(xscale="log", yscale="log", xlabel="scale lambda", ylabel="sup |gate - uv|",
           title="4-unit multiplication gate")
    ax.legend(fontsize=8)
    ax = axes[0][1]
    ax.plot(nets["n"], nets["shallow_units"], "s-", label="one hidden layer: 2^n")
    ax.plot(nets["n"], nets["tree_units"], "o-", label="tree of gates: ~4(n-1)")
    ax.set(yscale="log", xlabel="inputs multiplied n", ylabel="hidden units",
           title="Product of n numbers", xticks=list(nets["n"]))
    ax.legend(fontsize=8)
    return writer.save(fig, f"{ID}_units.png")


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "gate_error_slope": ("slope of log gate error against log scale (theory: 2)", ""),
    "tree_units_n8": ("hidden units of the deep product tree, 8 inputs", "units"),
    "shallow_units_n8": ("hidden units of the shallow construction, 8 inputs", "units"),
    "max_tree_error": ("largest error of the deep product tree", ""),
    "max_shallow_error": ("largest error of the shallow construction", ""),
}
