"""Figures of `depth_vs_width`: minimal width against n (what exists | what training finds, one
log axis), trained width against budget, and minimal parameter count by depth."""
import numpy as np
from matplotlib.ticker import NullFormatter



FUNCTIONS = ("parity", "majority", "inner_product", "random", "parity_of_majorities")
COLOURS = dict(zip(FUNCTIONS + ("product",), ("C0", "C1", "C2", "C3", "C4", "C5")))
DEPTH_STYLES = {1: ("C0", "o"), 2: ("C1", "s"), 3: ("C2", "^")}


def width_against_n(existence, exact_named, trained, writer):
    """Left: exact step widths (n <= 4), constructions, counting bound, cited sigmoid size.
    Right: depth-1 trained minimal widths (median, min-max over seeds; hollow: a budget bound)."""
    fig, axes = writer.figure(ncols=2, width=4.6, height=4, sharey=True, sharex=True)
    left, right = axes[0]
    for function in ("parity", "majority", "inner_product"):
        part = existence[existence["function"] == function].dropna(subset=["construction_depth1"])
        if len(part):
            left.plot(part["n"], part["construction_depth1"], "--", color=COLOURS[function],
                      label=f"{function}: construction, 1 layer")
        deep = existence[existence["function"] == function].dropna(subset=["construction_deep"])
        if len(deep):
            left.plot(deep["n"], deep["construction_deep"], ":", color=COLOURS[function],
                      label=f"{function}: construction, deeper (total units)")
    half = existence[existence["function"] == "half of all"]
    left.plot(half["n"], half["lower_bound_depth1"], "-", color="k", label="half of all functions need >= (counting)")
    left.plot(half["n"], half["construction_depth1"], "--", color="grey", label="any function: DNF 2^(n-1)")
    ns = np.array(sorted(half["n"]))
    left.plot(ns, ns // 2 + 1, "-.", color=COLOURS["parity"], linewidth=0.8,
              label="parity, sigmoid units: floor(n/2)+1 (Setiono 1997)")
    for function, g in exact_named.groupby("function"):
        left.scatter(g["n"], g["min_width"], marker="*", s=70, color=COLOURS.get(function, "k"), zorder=3,
                     label=f"{function}: exact (step, SAT)")
    left.set(title="exists (step units unless labelled)", xlabel="input bits n", ylabel="hidden units")
    for function, g in trained[(trained["depth"] == 1) & (trained["shape"] == "uniform")].groupby("function"):
        g = g.sort_values("n")
        colour = COLOURS.get(function, "k")
        right.fill_between(g["n"], g["min"], g["max"], color=colour, alpha=0.2, linewidth=0)
        right.plot(g["n"], g["median"], "-", color=colour, label=f"{function} (tanh, 1 layer)")
        done = g["converged"]
        right.scatter(g.loc[done, "n"], g.loc[done, "median"], color=colour, s=20)
        right.scatter(g.loc[~done, "n"], g.loc[~done, "median"], facecolors="none", edgecolors=colour, s=30)
    right.set(title="training finds (hollow: budget bound)", xlabel="input bits n")
    for ax in (left, right):
        ax.set_yscale("log", base=2)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=5)
    return writer.save(fig, "depth_vs_width_min_width.png")


def width_against_budget(searches, writer):
    """Per function: the depth-1 minimal width at each budget (epochs x restarts), one line per n."""
    part = searches[(searches["depth"] == 1) & (searches["shape"] == "uniform")]
    functions = [f for f in FUNCTIONS if f in set(part["function"])]
    if not functions:
        return None
    fig, axes = writer.figure(ncols=len(functions), width=3.2, height=3.2, sharey=True)
    for ax, function in zip(axes[0], functions):
        rows = part[part["function"] == function]
        for n, g in rows.groupby("n"):
            points = {}
            for _, r in g.iterrows():
                for (epochs, restarts), width in zip(r["budgets"], r["widths_by_budget"]):
                    if width is not None:
                        points.setdefault(epochs * restarts, []).append(width)
            if points:
                x = sorted(points)
                ax.plot(x, [np.median(points[b]) for b in x], marker="o", markersize=3, label=f"n={n}")
        ax.set(xscale="log", yscale="log", title=function, xlabel="budget: epochs x restarts")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.legend(fontsize=5)
    axes[0][0].set_ylabel("minimal width found (median over seeds)")
    return writer.save(fig, "depth_vs_width_budget.png")


def parameters_by_depth(trained, writer):
    """Per function: the smallest median parameter count per depth (over shapes) against n."""
    functions = [f for f in FUNCTIONS if f in set(trained["function"])]
    fig, axes = writer.figure(ncols=max(1, len(functions)), width=3.2, height=3.2, sharey=True)
    for ax, function in zip(axes[0], functions):
        best = trained[trained["function"] == function].groupby(["depth", "n"])["parameters"].min().reset_index()
        for depth, g in best.groupby("depth"):
            ax.plot(g["n"], g["parameters"], marker="o", markersize=3, label=f"depth {depth}")
        ax.set(yscale="log", title=function, xlabel="input bits n")
        ax.legend(fontsize=6)
    axes[0][0].set_ylabel("minimal parameter count (trained)")
    return writer.save(fig, "depth_vs_width_parameters.png")




def minimal_by_depth(constructed, sat, trained, families, writer):
    """Per family: minimal hidden units against n at depths 1, 2, 3 on a log axis, constructed
    (dashed; stars: exact SAT minimum) beside trained (solid: median over seeds, band: min-max)."""
    fig, axes = writer.figure(ncols=len(families), width=3.0, height=3.2, sharey=False)
    for ax, family in zip(axes[0], families):
        built = constructed[constructed["family"] == family]
        if len(built):
            best = built.groupby(["depth", "n"])["units"].min().reset_index()
            for depth, g in best.groupby("depth"):
                colour, marker = DEPTH_STYLES.get(int(depth), ("k", "x"))
                ax.plot(g["n"], g["units"], "--", color=colour, marker=marker, markersize=2,
                        label=f"depth {depth}, constructed")
        exact = sat[sat["family"] == family] if len(sat) else sat
        for depth, g in exact.groupby("depth") if len(exact) else []:
            ax.scatter(g["n"], g["units"], marker="*", s=50, color=DEPTH_STYLES.get(int(depth), ("k",))[0],
                       zorder=3, label=f"depth {depth}, exact (SAT)")
        part = trained[trained["family"] == family]
        if len(part):
            per = part.groupby(["depth", "n"])["units"].agg(["median", "min", "max"]).reset_index()
            for depth, g in per.groupby("depth"):
                colour, marker = DEPTH_STYLES.get(int(depth), ("k", "x"))
                ax.fill_between(g["n"], g["min"], g["max"], color=colour, alpha=0.2, linewidth=0)
                ax.plot(g["n"], g["median"], "-", color=colour, marker=marker, markersize=3,
                        label=f"depth {depth}, trained")
        ax.set(yscale="log", title=family, xlabel="input bits n", ylabel="minimal hidden units")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=5)
    return writer.save(fig, "depth_vs_width_by_depth.png")
