"""approximation: one hidden layer approximates anything, at a possibly exponential cost.

Existence by construction: the sawtooth's deep and shallow nets from the records of
the construction sweep ``approximation_constructions`` (``constructions/approximation.py``),
the ReLU interpolant (``theory.interpolant``) at the trained widths here; learnability by
training one-hidden-layer ReLU nets at growing widths (the ``approximation`` sweep, which
records each member's sup error ``max_error``).
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from expressivity.tasks import make_task
from expressivity.theory.interpolant import interpolant_error, relu_interpolant
from expressivity.theory.sawtooth import shallow_units_needed
from expressivity.claims.constructed import construction_frame
from expressivity.claims.contract import Decision, overall
from expressivity.claims.summaries import markdown

ID = "approximation"
VERIFIED = ("exists",)   # constructions and exact computations: only a bug can fail them (issue 19)
# Member columns the analysis reads; without them the sweep is reported as missing.
COLUMNS = ("task.name", "width", "max_error", "final_loss", "task.L")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of approximation.yaml."""
    interpolant_tolerance: float
    max_L: int
    same_function_tolerance: float
    max_spearman: float
    sawtooth_fit: float


TARGETS = {"square": (lambda x: x ** 2, -1.0, 1.0), "sin": (lambda x: np.sin(np.pi * x), -1.0, 1.0)}


def interpolant_table(widths):
    """Per (target, N): the N-unit interpolant's sup error, dense and on the training grid.

    Computed here, not in a construction job: ``widths`` are the widths the training sweep
    trained (read from its members), and the table sits beside them at equal width; a job
    would have to repeat the training grid in its parameters and drift from it when the grid
    changes. It is a closed-form build checked against 1/N^2, milliseconds long.
    """
    rows = []
    for name, (fn, low, high) in TARGETS.items():
        task = make_task(name, points=256)
        for N in widths:
            knots = np.linspace(low, high, N + 1)
            net = relu_interpolant(knots, fn(knots))
            on_grid = np.abs(net.forward(task.X)[0] - task.Y).max()
            rows.append({"task": name, "width": int(N), "dense_error": interpolant_error(fn, low, high, N),
                         "grid_error": float(on_grid)})
    return pd.DataFrame(rows)


def sawtooth_table(tables, max_L):
    """Per L = 1..max_L: pieces and units of the deep tent composition and of the shallow
    interpolant, from the ``approximation_sawtooth`` record made with the rule's ``max_L``."""
    return construction_frame(tables, "approximation_sawtooth", {"max_L": max_L})


def trained_table(members):
    """Per (task, width): best and median sup error over restarts, and the best final loss."""
    g = members.groupby(["task.name", "width"])
    table = g["max_error"].agg(best="min", median="median").reset_index()
    table["best_loss"] = g["final_loss"].min().to_numpy()
    return table.rename(columns={"task.name": "task"})


def spearman(x, y):
    """Spearman rank correlation (Pearson on average ranks); NaN with fewer than 3 points."""
    x, y = pd.Series(x).rank(), pd.Series(y).rank()
    return float(np.corrcoef(x, y)[0, 1]) if len(x) >= 3 and x.std() > 0 and y.std() > 0 else np.nan


def constructions_hold(interp, saw, rule):
    """(a) the interpolant's error is 1/N^2; (b) the deep sawtooth has 2^L pieces from 2L units
    and the shallow one built through its corners has as many and matches it."""
    exact = (interp[interp["task"] == "square"]
             .assign(rel=lambda t: np.abs(t["dense_error"] * t["width"] ** 2 - 1)))
    a_ok = bool((exact["rel"] <= rule.interpolant_tolerance).all())
    b_ok = bool(((saw["deep_pieces"] == 2 ** saw["L"]) & (saw["deep_units"] == 2 * saw["L"])
                 & (saw["shallow_pieces"] == 2 ** saw["L"])
                 & (saw["shallow_units_built"] >= saw["shallow_units_needed"])
                 & (saw["difference"] <= rule.same_function_tolerance)).all())
    return a_ok and b_ok


def training_verdict(rho, rule, refute=True):
    """(c) the best trained error falls with width (Spearman rho <= max_spearman) on every
    target: supported; rule v2 (issue 19): refuted if it falls on none, mixed if on some.
    ``refute=False`` is rule v1, where a fall on no target was only mixed."""
    if len(rho) < len(TARGETS) or any(np.isnan(r) for r in rho.values()):
        return "inconclusive"
    falls = [r <= rule.max_spearman for r in rho.values()]
    if all(falls):
        return "supported"
    return "refuted" if refute and not any(falls) else "mixed"


def evidence(tables, rule):
    """The sweep's trained errors per width beside the interpolant and the sawtooth (record)."""
    members = tables.members
    trained = trained_table(members)
    widths = sorted(int(w) for w in trained["width"].unique())
    interp = interpolant_table(widths)
    L = int(members["task.L"].iloc[0])
    teeth = trained[trained["task"] == "sawtooth"].sort_values("width")
    fitting = teeth[teeth["best"] <= rule.sawtooth_fit]
    both = trained.merge(interp, on=["task", "width"], how="left")
    widest = max(widths)
    return SimpleNamespace(
        trained=trained, interp=interp, saw=sawtooth_table(tables, rule.max_L), both=both, L=L,
        widest=widest, first_fit=int(fitting["width"].iloc[0]) if len(fitting) else None,
        at_widest=both[(both["width"] == widest) & both["task"].isin(list(TARGETS))],
        rho={t: spearman(g["width"], g["best"]) for t, g in trained.groupby("task") if t in TARGETS})


def decide_exists(ev, rule):
    interp, saw = ev.interp, ev.saw
    verdict = "supported" if constructions_hold(interp, saw, rule) else "refuted"
    return Decision(verdict, {
        "interpolant_square_error_times_N2_max_deviation":
            float(np.abs(interp.loc[interp["task"] == "square", "dense_error"]
                         * interp.loc[interp["task"] == "square", "width"] ** 2 - 1).max()),
        "deep_sawtooth_pieces_L10": int(saw["deep_pieces"].iloc[-1]),
        "deep_sawtooth_units_L10": int(saw["deep_units"].iloc[-1]),
        "shallow_units_needed_L10": int(saw["shallow_units_needed"].iloc[-1])})


def decide_training(ev, rule):
    """Rule v2 (issue 19): ``training_verdict`` with its refuted branch."""
    return Decision(training_verdict(ev.rho, rule), _training_numbers(ev))


def decide_training_v1(ev, rule):
    """Rule v1 (pre-registered): no refuted branch."""
    return Decision(training_verdict(ev.rho, rule, refute=False), _training_numbers(ev))


def _training_numbers(ev):
    return {
        **{f"spearman_width_vs_best_error.{t}": r for t, r in ev.rho.items()},
        **{f"trained_over_construction_at_width_{ev.widest}.{r.task}": float(r.best / r.grid_error)
           for r in ev.at_widest.itertuples()},
        "sawtooth_L_trained": ev.L, "shallow_units_needed_trained_L": shallow_units_needed(2 ** ev.L),
        "smallest_width_fitting_sawtooth": ev.first_fit}


def text(ev, decisions, rule):
    verdict = overall(decisions["exists"], decisions["training"])
    return _text(verdict, ev.interp, ev.saw, ev.trained, ev.rho, ev.at_widest, ev.L, ev.first_fit,
                 rule, ev.widest)


def tables(ev):
    return [markdown(ev.saw, "Sawtooth: linear pieces counted from breakpoints, deep (2 units per "
                             "layer) vs one hidden layer; `difference` = sup |deep - shallow|",
                     floatfmt=".3g"),
            markdown(ev.both, "Sup error by width: trained (best and median restart, on the 256 "
                              "training points) and the ReLU interpolant with as many units",
                     floatfmt=".3g")]


def caveats(ev, decisions):
    return ["Trained errors are measured on the training grid (256 points); the interpolant's "
            "dense error is on 256 points per piece.",
            "Full-batch gradient descent with momentum at one learning rate for all widths; other "
            "optimisers or longer training may do better."]


def figures(ev, rule, writer):
    return [_plot(ev.both, ev.saw, ev.L, rule, writer)]


def _text(verdict, interp, saw, trained, rho, at_widest, L, first_fit, rule, widest):
    sq = interp[interp["task"] == "square"]
    gaps = ", ".join(f"{r.task} x{r.best / r.grid_error:.1f}" for r in at_widest.itertuples())
    enough = sorted(int(w) for w in trained.loc[(trained["task"] == "sawtooth")
                                                & (trained["width"] >= 2 ** L - 1), "width"])
    fit_text = (f"first reached sup error <= {rule.sawtooth_fit:g} at width {first_fit}"
                if first_fit is not None else
                f"never reached sup error <= {rule.sawtooth_fit:g}"
                + (f", not even at widths {', '.join(map(str, enough))}, where the exact function "
                   f"is representable" if enough else ""))
    return (
        f"**Existence.** The N-unit ReLU interpolant of x^2 on [-1, 1] has sup error 1/N^2 "
        f"(N = {', '.join(map(str, sq['width']))}; largest deviation of error x N^2 from 1: "
        f"{np.abs(sq['dense_error'] * sq['width'] ** 2 - 1).max():.1e}), so one hidden layer gets "
        f"as close as we like. **Cost.** Composing the tent map L times with 2 ReLU units per layer "
        f"gave exactly 2^L pieces for L = 1..{saw['L'].max()} (counted from breakpoints: "
        f"{saw['deep_pieces'].iloc[-1]} pieces from {saw['deep_units'].iloc[-1]} units at "
        f"L = {saw['L'].max()}); one hidden layer needs at least 2^L - 1 units for as many pieces "
        f"({saw['shallow_units_needed'].iloc[-1]} at L = {saw['L'].max()}), and the shallow net "
        f"built through the corners matched the deep one to "
        f"{saw['difference'].max():.1e}. **Training.** The best restart's sup error fell with width "
        f"(Spearman rho: {', '.join(f'{t} {r:.2f}' for t, r in rho.items())}; the rule asks <= "
        f"{rule.max_spearman}); at width {widest} the best trained net was {gaps} times the "
        f"interpolant's error. On the {L}-fold sawtooth (2^{L} = {2 ** L} pieces, at least "
        f"{2 ** L - 1} shallow units needed) trained one-hidden-layer nets {fit_text}. "
        f"Verdict: **{verdict}**.\n\n"
        "Existence and learnability part ways in the gap between the interpolant and the trained "
        "nets at equal width: the weights that achieve the construction's error exist in every "
        "trained architecture, and gradient descent gets within the factor above, not to them; "
        "on the sawtooth, the exponential width is the cost of *representing* it in one layer.")


def _plot(both, saw, L, rule, writer):
    fig, axes = writer.figure(ncols=3, width=4.6, height=3.8)
    ax = axes[0][0]
    for task, g in both[both["task"].isin(list(TARGETS))].groupby("task"):
        line, = ax.plot(g["width"], g["best"], "o-", label=f"{task}: trained (best)")
        ax.plot(g["width"], g["median"], ":", color=line.get_color(), label=f"{task}: trained (median)")
        ax.plot(g["width"], g["grid_error"], "s--", color=line.get_color(), ms=3,
                label=f"{task}: interpolant")
    ax.set(xscale="log", yscale="log", xlabel="hidden units N", ylabel="sup error",
           title="x^2 and sin(pi x), one hidden layer")
    ax.legend(fontsize=6)
    ax = axes[0][1]
    g = both[both["task"] == "sawtooth"]
    ax.plot(g["width"], g["best"], "o-", label="trained (best)")
    ax.plot(g["width"], g["median"], ":", label="trained (median)")
    ax.axvline(2 ** L - 1, color="red", lw=1, label=f"2^{L} - 1 units: needed to represent")
    ax.axhline(rule.sawtooth_fit, color="grey", lw=1, ls="--", label="fit threshold")
    ax.plot(2 ** L, 0.0, "*", ms=12, color="green", clip_on=False,
            label=f"built: {2 ** L} units, error 0")
    ax.set(xscale="log", xlabel="hidden units N", ylabel="sup error", ylim=(0, 1.05),
           title=f"{L}-fold sawtooth, one hidden layer")
    ax.legend(fontsize=6)
    ax = axes[0][2]
    ax.plot(saw["deep_units"], saw["deep_pieces"], "o-", label="deep: 2 units per layer")
    ax.plot(saw["shallow_units_needed"], 2 ** saw["L"], "s-", label="one layer: fewest units")
    ax.set(xscale="log", yscale="log", xlabel="hidden units", ylabel="linear pieces",
           title="sawtooth pieces, L = 1..%d" % saw["L"].max())
    ax.legend(fontsize=7)
    return writer.save(fig, f"{ID}_width.png")


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "interpolant_square_error_times_N2_max_deviation": (
        "interpolant of x²: largest deviation of error × N² from 1", ""),
    "deep_sawtooth_pieces_L10": ("linear pieces of the 10-layer sawtooth", ""),
    "deep_sawtooth_units_L10": ("hidden units of the 10-layer sawtooth", "units"),
    "shallow_units_needed_L10": ("hidden units one layer needs for as many pieces", "units"),
    "spearman_width_vs_best_error.*": ("{}: rank correlation of width with best trained error", ""),
    "smallest_width_fitting_sawtooth": ("smallest trained width that fits the sawtooth", "units"),
}
