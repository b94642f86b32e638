"""backprop: the essay's three-step reverse pass gives the exact gradient.

Settled without training: backprop against central differences over
activations x losses x depths x bias on/off (``theory.gradcheck``).
"""
import itertools

import numpy as np
import pandas as pd

from ..nn import MLP
from ..theory.gradcheck import kink_distance, relative_errors
from .base import Finding
from .theory_helpers import figure, generator, markdown, rule_number, save

ID = "backprop"


def gradient_errors(claim):
    """One row per (activation, loss, depth, bias): max kept error, members kept and set aside."""
    rows = []
    for activation, loss, depth, bias in itertools.product(
            claim["activations"], claim["losses"], claim["depths"], claim["bias"]):
        rng = generator(claim["seed"], activation, loss, depth, bias)
        sizes = (claim["inputs"], *[claim["width"]] * depth, claim["outputs"])
        output = "sigmoid" if loss == "bce" else activation   # bce needs outputs in (0, 1)
        net = MLP.init(sizes, [activation] * depth + [output], population=claim["members"],
                       init="uniform", bias=bias, rng=rng)
        X = rng.normal(size=(claim["batch"], claim["inputs"]))
        Y = rng.uniform(0.05, 0.95, size=(claim["batch"], claim["outputs"]))
        errors = relative_errors(net, X, Y, loss, h=claim["step"])
        kept = kink_distance(net, X, Y, loss) > claim["kink_guard"]
        rows.append({"activation": activation, "loss": loss, "depth": depth, "bias": bias,
                     "max_error": float(errors[kept].max()) if kept.any() else np.nan,
                     "kept": int(kept.sum()), "set_aside": int((~kept).sum())})
    return pd.DataFrame(rows)


def decide(worst, excluded_share, claim):
    """Verdict from the largest kept error and the share of networks set aside."""
    if excluded_share > rule_number(claim, "max_excluded_share") or not np.isfinite(worst):
        return "inconclusive"
    if worst < rule_number(claim, "max_relative_error"):
        return "supported"
    if worst > rule_number(claim, "refute_above"):
        return "refuted"
    return "mixed"


def analyse(results, claim, figures_dir):
    table = gradient_errors(claim)
    worst = float(table["max_error"].max())
    excluded = table["set_aside"].sum() / (table["kept"].sum() + table["set_aside"].sum())
    verdict = decide(worst, excluded, claim)
    numbers = {"max_relative_error": worst, "networks_checked": int(table["kept"].sum()),
               "networks_set_aside": int(table["set_aside"].sum()),
               "configurations": len(table), "threshold": claim["max_relative_error"]}
    by_pair = table.pivot_table(index="activation", columns="loss", values="max_error", aggfunc="max")
    text = (
        f"Backprop's gradient matched central differences (step {claim['step']:g}, float64) in "
        f"{len(table)} configurations ({', '.join(claim['activations'])} x "
        f"{', '.join(claim['losses'])} x depths {min(claim['depths'])}-{max(claim['depths'])} x "
        f"bias on/off), {numbers['networks_checked']} random networks in all: the largest relative "
        f"error was {worst:.2e}, against the pre-registered bound {claim['max_relative_error']:g}; "
        f"{numbers['networks_set_aside']} networks sat within {claim['kink_guard']:g} of a kink and "
        f"were set aside. Verdict: **{verdict}**.\n\n"
        "This settles what backprop *computes* (the derivative, exactly up to rounding), not what "
        "following it *finds*: an exact gradient can still lead to a poor local minimum or a flat "
        "region, which the restarts and activation claims measure by training.")
    return Finding(ID, verdict, numbers, text, figures=[_plot(table, claim, figures_dir)],
                   tables=[markdown(by_pair.reset_index(),
                                    "Largest relative gradient error per activation and loss "
                                    "(over depths and bias on/off)", floatfmt=".1e")],
                   caveats=["Finite differences cannot check a derivative at a kink (ReLU at 0, "
                            "absolute loss at a perfect fit); networks near one were set aside "
                            "and counted, not hidden."])


def _plot(table, claim, figures_dir):
    losses = list(claim["losses"])
    fig, axes = figure(1, len(losses), size=(4.2, 3.6))
    for ax, loss in zip(axes[0], losses):
        part = table[table["loss"] == loss]
        for activation, group in part.groupby("activation"):
            for bias, style in ((True, "-"), (False, "--")):
                g = group[group["bias"] == bias].sort_values("depth")
                ax.plot(g["depth"], g["max_error"].clip(lower=1e-17), style, marker="o", ms=3,
                        label=f"{activation}" + ("" if bias else " (no bias)"))
        ax.axhline(claim["max_relative_error"], color="red", lw=1, label="bound 1e-7")
        ax.set(yscale="log", title=f"loss: {loss}", xlabel="hidden layers",
               ylabel="max relative error", ylim=(1e-13, 1e-5))
    axes[0][-1].legend(fontsize=6, ncol=2, loc="upper right")
    return save(fig, figures_dir, f"{ID}_gradient_error.png")
