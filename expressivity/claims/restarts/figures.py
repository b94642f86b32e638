"""Figures of claim `restarts`: p(width) per cell and arm, restarts needed, teacher-student."""
import numpy as np

from expressivity.claims import plots

ARM_STYLE = {"essay": {"linestyle": "-", "marker": "o"}, "bce": {"linestyle": "--", "marker": "s"},
             "linear": {"linestyle": ":", "marker": "^"}}
NEVER_SHOWN_AT = 1e4  # where widths with no fit are marked on the restarts-needed axis


def _grid(rates, writer):
    cells = sorted(rates["cell"].unique())
    fig, axes = writer.figure(ncols=min(3, len(cells)), nrows=int(np.ceil(len(cells) / 3)), sharey=True)
    for ax in list(axes.flat)[len(cells):]:
        ax.set_visible(False)
    return fig, axes, cells


def plot_rates(rates, writer):
    """Per-restart success p against width (Wilson 95% bands): one panel per task cell,
    colour = hidden activation, line style = arm (loss and output unit)."""
    fig, axes, cells = _grid(rates, writer)
    for ax, cell in zip(axes.flat, cells):
        for (activation, arm), g in rates[rates["cell"] == cell].groupby(["activation", "arm"]):
            g = g.sort_values("width")
            plots.band(ax, g["width"], g["rate"], g["low"], g["high"], label=f"{activation}, {arm}",
                       color=plots.colour(activation), **ARM_STYLE.get(arm, {}))
        ax.set(title=cell, xlabel="hidden width", ylabel="per-restart success p (tuned step)",
               ylim=(-0.03, 1.03))
        ax.set_xscale("log", base=2)
        ax.legend(fontsize=6)
    return writer.save(fig, "restarts_success_rate.png")


def plot_needed(rates, essay_restarts, writer):
    """Restarts needed for 99% success against width; x where no restart fitted."""
    fig, axes, cells = _grid(rates, writer)
    for ax, cell in zip(axes.flat, cells):
        explained = False   # the x markers get one legend entry per panel
        for (activation, arm), g in rates[rates["cell"] == cell].groupby(["activation", "arm"]):
            never = g[~np.isfinite(g["needed"])]
            g = g[np.isfinite(g["needed"])].sort_values("width")
            shade = plots.band(ax, g["width"], g["needed"], g["needed_low"],
                               g["needed_high"].replace(np.inf, NEVER_SHOWN_AT),
                               label=f"{activation}, {arm}", color=plots.colour(activation),
                               **ARM_STYLE.get(arm, {}))
            label = None if explained or never.empty else \
                f"× no restart fitted (drawn at {NEVER_SHOWN_AT:g})"
            explained = explained or label is not None
            ax.scatter(never["width"], np.full(len(never), NEVER_SHOWN_AT), marker="x", color=shade,
                       label=label)
        ax.axhline(essay_restarts, color="grey", linestyle=":", linewidth=1,
                   label=f"the essay's {essay_restarts:g} restarts")
        ax.set(yscale="log", title=cell, xlabel="hidden width", ylabel="restarts for 99% success")
        ax.set_xscale("log", base=2)
        ax.legend(fontsize=6)
    return writer.save(fig, "restarts_needed.png")


def plot_teacher(teacher, writer):
    """Teacher-student: share of restarts ending away from the teacher against n/k, per k."""
    fig, axes = writer.figure()
    ax = axes[0, 0]
    for k, g in teacher.groupby("k"):
        g = g.sort_values("width")
        plots.band(ax, g["overparameterisation"], 1 - g["rate"], 1 - g["high"], 1 - g["low"],
                   label=f"k = {k}")
    ax.set(xlabel="student units / teacher units (n / k)", ylabel="share ending away from teacher",
           title="Safran & Shamir teacher-student", ylim=(-0.03, 1.03))
    ax.legend(fontsize=7)
    return writer.save(fig, "restarts_teacher_student.png")
