"""counting: k-valued weights give at most kᴺ functions, a vanishing share of all.

Settled by enumeration (``theory.counting``, ``theory.threshold``): every
network of small architectures with weights from small sets, run on all
inputs as batched populations.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ..theory.counting import count_functions
from ..theory.threshold import threshold_count
from .contract import Decision
from .summaries import markdown

ID = "counting"


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of counting.yaml."""
    architectures: list
    threshold_max_weight: int
    threshold_known: list
    max_share_at_largest_n: float


def architecture_table(rule):
    """One row per architecture: n, hidden sizes, k, N, kᴺ, distinct functions D, shares."""
    rows = []
    for spec in rule.architectures:
        sizes, values = tuple(spec["sizes"]), list(spec["values"])
        found = count_functions(sizes, values)
        rows.append({"architecture": "-".join(map(str, sizes)), "n": sizes[0],
                     "hidden": str(list(sizes[1:-1])), "k": len(values),
                     "N": found["parameters"], "networks": found["networks"],
                     "functions": found["functions"], "distinct": found["distinct"],
                     "share_of_all": found["distinct"] / found["functions"],
                     "share_of_networks": found["distinct"] / found["networks"]})
    return pd.DataFrame(rows)


def threshold_table(rule):
    known = list(rule.threshold_known)
    counts = [threshold_count(n, rule.threshold_max_weight) for n in range(1, len(known) + 1)]
    return pd.DataFrame({"n": range(1, len(known) + 1), "counted": counts, "known": known,
                         "functions": [2 ** 2 ** n for n in range(1, len(known) + 1)]})


def shares_fall(arch):
    """True if, for every hidden-layer shape, the share of all functions falls strictly with n."""
    for _, g in arch.groupby("hidden"):
        share = g.sort_values("n")["share_of_all"].to_numpy()
        if len(share) > 1 and not (np.diff(share) < 0).all():
            return False
    return True


def verdict(arch, thresholds, rule):
    bound = np.minimum(arch["networks"], arch["functions"])
    if (arch["distinct"] > bound).any() or (thresholds["counted"] != thresholds["known"]).any():
        return "inconclusive"        # the enumeration itself is wrong
    largest = arch[arch["n"] == arch["n"].max()]
    small = (largest["share_of_all"] < rule.max_share_at_largest_n).all()
    return "supported" if small and shares_fall(arch) else "mixed"


def evidence(tables, rule):
    """Every network of the rule's architectures enumerated (no sweep: ``tables`` are empty)."""
    arch = architecture_table(rule)
    # Where k^N is below 2^(2^n) the pigeonhole bound is the binding one: show its slack there.
    binding = arch[arch["networks"] < arch["functions"]]
    loosest = (binding if len(binding) else arch).sort_values("share_of_networks").iloc[0]
    return SimpleNamespace(arch=arch, thresholds=threshold_table(rule), loosest=loosest)


def decide_exists(ev, rule):
    arch, thresholds = ev.arch, ev.thresholds
    largest = arch[arch["n"] == arch["n"].max()]
    return Decision(verdict(arch, thresholds, rule), {
        "largest_n": int(largest["n"].iloc[0]),
        "max_share_at_largest_n": float(largest["share_of_all"].max()),
        "shares_fall_with_n": shares_fall(arch),
        "threshold_counts": ", ".join(map(str, thresholds["counted"])),
        "threshold_counts_match_known": bool((thresholds["counted"] == thresholds["known"]).all()),
        "smallest_distinct_over_networks": float(ev.loosest["share_of_networks"]),
        "networks_enumerated": int(arch["networks"].sum())})


def text(ev, decisions, rule):
    numbers, loosest = decisions["exists"].numbers, ev.loosest
    return (
        f"Enumerating {numbers['networks_enumerated']:,} networks in all (step units, weights and "
        f"biases from {{-1, 0, 1}} or {{-1, 1}}): at n = {numbers['largest_n']} inputs the "
        f"architectures reach at most {100 * numbers['max_share_at_largest_n']:.4f}% of the "
        f"{2 ** 2 ** numbers['largest_n']:,} boolean functions (the rule's bound: "
        f"{100 * rule.max_share_at_largest_n:g}%), and at fixed hidden width the share falls "
        f"as n grows: {'yes' if numbers['shares_fall_with_n'] else 'no'}. k^N itself is loose: the "
        f"{int(loosest['networks']):,} networks of {loosest['architecture']} with k = "
        f"{loosest['k']} compute only {int(loosest['distinct']):,} distinct functions "
        f"({100 * loosest['share_of_networks']:.2f}% of k^N), because many weight settings compute "
        f"the same function. A single threshold neuron computes {numbers['threshold_counts']} "
        f"functions for n = 1..{len(ev.thresholds)}, the known counts. "
        f"Verdict: **{decisions['exists'].verdict}**.\n\n"
        "The bound D <= k^N is a pigeonhole fact and cannot fail; what the enumeration adds is its "
        "size: small networks reach every function of 2 bits, but their reach collapses as n grows. "
        "This is about representation only: a function being among the D is no promise that "
        "training finds its weights.")


def tables(ev):
    return [markdown(ev.arch, "Distinct truth tables computed by every network of each "
                              "architecture (N parameters, k values each)", floatfmt=".3g"),
            markdown(ev.thresholds, "Functions of one threshold neuron: counted vs known",
                     floatfmt=".3g")]


def figures(ev, rule, writer):
    return [_plot(ev.arch, ev.thresholds, writer)]


def _plot(arch, thresholds, writer):
    fig, axes = writer.figure(width=6.0, height=4.0)
    ax = axes[0][0]
    for hidden, g in arch.groupby("hidden"):
        g = g.sort_values("n")
        label = "no hidden layer" if hidden == "[]" else f"hidden {hidden}"
        ks = "; ".join(f"k={k} at n={','.join(map(str, sorted(part['n'])))}"
                       for k, part in g.groupby("k"))
        line, = ax.plot(g["n"], g["share_of_all"], "-", label=f"{label} ({ks})")
        for k, part in g.groupby("k"):
            ax.plot(part["n"], part["share_of_all"], "o" if k > 2 else "s", color=line.get_color())
    ax.plot(thresholds["n"], thresholds["known"] / thresholds["functions"], "k*", ms=10,
            label="one threshold neuron, any weights (known)")
    ax.set(yscale="log", xlabel="input bits n", ylabel="share of all boolean functions reached",
           title="Distinct functions / 2^(2^n), all k^N networks enumerated",
           xticks=sorted(set(arch["n"]) | set(thresholds["n"])))
    ax.legend(fontsize=7)
    return writer.save(fig, f"{ID}_share.png")


# How the report names the deciding numbers: (words, unit); see expressivity/wording.py.
NUMBER_LABELS = {
    "largest_n": ("largest input size enumerated", "bits"),
    "max_share_at_largest_n": ("largest share of all boolean functions one net reaches there", ""),
    "networks_enumerated": ("networks enumerated", ""),
}
