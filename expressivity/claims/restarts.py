"""Claim `restarts`: do large nets get stuck, so that many restarts are needed?

Per (task instance, activation) cell: the per-restart success rate p(width)
with Wilson intervals; the trend from the barely-big-enough width to the
largest; restarts needed for 99% success; expected best-of-k final loss.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from . import plots
from .best_of_k import expected_best, prob_any_success
from .contract import Decision
from .stats import restarts_for
from .summaries import markdown, order, rate_table, task_labels

ID = "restarts"
ESSAY_RESTARTS = 1000  # the number the essay suggests
COLUMNS = ("task.name", "task.n", "model.activation", "width", "fitted", "final_loss")
NEVER_SHOWN_AT = 1e4  # where the restarts figure marks widths at which no restart fitted




@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of restarts.yaml."""
    target: float
    min_cells: int


def evidence(tables, rule):
    """Success rates per (cell, activation, width), each cell's trend, where failures ended."""
    members = _prepare(tables.members)
    rates = success_rates(members, rule.target)
    trends = cell_trends(rates)
    return SimpleNamespace(members=members, rates=rates, trends=trends,
                           ended=trends.merge(failures_at_largest_width(members),
                                              on=["cell", "activation"], how="left"))


def decide_training(ev, rule):
    """The rule on the cells' trends; the stuck-restart numbers are reported beside it."""
    verdict, numbers = decide(ev.trends, rule.min_cells)
    return Decision(verdict, {**numbers, **_stuck_numbers(ev.members)})


def figures(ev, rule, writer):
    return [_plot_rates(ev.rates, writer), _plot_needed(ev.rates, writer),
            _plot_best_of_k(ev.members, writer)]


def tables(ev):
    return _tables(ev.rates, ev.trends) + [markdown(best_of_k_table(ev.members), "Expected best "
            "final loss when the best of k restarts is kept (exact, from the recorded restarts).")]


def text(ev, decisions, rule):
    return _text(ev.ended, decisions["training"].numbers, decisions["training"].verdict)


def caveats(ev, decisions):
    return _caveats(decisions["training"].numbers)


def _prepare(members):
    members = members.copy()
    members["cell"] = task_labels(members)
    members["final_grad_norm"] = _grad_norm(members, "grad_norm_final")
    # How far the gradient fell during training: near zero with rows still wrong means stuck.
    members["grad_norm_drop"] = members["final_grad_norm"] / _grad_norm(members, "grad_norm_init")
    return members


def success_rates(members, target):
    """p per (cell, activation, width) with Wilson bounds, the restarts needed to reach
    ``target`` (with the interval the bounds give) and P(best of the essay's 1000 fits)."""
    rates = rate_table(members, ["cell", "model.activation", "width"])
    rates["restarts_needed"] = restarts_for(rates["rate"], target)
    rates["needed_low"] = restarts_for(rates["high"], target)
    rates["needed_high"] = restarts_for(rates["low"], target)
    rates[f"p_best_of_{ESSAY_RESTARTS}"] = 1 - (1 - rates["rate"]) ** ESSAY_RESTARTS
    return rates


def cell_trends(rates):
    """One row per (cell, activation): smallest fitting width vs largest width, and the trend."""
    rows = []
    for (cell, activation), group in rates.groupby(["cell", "model.activation"]):
        group = group.sort_values("width")
        fitting = group[group["successes"] > 0]
        large = group.iloc[-1]
        row = {"cell": cell, "activation": activation, "largest_width": int(large["width"]),
               "p_largest": large["rate"], "p_largest_low": large["low"],
               "p_largest_high": large["high"]}
        if fitting.empty:
            rows.append({**row, "smallest_fitting_width": None, "p_smallest": np.nan,
                         "trend": "no fit"})
            continue
        small = fitting.iloc[0]
        side = order(large["low"], large["high"], small["low"], small["high"])
        trend = {"above": "rises", "below": "falls", "overlap": "flat"}[side]
        if int(small["width"]) == int(large["width"]):
            trend = "flat"
        rows.append({**row, "smallest_fitting_width": int(small["width"]),
                     "p_smallest": small["rate"], "p_smallest_low": small["low"],
                     "p_smallest_high": small["high"], "trend": trend})
    return pd.DataFrame(rows)


def decide(trends, min_cells):
    """Verdict by the pre-registered rule; the counts that decided it."""
    fitted = trends[trends["trend"] != "no fit"]
    cells = len(fitted)
    rises = int((fitted["trend"] == "rises").sum())
    falls = int((fitted["trend"] == "falls").sum())
    # The report's summary shows the first two numbers: the ones the verdict turns on.
    numbers = {"cells_rising": rises, "cells_falling": falls,
               "cells_with_a_fit": cells, "cells_total": int(len(trends)),
               "cells_flat": int((fitted["trend"] == "flat").sum())}
    if cells < min_cells:
        return "inconclusive", numbers
    if rises >= cells / 2 and falls == 0:
        return "refuted", numbers
    if falls >= cells / 2 and rises == 0:
        return "supported", numbers
    if rises > 0 and falls > 0:
        return "mixed", numbers
    return "inconclusive", numbers


def failures_at_largest_width(members):
    """Where the failed restarts of each cell's widest net ended: how many truth-table rows
    were still wrong (median), their loss and gradient norm."""
    rows = []
    for (cell, activation), g in members.groupby(["cell", "model.activation"]):
        widest = g[(g["width"] == g["width"].max()) & ~g["fitted"].astype(bool)]
        row = {"cell": cell, "activation": activation, "failed_at_largest": int(len(widest))}
        if len(widest):
            table_rows = 2 ** widest["task.n"].astype(int)
            row.update(failed_rows_wrong=float(np.median(np.rint((1 - widest["accuracy"]) * table_rows))),
                       failed_loss=float(np.nanmedian(widest["final_loss"])),
                       failed_grad_norm=float(widest["final_grad_norm"].median()),
                       failed_grad_drop=float(widest["grad_norm_drop"].median()))
        rows.append(row)
    return pd.DataFrame(rows)


def _grad_norm(members, kind):
    columns = [c for c in members.columns if c.startswith(f"{kind}.")]
    return np.sqrt(np.nansum(members[columns].to_numpy(float) ** 2, axis=1))


def _stuck_numbers(members):
    """How flat the loss surface is where failed restarts ended, next to where fits ended."""
    norm = members["final_grad_norm"].to_numpy()
    failed = ~members["fitted"].astype(bool).to_numpy()
    numbers = {"failed_restarts": int(failed.sum()), "restarts_total": int(len(members))}
    if failed.any():
        numbers["median_final_grad_norm_failed"] = float(np.median(norm[failed]))
        numbers["median_grad_drop_failed"] = float(np.nanmedian(members["grad_norm_drop"][failed]))
        numbers["median_final_loss_failed"] = float(np.nanmedian(members["final_loss"][failed]))
    if (~failed).any():
        numbers["median_final_grad_norm_fitted"] = float(np.median(norm[~failed]))
    return numbers


def _cell_grid(rates, writer):
    """One panel per task cell, three to a row, sharing the y axis: (fig, axes, cells)."""
    cells = sorted(rates["cell"].unique())
    fig, axes = writer.figure(ncols=min(3, len(cells)), nrows=int(np.ceil(len(cells) / 3)),
                             sharey=True)
    return fig, axes, cells


def _finish(fig, axes, cells, writer, name):
    """Hide the panels the grid has beyond the cells, then save."""
    for ax in list(axes.flat)[len(cells):]:
        ax.set_visible(False)
    return writer.save(fig, name)


def _plot_rates(rates, writer):
    fig, axes, cells = _cell_grid(rates, writer)
    for ax, cell in zip(axes.flat, cells):
        for activation, g in rates[rates["cell"] == cell].groupby("model.activation"):
            g = g.sort_values("width")
            plots.band(ax, g["width"], g["rate"], g["low"], g["high"], label=activation,
                       color=plots.colour(activation))
        ax.set(xscale="log", title=cell, xlabel="hidden width", ylabel="per-restart success p",
               ylim=(-0.03, 1.03))
        ax.set_xscale("log", base=2)
        ax.legend(fontsize=7)
    return _finish(fig, axes, cells, writer, "restarts_success_rate.png")


def _plot_needed(rates, writer):
    fig, axes, cells = _cell_grid(rates, writer)
    for ax, cell in zip(axes.flat, cells):
        for activation, g in rates[rates["cell"] == cell].groupby("model.activation"):
            never = g[~np.isfinite(g["restarts_needed"])]
            g = g[np.isfinite(g["restarts_needed"])].sort_values("width")
            high = g["needed_high"].replace(np.inf, NEVER_SHOWN_AT)
            shade = plots.band(ax, g["width"], g["restarts_needed"], g["needed_low"], high,
                               label=activation, color=plots.colour(activation))
            # widths where no restart fitted: no finite number of restarts is enough
            ax.scatter(never["width"], np.full(len(never), NEVER_SHOWN_AT), marker="x", color=shade,
                       label=f"{activation}: none fitted" if len(never) else None)
        ax.axhline(ESSAY_RESTARTS, color="grey", linestyle=":", linewidth=1)
        ax.set(yscale="log", title=cell, xlabel="hidden width",
               ylabel="restarts for 99% success")
        ax.set_xscale("log", base=2)
        ax.legend(fontsize=7)
    return _finish(fig, axes, cells, writer, "restarts_needed.png")


def _plot_best_of_k(members, writer):
    """Best-of-k for the hardest cell (lowest overall success): expected best final loss
    (top) and the chance that at least one of k restarts fits (bottom)."""
    hardest = members.groupby("cell")["fitted"].mean().idxmin()
    chosen = members[members["cell"] == hardest]
    activations = sorted(chosen["model.activation"].unique())
    fig, axes = writer.figure(ncols=len(activations), nrows=2, sharex=True)
    for column, activation in enumerate(activations):
        part = chosen[chosen["model.activation"] == activation]
        top, bottom = axes[0, column], axes[1, column]
        groups = list(part.groupby("width"))
        shades = plots.sequential(len(groups))   # narrow -> wide, dark -> light
        for (width, g), shade in zip(groups, shades):
            ks = np.unique(np.geomspace(1, len(g), 30).astype(int))
            best = expected_best(g["final_loss"].to_numpy(float), ks)
            top.plot(ks, np.where(np.isfinite(best), best, np.nan), label=f"width {width}", color=shade)
            fits = prob_any_success(int(g["fitted"].sum()), len(g), ks)
            bottom.plot(ks, fits, label=f"width {width}", color=shade)
        top.set(xscale="log", yscale="log", title=f"{hardest}, {activation}",
                ylabel="expected best final loss")
        bottom.set(xscale="log", xlabel="restarts kept (best of k)",
                   ylabel="P(at least one fits)", ylim=(-0.03, 1.03))
        top.legend(fontsize=6, ncol=2)
    return writer.save(fig, "restarts_best_of_k.png")


def _tables(rates, trends):
    shown = rates[["cell", "model.activation", "width", "successes", "trials", "rate", "low",
                   "high", "restarts_needed", "needed_low", "needed_high",
                   f"p_best_of_{ESSAY_RESTARTS}"]]
    return [markdown(trends, "Per cell: smallest width with a fit vs the largest width "
                             "(p with Wilson 95% bounds) and the trend the rule reads."),
            markdown(shown, "Per-restart success p (Wilson 95%), restarts needed for 99% "
                            "success (interval from p's bounds), and P(best of 1000 fits).")]


def best_of_k_table(members, ks=(1, 10, 100)):
    """Expected best final loss among k restarts (k = 1, 10, 100 and all recorded) per cell
    and width: one row per (cell, activation, width), one column per k."""
    rows = []
    for (cell, activation, width), g in members.groupby(["cell", "model.activation", "width"]):
        chosen = sorted({k for k in ks if k <= len(g)} | {len(g)})
        best = expected_best(g["final_loss"].to_numpy(float), chosen)
        rows.append({"cell": cell, "activation": activation, "width": width,
                     **{f"best of {k}": b for k, b in zip(chosen, best)}})
    return pd.DataFrame(rows)


def _text(trends, numbers, verdict):
    fitted = trends[trends["trend"] != "no fit"]
    lines = [f"**{verdict}**: p rises from the smallest fitting width to the largest in "
             f"{numbers['cells_rising']} of {numbers['cells_with_a_fit']} cells, falls in "
             f"{numbers['cells_falling']}, is flat in {numbers['cells_flat']}."]
    for _, r in fitted.iterrows():
        lines.append(f"- {r['cell']}, {r['activation']}: p = {r['p_smallest']:.2f} at width "
                     f"{r['smallest_fitting_width']} -> {r['p_largest']:.2f} "
                     f"[{r['p_largest_low']:.2f}, {r['p_largest_high']:.2f}] at width "
                     f"{r['largest_width']} ({r['trend']})"
                     + (f"; its {r['failed_at_largest']} failures ended with a median "
                        f"{r['failed_rows_wrong']:.0f} row(s) wrong and a gradient {r['failed_grad_drop']:.1g} x its initial norm."
                        if r.get("failed_at_largest", 0) else "."))
    return "\n".join(lines)


def _caveats(numbers):
    caveats = ["A restart that did not fit within the fixed epoch budget may be slow rather "
               "than stuck; the final gradient norms say which."]
    if "median_final_grad_norm_failed" in numbers:
        caveats.append(
            f"Failed restarts ended with median gradient norm "
            f"{numbers['median_final_grad_norm_failed']:.2g} ({numbers['median_grad_drop_failed']:.2g} x "
            f"their initial norm) and median loss "
            f"{numbers['median_final_loss_failed']:.3g}"
            + (f" (fitted ones: {numbers['median_final_grad_norm_fitted']:.2g})."
               if "median_final_grad_norm_fitted" in numbers else "."))
    caveats.append("Success means fitting the whole truth table (every row on the right side "
                   "of 0.5), which is what the essay's 'best of the runs' needs for a boolean "
                   "function; a lower loss alone is not counted.")
    return caveats


# How the report names the deciding numbers: (words, unit); see expressivity/wording.py.
NUMBER_LABELS = {
    "cells_rising": ("cells where the per-restart success rate rises with width", ""),
    "cells_falling": ("cells where it falls with width", ""),
    "cells_with_a_fit": ("cells with at least one fit", ""),
    "cells_total": ("cells", ""),
    "cells_flat": ("cells where it stays flat", ""),
}
