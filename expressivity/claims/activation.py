"""Claim `activation`: sigmoid versus ReLU (and tanh) as nets get deeper.

Success per (task, depth, activation, init) with Wilson intervals; median
epochs to fit with bootstrap intervals; the per-layer shrink factor of the
gradient norm at initialisation; the pre-registered ReLU-vs-sigmoid verdict.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from . import plots
from .contract import Decision
from .summaries import loglinear_fit, markdown, median_interval, order, rate_table, task_labels
from ..tasks import BOOLEAN_FUNCTIONS

ID = "activation"
KEYS = ["cell", "model.depth", "model.activation", "model.init"]
COLUMNS = ("task.name", "model.depth", "model.activation", "model.init", "fitted", "converged")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of activation.yaml."""
    deep_from: int
    shallow_to: int
    min_fits: int
    pair: dict
    sigmoid_factor_band: list
    relu_factor_band: list


def evidence(tables, rule):
    """Success per cell, ReLU against sigmoid at deep and shallow depths, gradient factors."""
    members = prepare(tables.members)
    rates = success_table(members)
    return SimpleNamespace(
        members=members, rates=rates, factors=gradient_factors(members), deep_from=rule.deep_from,
        deep=compare(rates, rule, lambda d: d >= int(rule.deep_from)),
        shallow=compare(rates, rule, lambda d: d <= int(rule.shallow_to)))


def decide_training(ev, rule):
    """The rule on the deep cells; gradient factors and shallow cells reported beside it."""
    verdict, numbers = decide(ev.deep)
    numbers.update(_factor_numbers(ev.factors, rule))
    numbers["shallow_cells"] = int(len(ev.shallow))
    numbers["shallow_cells_sigmoid_worse"] = int((ev.shallow["better"] == "relu").sum())
    return Decision(verdict, numbers)


def figures(ev, rule, writer):
    return [_plot_gradients(ev.members, writer), _plot_success(ev.rates, writer),
            _plot_epochs(ev.rates, writer)]


def tables(ev):
    return [markdown(ev.deep, "Deep cells (depth >= %s): ReLU/He against sigmoid/Xavier, and "
                              "which interval decided." % ev.deep_from),
            markdown(ev.factors, "Median gradient norm at init: per-layer factor across the "
                                 "hidden layers of the deepest nets (earlier / later layer)."),
            markdown(ev.rates, "Success (Wilson 95%) and median epochs to fit (bootstrap 95%).")]


def text(ev, decisions, rule):
    return _text(decisions["training"].verdict, decisions["training"].numbers, ev.deep)


def caveats(ev, decisions):
    return _caveats(decisions["training"].numbers)


def prepare(members):
    """Members with a task label ``cell`` and a ``success`` column (exact fit or loss <= tol)."""
    members = members.copy()
    members["cell"] = task_labels(members)
    boolean = members["task.name"].isin(list(BOOLEAN_FUNCTIONS))
    members["boolean"] = boolean
    members["success"] = np.where(boolean, members["fitted"].astype(bool),
                                  members["converged"].astype(bool))
    return members


def success_table(members):
    rates = rate_table(members, KEYS, column="success")
    epochs = []
    for key, group in members.groupby(KEYS):
        fits = group.loc[group["success"] & group["boolean"], "fit_epoch"].to_numpy(float)
        med, low, high = median_interval(fits)
        epochs.append((*key, med, low, high))
    epochs = pd.DataFrame(epochs, columns=KEYS + ["median_epochs", "epochs_low", "epochs_high"])
    return rates.merge(epochs, on=KEYS)


def compare(rates, rule, depth_selected):
    """ReLU/He against sigmoid/Xavier per (cell, depth) among the selected depths."""
    pair = rule.pair
    relu = rates[(rates["model.activation"] == "relu") & (rates["model.init"] == pair["relu"])]
    sigm = rates[(rates["model.activation"] == "sigmoid") & (rates["model.init"] == pair["sigmoid"])]
    both = relu.merge(sigm, on=["cell", "model.depth"], suffixes=("_relu", "_sigmoid"))
    rows = []
    for _, r in both[both["model.depth"].map(depth_selected)].iterrows():
        better, by = _better(r, int(rule.min_fits))
        rows.append({"cell": r["cell"], "depth": int(r["model.depth"]),
                     "relu": r["rate_relu"], "relu_low": r["low_relu"], "relu_high": r["high_relu"],
                     "sigmoid": r["rate_sigmoid"], "sigmoid_low": r["low_sigmoid"],
                     "sigmoid_high": r["high_sigmoid"], "better": better, "decided_by": by})
    return pd.DataFrame(rows, columns=["cell", "depth", "relu", "relu_low", "relu_high", "sigmoid",
                                       "sigmoid_low", "sigmoid_high", "better", "decided_by"])


def _better(r, min_fits):
    side = order(r["low_relu"], r["high_relu"], r["low_sigmoid"], r["high_sigmoid"])
    if side != "overlap":
        return ("relu" if side == "above" else "sigmoid"), "success rate"
    enough = min(r["successes_relu"], r["successes_sigmoid"]) >= min_fits
    if enough and np.isfinite(r["median_epochs_relu"]) and np.isfinite(r["median_epochs_sigmoid"]):
        side = order(r["epochs_low_relu"], r["epochs_high_relu"],
                     r["epochs_low_sigmoid"], r["epochs_high_sigmoid"])
        if side != "overlap":
            return ("relu" if side == "below" else "sigmoid"), "epochs to fit"
    return "neither", "intervals overlap"


def decide(deep):
    relu, sigm, cells = int((deep["better"] == "relu").sum()), int((deep["better"] == "sigmoid").sum()), len(deep)
    numbers = {"deep_cells": cells, "deep_cells_relu_better": relu, "deep_cells_sigmoid_better": sigm}
    if cells == 0:
        return "inconclusive", numbers
    if relu == cells:
        return "supported", numbers
    if relu > 0:
        return "mixed", numbers
    return ("refuted" if sigm > 0 else "inconclusive"), numbers


def gradient_factors(members):
    """Per (cell, activation, init) at the largest depth: exp(-slope) of log median grad norm
    over the hidden-to-hidden layers 1..D-1: how much the gradient shrinks per layer back."""
    rows = []
    for (cell, activation, init), g in members.groupby(["cell", "model.activation", "model.init"]):
        depth = int(g["model.depth"].max())
        deepest = g[g["model.depth"] == depth]
        medians = [deepest[f"grad_norm_init.{l}"].median() for l in range(depth + 1)]
        fit = loglinear_fit(np.arange(1, depth), medians[1:depth]) if depth >= 3 else {}
        rows.append({"cell": cell, "activation": activation, "init": init, "depth": depth,
                     "factor_per_layer": 1 / fit["factor"] if fit else np.nan,
                     "r2": fit.get("r2", np.nan),
                     "first_over_last_hidden": medians[1] / medians[depth - 1] if depth >= 2 else np.nan})
    return pd.DataFrame(rows)


def _factor_numbers(factors, rule):
    numbers = {}
    for activation, init, band in (("sigmoid", rule.pair["sigmoid"], rule.sigmoid_factor_band),
                                   ("relu", rule.pair["relu"], rule.relu_factor_band)):
        values = factors.loc[(factors["activation"] == activation) & (factors["init"] == init),
                             "factor_per_layer"].dropna()
        if values.empty:
            continue
        median = float(values.median())
        numbers[f"{activation}_{init}_grad_factor_per_layer"] = median
        numbers[f"{activation}_{init}_grad_factor_in_band"] = bool(band[0] <= median <= band[1])
    return numbers


def _init_style(init):
    """Xavier solid with circles, He dashed with squares: the two inits stay apart in print."""
    return {"linestyle": "-", "marker": "o"} if init == "xavier" else {"linestyle": "--", "marker": "s"}


def _plot_gradients(members, writer):
    cells = sorted(members["cell"].unique())
    fig, axes = writer.figure(ncols=len(cells), sharey=True)
    for ax, cell in zip(axes.flat, cells):
        part = members[members["cell"] == cell]
        depth = int(part["model.depth"].max())
        deepest = part[part["model.depth"] == depth]
        layers = np.arange(depth + 1)
        for (activation, init), g in deepest.groupby(["model.activation", "model.init"]):
            values = g[[f"grad_norm_init.{l}" for l in layers]]
            plots.band(ax, layers + 1, values.median(), values.quantile(0.25), values.quantile(0.75),
                       label=f"{activation}/{init}", color=plots.colour(activation),
                       **_init_style(init))
        ax.set(yscale="log", title=f"{cell}, depth {depth}, at init",
               xlabel="weight layer (1 = next to the input)", ylabel="gradient norm (median, IQR)")
        ax.legend(fontsize=6)
    return writer.save(fig, "activation_gradient_norms.png")


def _plot_success(rates, writer):
    cells = sorted(rates["cell"].unique())
    fig, axes = writer.figure(ncols=len(cells), sharey=True)
    for ax, cell in zip(axes.flat, cells):
        for (activation, init), g in rates[rates["cell"] == cell].groupby(["model.activation", "model.init"]):
            g = g.sort_values("model.depth")
            plots.band(ax, g["model.depth"], g["rate"], g["low"], g["high"], label=f"{activation}/{init}",
                       color=plots.colour(activation), **_init_style(init))
        ax.set(title=cell, xlabel="hidden layers", ylabel="success rate (Wilson 95%)", ylim=(-0.03, 1.03))
        ax.legend(fontsize=6)
    return writer.save(fig, "activation_success.png")


def _plot_epochs(rates, writer):
    boolean = rates[np.isfinite(rates["median_epochs"]) & (rates["successes"] >= 3)]
    cells = sorted(boolean["cell"].unique()) or ["(none)"]
    fig, axes = writer.figure(ncols=len(cells), sharey=True)
    for ax, cell in zip(axes.flat, cells):
        for (activation, init), g in boolean[boolean["cell"] == cell].groupby(["model.activation", "model.init"]):
            g = g.sort_values("model.depth")
            plots.band(ax, g["model.depth"], g["median_epochs"], g["epochs_low"], g["epochs_high"],
                       label=f"{activation}/{init}", color=plots.colour(activation),
                       **_init_style(init))
        ax.set(yscale="log", title=cell, xlabel="hidden layers",
               ylabel="median epochs to fit (bootstrap 95%)")
        ax.legend(fontsize=6)
    return writer.save(fig, "activation_epochs.png")


def _text(verdict, numbers, deep):
    lines = [f"**{verdict}**: ReLU/He beats sigmoid/Xavier in {numbers['deep_cells_relu_better']} "
             f"of {numbers['deep_cells']} deep cells; sigmoid wins {numbers['deep_cells_sigmoid_better']}."]
    for _, r in deep.iterrows():
        lines.append(f"- {r['cell']}, depth {r['depth']}: ReLU {r['relu']:.2f} "
                     f"[{r['relu_low']:.2f}, {r['relu_high']:.2f}] vs sigmoid {r['sigmoid']:.2f} "
                     f"[{r['sigmoid_low']:.2f}, {r['sigmoid_high']:.2f}] -> {r['better']} ({r['decided_by']}).")
    if "sigmoid_xavier_grad_factor_per_layer" in numbers:
        lines.append(f"Gradient norm at init shrinks by x{numbers['sigmoid_xavier_grad_factor_per_layer']:.2f} "
                     f"per hidden layer (toward the input) for sigmoid/Xavier"
                     + (f", x{numbers['relu_he_grad_factor_per_layer']:.2f} for ReLU/He."
                        if "relu_he_grad_factor_per_layer" in numbers else "."))
    lines.append(f"Shallow nets: sigmoid worse than ReLU in {numbers['shallow_cells_sigmoid_worse']} "
                 f"of {numbers['shallow_cells']} cells.")
    return "\n".join(lines)


def _caveats(numbers):
    return ["Step sizes differ by activation (picked on shallow nets of a held-out task, then "
            "fixed for every depth); a per-depth retuning could narrow gaps at depth.",
            "One width (8) and full-batch descent only; success on the continuous target means "
            "MSE <= trainer.tol within the epoch budget.",
            "Gradient norms are per weight layer at initialisation (median over restarts); "
            "the factor is fitted over hidden-to-hidden layers only, so input and output layers "
            "(other shapes) do not bias it."]


# How the report names the deciding numbers: (words, unit); see expressivity/wording.py.
NUMBER_LABELS = {
    "deep_cells": ("deep cells compared", ""),
    "deep_cells_relu_better": ("deep cells where ReLU does better", ""),
    "deep_cells_sigmoid_better": ("deep cells where sigmoid does better", ""),
    "*_grad_factor_per_layer": ("{}: gradient norm factor per layer", "×"),
}
