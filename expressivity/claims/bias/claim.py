"""bias: does every non-input neuron need an edge from a bias neuron?

Two questions apart (``bias_cells``). Exists: over every boolean function of
the sweep's n, which ones a bias-free net cannot compute (a symmetry proves
it, ``theory.symmetry``), can (a witness: a random bias-free net, or a trained
restart with a margin) or may not (unknown); the proofs and the random search
come from the ``bias_reach`` record (sweep ``bias_constructions``). Training: where a bias-free net
can compute the function, does it learn it less often than with biases, each
arm at its own tuned step?
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from expressivity.tasks import make_task
from expressivity.claims.bias import cells as bc
from expressivity.claims.contract import Decision
from expressivity.claims.tuned import tuned_table
from expressivity.claims.stats import wilson_interval
from expressivity.claims.summaries import markdown

ID = "bias"
VERIFIED = ("exists",)   # constructions and exact computations: only a bug can fail them (issue 19)
# Member columns the analysis reads; without them the sweep is reported as missing.
COLUMNS = ("task.encoding", "model.activation", "task.name", "task.n", "model.bias", "fitted",
           "max_error", "fit_epoch", "trainer.max_epochs")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of bias.yaml (``supported_share``: only the rule before issue 10)."""
    tie_margin: float
    supported_share: float
    search_samples: int
    search_width: int
    search_seed: int


CELL = ["task.encoding", "model.activation", "task.name", "task.n"]


def registered_impossible(encoding, activation, reason):
    """The obstruction registered before the run: odd tanh networks on ±1 inputs."""
    return encoding == "pm1" and activation == "tanh" and reason is not None


def mark_fits(members, tie_margin):
    """Members with ``margin`` (smallest distance of an output from the threshold, for a flagged
    fit with a bounded read-out: h − max|ŷ − y|, h = |y − threshold|), ``tie`` and ``fit``."""
    members = members.copy()
    half = {}
    for key in members[["task.encoding", "task.name", "task.n"]].drop_duplicates().itertuples(index=False):
        task = make_task(key[1], n=int(key[2]), encoding=key[0])
        half[tuple(key)] = float(np.abs(task.Y - task.threshold).min())
    h = [half[k] for k in members[["task.encoding", "task.name", "task.n"]].itertuples(index=False)]
    flagged = members["fitted"].astype(bool)
    members["margin"] = np.where(flagged, np.asarray(h) - members["max_error"].to_numpy(float), np.nan)
    members["tie"] = flagged & ~(members["margin"] > tie_margin)
    members["fit"] = flagged & ~members["tie"]
    return members


def cell_table(members, reasons, column="fit"):
    """One row per cell: fits (``column``) and Wilson intervals with (1) and without (0) biases;
    ``reasons``: the record's obstructions (``bias_cells.cell_reasons``).

    ``column="fitted"`` is the rule as first registered: ties count as fits (as class 0).
    """
    rows = []
    for key, g in members.groupby(CELL):
        row = dict(zip(["encoding", "activation", "task", "n"], key))
        row["function"] = f"{row['task']}{row['n']}"
        for bias, tag in ((True, "1"), (False, "0")):
            part = g[g["model.bias"].astype(bool) == bias]
            fits = int(part[column].astype(bool).sum())
            low, high = wilson_interval(fits, len(part))
            row.update({f"p{tag}": fits / len(part) if len(part) else np.nan,
                        f"low{tag}": float(low), f"high{tag}": float(high), f"restarts{tag}": len(part)})
        row["needed"] = bool(row["high0"] < row["low1"])
        row["reason"] = bc.obstruction(reasons, row["encoding"], row["activation"], row["task"], row["n"],
                                    ties_fit=column == "fitted")
        row["impossible"] = row["reason"] is not None
        row["registered"] = registered_impossible(row["encoding"], row["activation"], row["reason"])
        rows.append(row)
    return pd.DataFrame(rows)


def verdict(cells, rule):
    if cells.empty or (cells[["restarts0", "restarts1"]] == 0).any().any():
        return "inconclusive"
    if (cells.loc[cells["impossible"], "p0"] > 0).any():
        return "inconclusive"      # a fit a symmetry forbids: something is broken
    share = cells["needed"].mean()
    if share >= rule.supported_share:
        return "supported"
    return "refuted" if share == 0 else "mixed"


def evidence(tables, rule):
    """Fits per cell with and without biases (ties excluded), which functions a symmetry forbids,
    which a witness reaches, and the training comparison where bias-free nets can compute."""
    members = mark_fits(tables.members, rule.tie_margin)
    rows = bc.reach_rows(tables, rule)
    found = bc.found_from_rows(rows, [(e, a, n) for e in sorted(members["task.encoding"].unique())
                                       for a in sorted(members["model.activation"].unique())
                                       for n in sorted(members["task.n"].astype(int).unique())])
    free, biased = bc.trained_witnesses(members), bc.trained_witnesses(members, bias=True)
    reach = bc.reachable_codes(found, free)
    half = float(members["trainer.max_epochs"].max()) / 2
    tuned = tuned_table(members, ["task.encoding", "model.activation", "task.name", "task.n", "model.bias"])
    reasons = bc.cell_reasons(rows)
    return SimpleNamespace(members=members, reasons=reasons, cells=cell_table(members, reasons), tuned=tuned,
                           existence=bc.existence_table(found, free, biased),
                           training=bc.training_table(members, reach, half))


def decide_exists(ev, rule):
    """Rule v4 (issue 19): as v3, but an (encoding, activation) with no proved loss and
    functions the search left unknown is undecided (``bias_cells.decide_exists(unknown_open)``)."""
    d = decide_exists_v3(ev, rule)
    return Decision(bc.decide_exists(ev.existence, unknown_open=True), d.numbers)


def decide_exists_v3(ev, rule):
    """Some function the biased net computes is out of reach without biases, in every
    (encoding, activation) (supported), in some (mixed), in none (refuted); unknown functions
    count as not lost (rule v3)."""
    t = ev.existence
    lost = t.groupby(["encoding", "activation"])["lost_without_bias"].sum()
    numbers = {"combinations_losing_functions": int((lost > 0).sum()), "combinations": len(lost),
               "contradictions": int(t["contradictions"].sum()),
               **{f"{e}.{a}.lost": int(v) for (e, a), v in lost.items()},
               "unknown_functions": int(t["unknown"].sum())}
    return Decision(bc.decide_exists(t), numbers)


def _numbers(cells, members, rule):
    impossible = cells[cells["impossible"]]
    return {
        "cells": len(cells), "cells_bias_needed": int(cells["needed"].sum()),
        "share_needed": float(cells["needed"].mean()),
        "threshold_share": rule.supported_share,
        "cells_impossible_by_symmetry": len(impossible),
        "of_which_registered_before_the_run": int(cells["registered"].sum()),
        "fits_in_impossible_cells": int(round((impossible["p0"] * impossible["restarts0"]).sum())),
        "needed_cells_explained_by_symmetry": int((cells["needed"] & cells["impossible"]).sum()),
        "flagged_fits_that_are_ties": int(members["tie"].sum()),
    }


def decide_training(ev, rule):
    """Where a bias-free net can compute the function: bias better in some cell and worse in none."""
    t = ev.training
    reach = t[t["reachable"]]
    numbers = {"reachable_cells": len(reach),
               "bias_better": int((reach["outcome"] == "bias better").sum()),
               "bias_worse": int((reach["outcome"] == "bias worse").sum()),
               "verdict_at_half_budget": bc.decide_training(t, "outcome_half_budget"),
               "fits_in_impossible_cells": int(round((t.loc[~t["reachable"], "p0"]
                                                      * t.loc[~t["reachable"], "restarts0"]).sum()))}
    return Decision(bc.decide_training(t), numbers)


def decide_training_share(ev, rule):
    """The rule registered before issue 10: bias needed in at least supported_share of the cells."""
    return Decision(verdict(ev.cells, rule), _numbers(ev.cells, ev.members, rule))


def decide_training_registered(ev, rule):
    """The rule as first registered: every flagged fit counts, ties included."""
    cells = cell_table(ev.members, ev.reasons, "fitted")
    return Decision(verdict(cells, rule), _numbers(cells, ev.members, rule))


def text(ev, decisions, rule):
    ex, tr = decisions["exists"], decisions["training"]
    e, t = ev.existence, ev.training
    reach = t[t["reachable"]]
    lost = "; ".join(f"{r.activation}/{r.encoding}, n = {r.n}: {r.lost_without_bias} of "
                     f"{r.with_bias_reached} lost ({r.reasons or 'none'})" for r in e.itertuples())
    cells = ", ".join(f"{r.activation}/{r.encoding}/{r.function} ({r.p1:.2f} vs {r.p0:.2f})"
                      for r in reach[reach["outcome"] != "tie"].itertuples()) or "none"
    return (
        f"**Exists: {ex.verdict}.** Every boolean function of n = {', '.join(map(str, sorted(e['n'].unique())))} "
        f"bits was classified for each activation and input encoding: impossible without biases by a "
        f"symmetry of the bias-free net (a proof; ties at the threshold are not fits), reachable (a "
        f"witness: one of {rule.search_samples:,} random bias-free nets of width {rule.search_width}, "
        f"or a trained restart, fitting it with a margin), or unknown. {lost}. "
        f"{ex.numbers['contradictions']} functions were both forbidden and witnessed (a "
        f"contradiction would make this inconclusive); {ex.numbers['unknown_functions']} stay "
        f"unknown. These numbers come from constructions and proofs, not from training's success "
        f"rates.\n\n"
        f"**Training finds: {tr.verdict}.** In the {len(reach)} cells where a bias-free net can "
        f"compute the function, each arm at its own tuned step: bias better in "
        f"{tr.numbers['bias_better']}, worse in {tr.numbers['bias_worse']} (non-overlapping Wilson "
        f"intervals); the cells that differ: {cells}. At half the epoch budget the verdict is "
        f"{tr.numbers['verdict_at_half_budget']}. The {int((~t['reachable']).sum())} cells a symmetry "
        f"forbids had {tr.numbers['fits_in_impossible_cells']} bias-free fits, as they must, and do "
        f"not count here: no training can help there.")


def tables(ev):
    ex = ev.existence.drop(columns=["reasons"])
    tr = ev.training[["encoding", "activation", "function", "reachable", "p1", "p0", "outcome",
                      "outcome_half_budget"]]
    return [markdown(ex, "Every boolean function of n bits: reached with biases, lost without them "
                         "(a symmetry forbids it), reached without (a witness), unknown", floatfmt=".0f"),
            markdown(tr, "Training, each arm at its own tuned step: fit rates with (p1) and without "
                         "(p0) biases; only cells reachable without biases count", floatfmt=".2f"),
            markdown(ev.tuned, "Tuned step per cell and arm", floatfmt=".3g")] + _old_tables(ev)


def _old_tables(ev):
    show = ev.cells[["encoding", "activation", "function", "p1", "low1", "high1", "p0", "low0",
                     "high0", "needed", "impossible", "registered"]]
    return [markdown(show, "Share of restarts fitting the truth table with (p1) and without (p0) "
                           "biases, Wilson 95% intervals; `impossible`: forbidden by a symmetry "
                           "(`registered`: predicted before the run); `needed`: the rule as first registered",
                     floatfmt=".2f")]


def caveats(ev, decisions):
    return ["Whether an output exactly on the threshold is a fit is a convention: the harness's "
            "exact-fit flag reads it as class 0, the amended rule asks for a margin. Bias-free "
            "ReLU and tanh nets on 0/1 inputs sit exactly on the threshold at x = 0, so in their "
            "cells the convention alone decides; the verdict with ties counted as fits is shown "
            "as the rule as first registered."]


def figures(ev, rule, writer):
    return [_plot(ev.cells, writer)]


def _plot(cells, writer):
    encodings = sorted(cells["encoding"].unique())
    activations = sorted(cells["activation"].unique())
    fig, axes = writer.figure(nrows=len(encodings), ncols=len(activations), width=4.2, height=3.2)
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
            ax.set(ylim=(0, 1.08), title=f"{activation}, inputs {encoding}", xlabel="target function",
                   ylabel="fit rate (share of restarts)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", fontsize=8, ncol=2)
    fig.suptitle("fit = every row on the right side of the threshold, ties excluded; "
                 "red x: out of reach without bias by a symmetry of the network", fontsize=9, x=0.4)
    return writer.save(fig, f"{ID}_fit_rates.png")


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "cells": ("cells compared", ""),
    "cells_bias_needed": ("cells where only the net with biases fits", ""),
    "share_needed": ("share of cells that need biases", ""),
    "threshold_share": ("share the rule asks for", ""),
}
