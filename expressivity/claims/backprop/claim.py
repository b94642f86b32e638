"""backprop: the essay's three-step reverse pass gives the exact gradient.

Settled without training: backprop against central differences over
activations x losses x depths x bias on/off (``theory.gradcheck``), for the
readable reference ``nn.MLP`` and for the kernels that actually train
(``train.gradients``: the full-batch kernel and the per-example kernel, on
whichever accelerator is in use). The check runs as a construction job
(``constructions.backprop``, sweep ``backprop``); this module reads its record.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from expressivity.claims.constructed import construction_frame, construction_params
from expressivity.claims.contract import Decision
from expressivity.claims.summaries import markdown

ID = "backprop"
VERIFIED = ("exists",)   # constructions and exact computations: only a bug can fail them (issue 19)


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
    per_matrix: bool = True
    matrix_floor: float = 1e-3


# Construction parameters the records must share with the rule: {parameter: rule field}.
PARAMETERS = {k: k for k in ("activations", "losses", "depths", "bias", "members", "batch", "width",
                             "inputs", "outputs", "step", "kink_guard", "seed", "per_matrix",
                             "matrix_floor")}
PER_MATRIX = ("max_error_per_matrix", "full_batch_kernel_error_per_matrix",
              "per_example_kernel_error_per_matrix")
FLOORED = tuple(f"{c}_floored" for c in PER_MATRIX)     # rule v4: with matrix_floor


def gradient_errors(tables, rule):
    """One row per (activation, loss, depth, bias), read from the ``gradient_errors`` construction
    job's record: max kept error of the reference and of each kernel, members kept and set aside."""
    return construction_frame(tables, "gradient_errors", construction_params(rule, PARAMETERS))


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
    """The gradient errors of every configuration, from the construction job's record."""
    table = gradient_errors(tables, rule)
    accelerator = ", ".join(sorted(set(table.pop("accelerator"))))
    kept, set_aside = int(table["kept"].sum()), int(table["set_aside"].sum())
    kernels = float(table[["full_batch_kernel_error", "per_example_kernel_error"]].max().max())
    per_matrix, floored = (float(table[list(c)].max().max()) if set(c) <= set(table) else np.nan
                           for c in (PER_MATRIX, FLOORED))
    return SimpleNamespace(table=table, worst=float(table["max_error"].max()), kept=kept,
                           worst_per_matrix=per_matrix, worst_floored=floored,
                           worst_kernels=kernels, accelerator=accelerator,
                           set_aside=set_aside, excluded=set_aside / (kept + set_aside))


def decide_exists(ev, rule):
    """Rule v4: as v3 with ``matrix_floor`` under every per-matrix denominator (an array whose
    gradient is below what central differences resolve is judged by its absolute error)."""
    d = decide_exists_v2(ev, rule)
    return Decision(verdict(ev.worst_floored, ev.excluded, rule),
                    {"max_relative_error_per_matrix": ev.worst_floored,
                     "max_relative_error_per_matrix_unfloored": ev.worst_per_matrix, **d.numbers})


def decide_exists_v3(ev, rule):
    """Rule v3: as v2 with every error normalised per weight matrix and bias vector (the
    largest ratio over the reference and both kernels), each denominator floored at 1e-12."""
    d = decide_exists_v2(ev, rule)
    return Decision(verdict(ev.worst_per_matrix, ev.excluded, rule),
                    {"max_relative_error_per_matrix": ev.worst_per_matrix, **d.numbers})


def decide_exists_v2(ev, rule):
    """Rule v2: backprop computes the exact gradient, in the reference and in the kernels that
    train: the largest kept error of the three (over each network's largest gradient)."""
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
        f"{ev.worst_kernels:.2e} against the same differences. Per weight matrix and bias "
        f"vector (each over its own largest gradient, at least {rule.matrix_floor:g}), the "
        f"largest error was {ev.worst_floored:.2e} ({ev.worst_per_matrix:.2e} with no floor). "
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


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "max_relative_error_per_matrix": ("largest relative error of backprop, per weight matrix", ""),
    "max_relative_error_per_matrix_unfloored": (
        "the same with no floor under small gradients (rule v3)", ""),
    "max_relative_error": ("largest relative error of backprop against finite differences", ""),
    "networks_checked": ("networks checked", ""),
    "networks_set_aside": ("networks set aside (too close to a kink to difference)", ""),
    "threshold": ("allowed relative error", ""),
}
