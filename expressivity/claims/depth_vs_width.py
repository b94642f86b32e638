"""Claim `depth_vs_width`: how the smallest trainable width grows with n, and what depth buys.

Input: min-width search jobs (``summary.min_width`` per function, n, depth,
task.seed) and their probes (member rows: ``width``, ``fitted``).
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from . import plots
from .contract import Decision
from .summaries import loglinear_fit, markdown, rate_table

ID = "depth_vs_width"
STRUCTURED = ("parity", "majority")
DEPTH_REPORTED = ("compositional", "random")   # pre-registered: depth gain reported for these
DEPTH_EXTRA = ("parity",)                      # added after the first full run, reported only
JOB_COLUMNS = ("summary.min_width", "summary.max_width", "task.name", "task.seed", "task.n",
               "model.depth")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of depth_vs_width.yaml."""
    growth_factor: float
    r2_min: float
    min_n: int
    depth_helps_ratio: float


def parameters(n, width, depth):
    """Weights and biases of an n-input net with ``depth`` hidden layers of ``width`` and one output."""
    n, width, depth = np.asarray(n), np.asarray(width), np.asarray(depth)
    return (n + 1) * width + (depth - 1) * (width + 1) * width + width + 1


def minimal_sizes(jobs):
    """One row per search: function, seed, n, depth, min_width, min_parameters, censored.

    A search that found no fit up to its max_width enters at max_width (a lower bound).
    """
    found = pd.to_numeric(jobs["summary.min_width"], errors="coerce")
    cap = pd.to_numeric(jobs["summary.max_width"], errors="coerce")
    table = pd.DataFrame({"function": jobs["task.name"].to_numpy(),
                          "seed": jobs["task.seed"].astype(int).to_numpy(),
                          "n": jobs["task.n"].astype(int).to_numpy(),
                          "depth": jobs["model.depth"].astype(int).to_numpy(),
                          "censored": found.isna().to_numpy()})
    table["min_width"] = np.where(table["censored"], cap, found).astype(int)
    table["min_parameters"] = parameters(table["n"], table["min_width"], table["depth"])
    return table.sort_values(["function", "seed", "depth", "n"]).reset_index(drop=True)


def growth(sizes):
    """Per function, the log-linear fit of depth-1 minimal width on n (all seeds pooled)."""
    rows = []
    for function, g in sizes[sizes["depth"] == 1].groupby("function"):
        fit = loglinear_fit(g["n"], g["min_width"])
        rows.append({"function": function, "factor": fit["factor"], "r2": fit["r2"],
                     "n_values": int(g["n"].nunique()), "points": fit["points"],
                     "censored": int(g["censored"].sum())})
    return pd.DataFrame(rows, columns=["function", "factor", "r2", "n_values", "points", "censored"])


def classify(row, rule):
    if row["n_values"] < rule.min_n:
        return "too few n"
    if row["factor"] < rule.growth_factor:
        return "not exponential"
    return "exponential" if row["r2"] >= rule.r2_min else "undecided"


def decide(fits):
    """Verdict by the pre-registered rule from the per-function classes."""
    kind = dict(zip(fits["function"], fits["class"]))
    random = kind.get("random")
    if random is None or random in ("too few n", "undecided"):
        return "inconclusive"
    if random == "not exponential":
        return "refuted"
    structured = [kind.get(f) for f in STRUCTURED]
    if "exponential" in structured:
        return "mixed"
    # supported needs both structured functions shown NOT exponential; a missing or
    # undecided fit (factor high, R^2 low) leaves the rule's condition unmet
    return "supported" if all(k == "not exponential" for k in structured) else "inconclusive"


def depth_gain(sizes, function):
    """Smallest median parameter count over depths >= 2 divided by depth 1's, at the largest n
    that every depth reached; NaN without both."""
    part = sizes[sizes["function"] == function]
    if part.empty or part["depth"].nunique() < 2:
        return np.nan, None
    medians = part.groupby(["n", "depth"])["min_parameters"].median().unstack("depth")
    complete = medians.dropna()
    if complete.empty or 1 not in complete.columns:
        return np.nan, None
    n = int(complete.index.max())
    row = complete.loc[n]
    return float(row.drop(1).min() / row[1]), n


def beyond_constructions(sizes):
    """The n at which training needed a wider single layer than a known construction:
    n threshold units for parity, one unit for majority (a linearly separable function)."""
    shallow = sizes[sizes["depth"] == 1]
    known = {"parity": lambda n: n, "majority": lambda n: 1}
    out = {}
    for function, width in known.items():
        part = shallow[shallow["function"] == function]
        over = sorted(int(n) for n, w in zip(part["n"], part["min_width"]) if w > width(n))
        out[f"{function}.n_where_training_exceeded_construction"] = str(over)
    return out


def evidence(tables, rule):
    """Minimal sizes per search and the depth-1 growth fit per function, classified."""
    sizes = minimal_sizes(tables.jobs)
    fits = growth(sizes)
    fits["class"] = [classify(r, rule) for _, r in fits.iterrows()]
    return SimpleNamespace(sizes=sizes, fits=fits, members=tables.members)


def decide_training(ev, rule):
    """The rule on the growth classes; depth gains and construction gaps reported beside it."""
    sizes, fits = ev.sizes, ev.fits
    numbers = {"searches": int(len(sizes)), "censored": int(sizes["censored"].sum())}
    for _, r in fits.iterrows():
        numbers[f"{r['function']}.growth_factor"] = r["factor"]
        numbers[f"{r['function']}.r2"] = r["r2"]
        numbers[f"{r['function']}.class"] = r["class"]
    for function in DEPTH_REPORTED + DEPTH_EXTRA:
        ratio, n = depth_gain(sizes, function)
        numbers[f"{function}.depth_parameter_ratio"] = ratio
        numbers[f"{function}.depth_helps"] = bool(ratio <= rule.depth_helps_ratio) if n else None
        numbers[f"{function}.depth_ratio_at_n"] = n
    numbers.update(beyond_constructions(sizes))
    # The report's summary shows the first two numbers: random tables' growth and parity's class.
    lead = [k for k in ("random.growth_factor", "parity.class") if k in numbers]
    return Decision(decide(fits), {**{k: numbers[k] for k in lead}, **numbers})


def figures(ev, rule, writer):
    names = [_plot_width(ev.sizes, ev.fits, rule, writer), _plot_parameters(ev.sizes, writer)]
    if not ev.members.empty:
        names.append(_plot_probes(ev.members, writer))
    return names


def tables(ev):
    sizes = ev.sizes
    table = sizes.assign(cell=sizes["min_width"].astype(str) + " / " + sizes["min_parameters"].astype(str)
                         + np.where(sizes["censored"], " (>)", "")) \
        .pivot_table(index=["function", "seed", "n"], columns="depth", values="cell", aggfunc="first") \
        .reset_index()
    table.columns = [c if isinstance(c, str) else f"depth {c}" for c in table.columns]
    return [markdown(ev.fits, "Growth of the depth-1 minimal width with n: per-bit factor exp(slope) "
                              "of a least-squares fit of log(width) on n."),
            markdown(table, "Minimal width / parameter count found by training, per function, "
                            "task.seed, n and depth ('(>)': no fit up to max_width).")]


def text(ev, decisions, rule):
    return _text(decisions["training"].verdict, ev.fits, decisions["training"].numbers, rule)


def caveats(ev, decisions):
    return _caveats(decisions["training"].numbers)


def _plot_width(sizes, fits, rule, writer):
    fig, axes = writer.figure(width=5.5, height=4)
    ax = axes[0, 0]
    shallow = sizes[sizes["depth"] == 1]
    for i, (function, g) in enumerate(shallow.groupby("function")):
        colour = f"C{i}"
        jitter = (g["seed"] - g["seed"].mean()) * 0.06
        ax.scatter(g["n"] + jitter, g["min_width"], color=colour, s=18, label=function)
        ax.scatter(g.loc[g["censored"], "n"], g.loc[g["censored"], "min_width"], color=colour, marker="x", s=40)
        fit = loglinear_fit(g["n"], g["min_width"])
        if np.isfinite(fit["slope"]):
            ns = np.linspace(g["n"].min(), g["n"].max(), 20)
            ax.plot(ns, np.exp(fit["intercept"] + fit["slope"] * ns), color=colour, linewidth=1,
                    label=f"  fit x{fit['factor']:.2f}/bit, R^2 {fit['r2']:.2f}")
    ax.set_yscale("log", base=2)
    ax.set(title="one hidden layer: smallest width training fits", xlabel="input bits n",
           ylabel="minimal hidden width (log scale)")
    ax.legend(fontsize=6)
    return writer.save(fig, "depth_vs_width_min_width.png")


def _plot_parameters(sizes, writer):
    functions = sorted(sizes["function"].unique())
    fig, axes = writer.figure(ncols=len(functions), sharey=True, width=3.4)
    for ax, function in zip(axes.flat, functions):
        part = sizes[sizes["function"] == function]
        for depth, g in part.groupby("depth"):
            stats = g.groupby("n")["min_parameters"].agg(["median", "min", "max"]).reset_index()
            shade = plots.band(ax, stats["n"], stats["median"], stats["min"], stats["max"], label=f"depth {depth}")
            capped = g[g["censored"]]
            ax.scatter(capped["n"], capped["min_parameters"], marker="x", s=60, color=shade,
                       label=f"depth {depth}: no fit up to max width" if len(capped) else None)
        ax.set(yscale="log", title=function, xlabel="input bits n", ylabel="minimal parameter count")
        ax.legend(fontsize=6)
    return writer.save(fig, "depth_vs_width_parameters.png")


def _plot_probes(members, writer):
    """Every probe of the depth-1 searches at each function's largest n: success vs width."""
    shallow = members[members["depth"] == 1]
    largest = shallow.groupby("task.name")["task.n"].transform("max")
    part = shallow[shallow["task.n"] == largest]
    rates = rate_table(part, ["task.name", "task.seed", "task.n", "width"])
    fig, axes = writer.figure(width=5.5, height=4)
    ax = axes[0, 0]
    for (function, seed, n), g in rates.groupby(["task.name", "task.seed", "task.n"]):
        g = g.sort_values("width")
        label = f"{function} n={n}" + (f" #{seed}" if function == "random" else "")
        plots.band(ax, g["width"], g["rate"], g["low"], g["high"], label=label)
    ax.set_xscale("log", base=2)
    ax.set(title="depth 1, largest n: every probe of the search", xlabel="hidden width",
           ylabel="per-restart fit rate (Wilson 95%)", ylim=(-0.03, 1.03))
    ax.legend(fontsize=6)
    return writer.save(fig, "depth_vs_width_probes.png")


def _text(verdict, fits, numbers, rule):
    lines = [f"**{verdict}** (exponential: per-bit factor >= {rule.growth_factor} with "
             f"R^2 >= {rule.r2_min}, depth 1)."]
    for _, r in fits.iterrows():
        lines.append(f"- {r['function']}: minimal width grows x{r['factor']:.2f} per bit "
                     f"(R^2 {r['r2']:.2f}, {r['n_values']} values of n) -> {r['class']}.")
    for function in DEPTH_REPORTED + DEPTH_EXTRA:
        ratio = numbers.get(f"{function}.depth_parameter_ratio")
        extra = " (not pre-registered, reported only)" if function in DEPTH_EXTRA else ""
        if ratio is not None and np.isfinite(ratio):
            lines.append(f"- depth on {function}{extra} (n={numbers[f'{function}.depth_ratio_at_n']}): the best "
                         f"deeper net has {ratio:.2f}x the parameters of the best one-layer net -> "
                         f"depth {'helps' if numbers[f'{function}.depth_helps'] else 'does not help'}.")
    for function in ("parity", "majority"):
        over = numbers.get(f"{function}.n_where_training_exceeded_construction", "[]")
        if over != "[]":
            lines.append(f"- existence vs learnability: one layer of {'n units' if function == 'parity' else 'one unit'} "
                         f"computes {function} exactly, yet training needed more at n = {over}.")
    return "\n".join(lines)


def _caveats(numbers):
    caveats = ["Sizes are what training found (best of the restarts, fixed budget): upper bounds on "
               "the smallest net that exists. Representable is not learnable; constructions "
               "(parity in n units, majority in 1) are the existence side.",
               "With n <= 8 an exponential and a steep polynomial are hard to tell apart; the "
               "threshold separates 2^n/n-like growth from linear growth in n."]
    if numbers["censored"]:
        caveats.append(f"{numbers['censored']} searches found no fit up to max_width; they enter as "
                       f"max_width, which understates their growth.")
    return caveats


# How the report names the deciding numbers: (words, unit); see expressivity/wording.py.
NUMBER_LABELS = {
    "*.growth_factor": ("{} tables: minimal width grows per extra input bit by", "×"),
    "*.r2": ("{} tables: R² of the exponential fit", ""),
    "*.class": ("{} tables: growth", ""),
    "searches": ("width searches", ""),
    "censored": ("searches that reached the width limit", ""),
}
