"""Claim `activation`: sigmoid versus ReLU (and tanh) as nets get deeper.

Success per (task, depth, activation, init) with Wilson intervals, each cell
at its own tuned step (the tuning protocol); median epochs to fit with
bootstrap intervals; the per-layer shrink factor of the gradient norm at
initialisation (the mechanism); the verdict decided by the deep cells AND the
shallow sub-claim, as registered; the deep comparison again at 1/3 and 2/3 of
the epoch budget. Every number comes from training: nothing is constructed.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from expressivity.claims.activation.figures import plot_epochs, plot_gradients, plot_success
from expressivity.claims.contract import Decision
from expressivity.claims.summaries import loglinear_fit, markdown, median_interval, order, rate_table, task_labels
from expressivity.tasks import BOOLEAN_FUNCTIONS

ID = "activation"
KEYS = ["cell", "model.depth", "model.activation", "model.init"]
COLUMNS = ("task.name", "model.depth", "model.activation", "model.init", "fitted", "converged",
           "fit_epoch")
BUDGET_SHARES = (1 / 3, 2 / 3)


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
        shallow=compare(rates, rule, lambda d: d <= int(rule.shallow_to)),
        budget=budget_verdicts(members, rule))


def decide_training(ev, rule):
    """The registered rule: deep cells and shallow cells together; gradient factors beside."""
    verdict, numbers = decide_both(ev.deep, ev.shallow)
    numbers.update(_factor_numbers(ev.factors, rule))
    numbers.update({f"verdict_at_{k}": v for k, v in ev.budget.items()})
    return Decision(verdict, numbers)


def decide_training_1216(ev, rule):
    """The rule as registered at 12:16 on 2026-11-29, before its 12:20 change: a part that
    fails refutes the claim (refuted if the deep part fails or the shallow sub-claim fails
    in every shallow cell), where 12:20 asks both parts to fail (rule_history)."""
    verdict, numbers = decide_both(ev.deep, ev.shallow, refute_if="either")
    numbers.update(_factor_numbers(ev.factors, rule))
    return Decision(verdict, numbers)


def decide_as_first_registered(ev, rule):
    """The rule of 2026-11-28: the deep cells alone decide (shallow cells only reported)."""
    verdict, numbers = decide(ev.deep)
    return Decision(verdict, numbers)


def decide_both(deep, shallow, refute_if="both"):
    """Two parts, as registered. Deep part holds if ReLU is better in every deep cell, fails if
    in none while sigmoid is in at least one. Shallow part ("sigmoid is fine at depth 1-2")
    holds if ReLU is better in no shallow cell, fails if in every one. supported: both hold;
    refuted: both fail; inconclusive: no deep cell decided and the shallow part holds (or no
    deep or shallow cells); mixed otherwise. ``refute_if="either"``: the 12:16 wording, refuted
    as soon as one part fails."""
    _, numbers = decide(deep)
    cells, relu = numbers["deep_cells"], numbers["deep_cells_relu_better"]
    sigm = numbers["deep_cells_sigmoid_better"]
    worse = int((shallow["better"] == "relu").sum())
    numbers.update(shallow_cells=int(len(shallow)), shallow_cells_sigmoid_worse=worse)
    if cells == 0 or len(shallow) == 0:
        return "inconclusive", numbers
    deep_holds, deep_fails = relu == cells, relu == 0 and sigm > 0
    shallow_holds, shallow_fails = worse == 0, worse == len(shallow)
    if deep_holds and shallow_holds:
        return "supported", numbers
    if (deep_fails and shallow_fails) if refute_if == "both" else (deep_fails or shallow_fails):
        return "refuted", numbers
    if relu == 0 and sigm == 0 and shallow_holds:
        return "inconclusive", numbers
    return "mixed", numbers


def budget_verdicts(members, rule, shares=BUDGET_SHARES):
    """The registered verdict on the boolean cells when only the first share of the epochs
    counts (a restart succeeds once it has fitted), and at the full budget: {epochs: verdict}."""
    boolean = members[members["boolean"]]
    if boolean.empty:
        return {}
    epochs = float(boolean["trainer.max_epochs"].max())
    out = {}
    for share in (*shares, 1.0):
        cut = boolean.copy()
        fit = cut["fit_epoch"].to_numpy(float)
        cut["success"] = cut["fitted"].astype(bool) if share == 1.0 else (fit >= 0) & (fit <= share * epochs)
        cut.loc[~cut["success"], "fit_epoch"] = -1
        rates = success_table(cut)
        deep = compare(rates, rule, lambda d: d >= int(rule.deep_from))
        shallow = compare(rates, rule, lambda d: d <= int(rule.shallow_to))
        out[int(round(share * epochs))] = decide_both(deep, shallow)[0]
    return out


def figures(ev, rule, writer):
    return [plot_gradients(ev.members, writer), plot_success(ev.rates, writer),
            plot_epochs(ev.rates, writer)]


def tables(ev):
    return [markdown(ev.deep, "Deep cells (depth >= %s): ReLU/He against sigmoid/Xavier, and "
                              "which interval decided." % ev.deep_from),
            markdown(ev.shallow, "Shallow cells: the sub-claim 'sigmoid is fine at depth 1-2' "
                                 "holds in a cell unless ReLU/He is better there."),
            markdown(ev.factors, "Median gradient norm at init: per-layer factor across the "
                                 "hidden layers of the deepest nets (earlier / later layer)."),
            markdown(ev.rates, "Per cell: the step chosen by the tuning protocol (lr), success "
                               "(Wilson 95%) and median epochs to fit (bootstrap 95%).")]


def text(ev, decisions, rule):
    return _text(decisions["training"].verdict, decisions["training"].numbers, ev.deep, ev.budget)


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
    members["lr"] = members["tuned.trainer.lr"] if "tuned.trainer.lr" in members else members["trainer.lr"]
    return members


def success_table(members):
    rates = rate_table(members, KEYS, column="success")
    epochs = []
    for key, group in members.groupby(KEYS):
        fits = group.loc[group["success"] & group["boolean"], "fit_epoch"].to_numpy(float)
        med, low, high = median_interval(fits)
        epochs.append((*key, med, low, high))
    epochs = pd.DataFrame(epochs, columns=KEYS + ["median_epochs", "epochs_low", "epochs_high"])
    lr = members.groupby(KEYS)["lr"].first().rename("lr").reset_index()
    return rates.merge(epochs, on=KEYS).merge(lr, on=KEYS)


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


def _text(verdict, numbers, deep, budget):
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
    lines.append(f"Shallow nets (deciding, as registered): sigmoid worse than ReLU in "
                 f"{numbers['shallow_cells_sigmoid_worse']} of {numbers['shallow_cells']} cells.")
    if budget:
        lines.append("With the budget cut (boolean cells only): " + ", ".join(
            f"{v} at {k} epochs" for k, v in budget.items()) + ".")
    lines.append("Every number above comes from training (each cell at its tuned step); none "
                 "from a construction.")
    return "\n".join(lines)


def _caveats(numbers):
    return ["Each (task, activation, depth, init) cell has its own step, chosen by the tuning "
            "protocol on tuning seeds (the same grid and budget for every arm); the table of "
            "rates shows it.",
            "One width (8) and full-batch descent only; success on the continuous target means "
            "MSE <= trainer.tol within the epoch budget.",
            "Gradient norms are per weight layer at initialisation (median over restarts); "
            "the factor is fitted over hidden-to-hidden layers only, so input and output layers "
            "(other shapes) do not bias it."]


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "deep_cells": ("deep cells compared", ""),
    "deep_cells_relu_better": ("deep cells where ReLU does better", ""),
    "deep_cells_sigmoid_better": ("deep cells where sigmoid does better", ""),
    "*_grad_factor_per_layer": ("{}: gradient norm factor per layer", "×"),
}
