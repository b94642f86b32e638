"""bias: does every non-input neuron need an edge from a bias neuron?

Training with and without biases on small boolean functions, next to what
symmetry forbids a bias-free network outright (``theory.symmetry``): the
odd-network argument for tanh on ±1 inputs was registered before the run;
the sigmoid and ReLU arguments were worked out after the first run showed
zeros there, and are reported as such.
"""
import numpy as np
import pandas as pd

from ..tasks import make_task
from ..theory.symmetry import bias_free_obstruction
from .base import Finding
from .stats import wilson_interval
from .theory_helpers import figure, markdown, rule_number, save

ID = "bias"
CELL = ["task.encoding", "model.activation", "task.name", "task.n"]


def obstruction(encoding, activation, name, n):
    """Why no bias-free net of this activation fits this function, or None."""
    task = make_task(name, n=int(n), encoding=encoding)
    return bias_free_obstruction(activation, encoding, task.X, task.Y[:, 0])


def registered_impossible(encoding, activation, reason):
    """The obstruction registered before the run: odd tanh networks on ±1 inputs."""
    return encoding == "pm1" and activation == "tanh" and reason is not None


def cell_table(members):
    """One row per cell: fits and Wilson intervals with (1) and without (0) biases."""
    rows = []
    for key, g in members.groupby(CELL):
        row = dict(zip(["encoding", "activation", "task", "n"], key))
        row["function"] = f"{row['task']}{row['n']}"
        for bias, tag in ((True, "1"), (False, "0")):
            part = g[g["model.bias"].astype(bool) == bias]
            fits = int(part["fitted"].astype(bool).sum())
            low, high = wilson_interval(fits, len(part))
            row.update({f"p{tag}": fits / len(part) if len(part) else np.nan,
                        f"low{tag}": float(low), f"high{tag}": float(high), f"restarts{tag}": len(part)})
        row["needed"] = bool(row["high0"] < row["low1"])
        row["reason"] = obstruction(row["encoding"], row["activation"], row["task"], row["n"])
        row["impossible"] = row["reason"] is not None
        row["registered"] = registered_impossible(row["encoding"], row["activation"], row["reason"])
        rows.append(row)
    return pd.DataFrame(rows)


def decide(cells, claim):
    if cells.empty or (cells[["restarts0", "restarts1"]] == 0).any().any():
        return "inconclusive"
    if (cells.loc[cells["impossible"], "p0"] > 0).any():
        return "inconclusive"      # a fit a symmetry forbids: something is broken
    share = cells["needed"].mean()
    if share >= rule_number(claim, "supported_share"):
        return "supported"
    return "refuted" if share == 0 else "mixed"


def analyse(results, claim, figures_dir):
    cells = cell_table(results.members)
    verdict = decide(cells, claim)
    needed = cells[cells["needed"]]
    impossible = cells[cells["impossible"]]
    other_needed = needed[~needed["impossible"]]
    explained = needed[needed["impossible"]]
    unexplained = needed[~needed["impossible"]]
    numbers = {
        "cells": len(cells), "cells_bias_needed": len(needed),
        "share_needed": float(cells["needed"].mean()),
        "threshold_share": claim["supported_share"],
        "cells_impossible_by_symmetry": len(impossible),
        "of_which_registered_before_the_run": int(cells["registered"].sum()),
        "fits_in_impossible_cells": int(round((impossible["p0"] * impossible["restarts0"]).sum())),
        "needed_cells_explained_by_symmetry": len(explained),
    }
    reasons = "; ".join(f"{r.activation}/{r.encoding}/{r.function}: {r.reason}"
                        for r in impossible.itertuples()) or "none"
    others = ", ".join(f"{r.activation}/{r.encoding}/{r.function} ({r.p1:.2f} vs {r.p0:.2f})"
                       for r in unexplained.itertuples()) or "none"
    text = (
        f"Bias neurons made a significant difference (non-overlapping Wilson intervals) in "
        f"{len(needed)} of {len(cells)} cells ({100 * numbers['share_needed']:.0f}%; the rule asks "
        f"{100 * claim['supported_share']:.0f}% for *supported*). Verdict: **{verdict}**.\n\n"
        f"{len(impossible)} cells are out of reach without biases by a symmetry of the network "
        f"({numbers['of_which_registered_before_the_run']} of them - odd tanh networks on +-1 "
        f"inputs - were predicted before the run; the sigmoid and ReLU arguments were worked out "
        f"after it): {reasons}. They had {numbers['fits_in_impossible_cells']} bias-free fits, as "
        f"they must, and they account for {len(explained)} of the {len(needed)} cells where bias "
        f"mattered. In the other such cells (with p1 vs p0) no obstruction is known: {others}; "
        f"where p0 > 0 some bias-free restart did fit, so there the function is representable "
        f"and bias only made it easier to learn.\n\n"
        f"So existence and learnability part ways here: {len(explained)} of the {len(needed)} cells "
        f"where bias mattered are out of reach of any bias-free network (no training could help), "
        f"while in {int((~cells['needed']).sum())} cells the bias-free network learned the function "
        f"about as often as the one with biases.")
    show = cells[["encoding", "activation", "function", "p1", "low1", "high1", "p0", "low0", "high0",
                  "needed", "impossible", "registered"]]
    return Finding(ID, verdict, numbers, text, figures=[_plot(cells, figures_dir)],
                   tables=[markdown(show, "Share of restarts fitting the truth table with (p1) and "
                                          "without (p0) biases, Wilson 95% intervals; `impossible`: "
                                          "forbidden by a symmetry (`registered`: predicted before "
                                          "the run)", floatfmt=".2f")],
                   caveats=["With 0/1 inputs and no biases, a ReLU or tanh network outputs exactly "
                            "0.5 at the all-zero input, which the exact-fit test counts as class 0; "
                            "every function here is 0 there, so that tie never costs a fit."])


def _plot(cells, figures_dir):
    encodings = sorted(cells["encoding"].unique())
    activations = sorted(cells["activation"].unique())
    fig, axes = figure(len(encodings), len(activations), size=(4.2, 3.2))
    for i, encoding in enumerate(encodings):
        for j, activation in enumerate(activations):
            ax = axes[i][j]
            part = cells[(cells["encoding"] == encoding) & (cells["activation"] == activation)]
            x = np.arange(len(part))
            for offset, tag, label in ((-0.18, "1", "with bias"), (0.18, "0", "no bias")):
                p = part[f"p{tag}"].to_numpy()
                err = [p - part[f"low{tag}"].to_numpy(), part[f"high{tag}"].to_numpy() - p]
                ax.bar(x + offset, p, width=0.36, yerr=err, capsize=2, label=label)
            for k, impossible in enumerate(part["impossible"]):
                if impossible:
                    ax.text(k + 0.18, 0.04, "x", ha="center", color="red", fontsize=12)
            ax.set_xticks(x, part["function"], fontsize=8)
            ax.set(ylim=(0, 1.08), title=f"{activation}, inputs {encoding}", ylabel="fit rate")
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.suptitle("red x: out of reach without bias by a symmetry of the network", fontsize=9)
    return save(fig, figures_dir, f"{ID}_fit_rates.png")
