"""backprop: the essay's three-step reverse pass gives the exact gradient.

Settled without training: backprop against central differences over
activations x losses x depths x bias on/off (``theory.gradcheck``), for the
readable reference ``nn.MLP`` and for the kernels that actually train
(``train.gradients``: the full-batch kernel and the per-example kernel, on
whichever accelerator is in use).
"""
import itertools
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ..nn import MLP
from ..theory.gradcheck import kink_distance, numeric_gradients, relative_errors
from ..train import accelerator
from ..train.gradients import full_batch_gradients, per_example_gradients
from .contract import Decision
from .summaries import markdown
from .theory_helpers import generator

ID = "backprop"


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of backprop.yaml."""
    max_relative_error: float
    refute_above: float
    kink_guard: float
    max_excluded_share: float
    step: float
    members: int
    batch: int
    width: int
    inputs: int
    outputs: int
    activations: list
    losses: list
    depths: list
    bias: list
    seed: int


def gradient_errors(rule):
    """One row per (activation, loss, depth, bias): max kept error, members kept and set aside."""
    rows = []
    for activation, loss, depth, bias in itertools.product(
            rule.activations, rule.losses, rule.depths, rule.bias):
        rng = generator(rule.seed, activation, loss, depth, bias)
        sizes = (rule.inputs, *[rule.width] * depth, rule.outputs)
        output = "sigmoid" if loss == "bce" else activation   # bce needs outputs in (0, 1)
        net = MLP.init(sizes, [activation] * depth + [output], population=rule.members,
                       init="uniform", bias=bias, rng=rng)
        X = rng.normal(size=(rule.batch, rule.inputs))
        Y = rng.uniform(0.05, 0.95, size=(rule.batch, rule.outputs))
        errors = relative_errors(net, X, Y, loss, h=rule.step)
        kept = kink_distance(net, X, Y, loss) > rule.kink_guard   # row 0's kinks included
        full, single = kernel_errors(net, X, Y, loss, rule.step)
        worst = lambda e: float(e[kept].max()) if kept.any() else np.nan
        rows.append({"activation": activation, "loss": loss, "depth": depth, "bias": bias,
                     "max_error": worst(errors), "full_batch_kernel_error": worst(full),
                     "per_example_kernel_error": worst(single),
                     "kept": int(kept.sum()), "set_aside": int((~kept).sum())})
    return pd.DataFrame(rows)


def kernel_errors(net, X, Y, loss, step):
    """Per member, the training kernels' gradient errors against central differences: two (P,).

    The full-batch kernel's gradient of the mean loss over X, and the per-example
    kernel's gradient of the loss on the first row alone, each as
    max |kernel - numeric| / max |numeric| (the reference's measure).
    """
    full = _relative(full_batch_gradients(net, X, Y, loss), numeric_gradients(net, X, Y, loss, step))
    single = _relative(per_example_gradients(net, X[0], Y[0], loss),
                       numeric_gradients(net, X[:1], Y[:1], loss, step))
    return full, single


def _relative(gradients, numeric):
    weights, biases = gradients
    exact = weights + (biases or [])
    diff = np.max([np.abs(e - g).reshape(len(e), -1).max(axis=1) for e, g in zip(exact, numeric)],
                  axis=0)
    size = np.max([np.abs(g).reshape(len(g), -1).max(axis=1) for g in numeric], axis=0)
    return diff / np.maximum(size, 1e-12)


def verdict(worst, excluded_share, rule):
    """Verdict from the largest kept error and the share of networks set aside."""
    if excluded_share > rule.max_excluded_share or not np.isfinite(worst):
        return "inconclusive"
    if worst < rule.max_relative_error:
        return "supported"
    if worst > rule.refute_above:
        return "refuted"
    return "mixed"


def evidence(tables, rule):
    """The gradient errors of every configuration (no sweep: ``tables`` are empty)."""
    table = gradient_errors(rule)
    kept, set_aside = int(table["kept"].sum()), int(table["set_aside"].sum())
    kernels = float(table[["full_batch_kernel_error", "per_example_kernel_error"]].max().max())
    return SimpleNamespace(table=table, worst=float(table["max_error"].max()), kept=kept,
                           worst_kernels=kernels, accelerator=accelerator.name(),
                           set_aside=set_aside, excluded=set_aside / (kept + set_aside))


def decide_exists(ev, rule):
    """Backprop computes the exact gradient, in the reference and in the kernels that train:
    the largest kept error of the three against the bounds."""
    worst = max(ev.worst, ev.worst_kernels)
    return Decision(verdict(worst, ev.excluded, rule), {
        "max_relative_error": worst, "reference_max_relative_error": ev.worst,
        "training_kernels_max_relative_error": ev.worst_kernels,
        "training_kernels": f"full batch and per-example, {ev.accelerator} kernels",
        "networks_checked": ev.kept,
        "networks_set_aside": ev.set_aside, "configurations": len(ev.table),
        "threshold": rule.max_relative_error})


def decide_exists_registered(ev, rule):
    """The rule as first registered: the reference ``nn.MLP`` alone."""
    return Decision(verdict(ev.worst, ev.excluded, rule), {
        "max_relative_error": ev.worst, "networks_checked": ev.kept,
        "networks_set_aside": ev.set_aside, "configurations": len(ev.table),
        "threshold": rule.max_relative_error})


def text(ev, decisions, rule):
    table, numbers = ev.table, decisions["exists"].numbers
    return (
        f"Backprop's gradient matched central differences (step {rule.step:g}, float64) in "
        f"{len(table)} configurations ({', '.join(rule.activations)} x "
        f"{', '.join(rule.losses)} x depths {min(rule.depths)}-{max(rule.depths)} x "
        f"bias on/off), {numbers['networks_checked']} random networks in all: the largest relative "
        f"error was {ev.worst:.2e}, against the pre-registered bound {rule.max_relative_error:g}; "
        f"{numbers['networks_set_aside']} networks sat within {rule.kink_guard:g} of a kink and "
        f"were set aside. The kernels that train (full batch, and per-example on each "
        f"network's first example; {ev.accelerator} kernels) gave at most "
        f"{ev.worst_kernels:.2e} against the same differences. "
        f"Verdict: **{decisions['exists'].verdict}**.\n\n"
        "This settles what backprop *computes* (the derivative, exactly up to rounding), not what "
        "following it *finds*: an exact gradient can still lead to a poor local minimum or a flat "
        "region, which the restarts and activation claims measure by training.")


def tables(ev):
    by_pair = ev.table.pivot_table(index="activation", columns="loss", values="max_error",
                                   aggfunc="max")
    return [markdown(by_pair.reset_index(), "Largest relative gradient error per activation and "
                     "loss (over depths and bias on/off)", floatfmt=".1e")]


def caveats(ev, decisions):
    return ["Finite differences cannot check a derivative at a kink (ReLU at 0, absolute loss at "
            "a perfect fit); networks near one were set aside and counted, not hidden."]


def figures(ev, rule, writer):
    return [_plot(ev.table, rule, writer)]


def _plot(table, rule, writer):
    losses = list(rule.losses)
    fig, axes = writer.figure(ncols=len(losses), width=4.2, height=3.6)
    for ax, loss in zip(axes[0], losses):
        part = table[table["loss"] == loss]
        for activation, group in part.groupby("activation"):
            for bias, style in ((True, "-"), (False, "--")):
                g = group[group["bias"] == bias].sort_values("depth")
                ax.plot(g["depth"], g["max_error"].clip(lower=1e-17), style, marker="o", ms=3,
                        label=f"{activation}" + ("" if bias else " (no bias)"))
        ax.axhline(rule.max_relative_error, color="red", lw=1, label=f"bound {rule.max_relative_error:g}")
        ax.set(yscale="log", title=f"loss: {loss}", xlabel="hidden layers",
               ylabel="max relative error", ylim=(1e-13, 1e-5))
    axes[0][-1].legend(fontsize=6, ncol=2, loc="upper right")
    return writer.save(fig, f"{ID}_gradient_error.png")


# How the report names the deciding numbers: (words, unit); see expressivity/wording.py.
NUMBER_LABELS = {
    "max_relative_error": ("largest relative error of backprop against finite differences", ""),
    "networks_checked": ("networks checked", ""),
    "networks_set_aside": ("networks set aside (too close to a kink to difference)", ""),
    "threshold": ("allowed relative error", ""),
}
