"""counting: k-valued weights give at most kᴺ functions, a vanishing share of all.

Settled by enumeration (``theory.counting``, ``theory.threshold``): every
network of small architectures with weights from small sets, run on all
inputs as batched populations; what one and two threshold units with real
weights compute, counted exactly to n = 5 and n = 4 (``counting_growth``).
A verified construction: the bound itself cannot come out otherwise; what can
fail is the counts (against OEIS A000609) and whether the shares fall with n.
The enumerations run as construction jobs (``constructions.counting``, sweep
``counting``); this module reads their records.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from expressivity.claims.constructed import construction_frame
from expressivity.claims.contract import Decision
from expressivity.claims.counting.growth import check_known, frame_of, shares_fall as column_falls
from expressivity.claims.summaries import markdown

ID = "counting"
VERIFIED = ("exists",)   # constructions and exact computations: only a bug can fail them (issue 19)


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of counting.yaml."""
    architectures: list
    threshold_max_weight: int
    threshold_known: list
    max_share_at_largest_n: float
    two_unit_max_n: int


def architecture_table(tables, rule):
    """One row per architecture, read from the ``counting_architectures`` construction record:
    n, hidden sizes, k, N, kᴺ, distinct functions D, and the shares D / 2^(2ⁿ), D / kᴺ."""
    arch = construction_frame(tables, "counting_architectures", {"architectures": rule.architectures})
    arch["share_of_all"] = arch["distinct"] / arch["functions"]
    arch["share_of_networks"] = arch["distinct"] / arch["networks"]
    return arch


def threshold_table(tables, rule):
    """One threshold unit, n = 1 .. len(threshold_known), read from the ``counting_thresholds``
    construction record: counted by sorting until the count stops moving in the weight range
    (``counted``), by running step networks with |w| <= threshold_max_weight where that is cheap
    (n <= 4), the known count; and two units (n <= two_unit_max_n)."""
    known = list(rule.threshold_known)
    growth = frame_of(construction_frame(tables, "counting_thresholds", {
        "max_n": len(known), "max_weight": rule.threshold_max_weight,
        "two_unit_max_n": rule.two_unit_max_n}))
    return pd.DataFrame({"n": growth["n"], "counted": growth["threshold"], "known": known,
                         "counted_by_networks": growth["counted_by_networks"],
                         "functions": growth["functions"], "threshold_share": growth["threshold_share"],
                         "two_units": growth["two_units"], "two_unit_share": growth["two_unit_share"],
                         "log2_functions": growth["log2_functions"], "log2_threshold": growth["log2_threshold"],
                         "stable_at_m": growth["stable_at_m"]})


def shares_fall(arch):
    """True if, for every hidden-layer shape, the share of all functions falls strictly with n."""
    for _, g in arch.groupby("hidden"):
        share = g.sort_values("n")["share_of_all"].to_numpy()
        if len(share) > 1 and not (np.diff(share) < 0).all():
            return False
    return True


def counts_agree(thresholds):
    """The sorted counts match the known ones, stopped moving, and match the network counts."""
    nets = thresholds.dropna(subset=["counted_by_networks"])
    return check_known(thresholds.assign(threshold=thresholds["counted"])) and \
        bool((nets["counted_by_networks"] == nets["counted"]).all())


def small_nets_fall(thresholds):
    """One unit's share falls with n from n = 1, two units' from n = 2 (both reach all at n <= 2)."""
    return column_falls(thresholds, "threshold_share", 1) and column_falls(thresholds, "two_unit_share", 2)


def verdict_v3(arch, thresholds, rule):
    """Rule v3 (issue 19, 2026-12-04), with a reachable refuted branch. Refuted if some
    architecture computes more distinct functions than min(k^N, 2^(2^n)) (the pigeonhole claim
    fails as computed: only a bug does that), or if at the largest n some architecture reaches
    at least ``max_share_at_largest_n`` of all functions AND the shares do not fall with n (no
    vanishing share at all); inconclusive if a threshold count is off the known sequence (the
    check itself is wrong); supported if every share at the largest n is below the bound, the
    shares fall with n and small nets' shares fall; mixed otherwise."""
    bound = np.minimum(arch["networks"], arch["functions"])
    if (arch["distinct"] > bound).any():
        return "refuted"
    if not counts_agree(thresholds):
        return "inconclusive"
    largest = arch[arch["n"] == arch["n"].max()]
    small = bool((largest["share_of_all"] < rule.max_share_at_largest_n).all())
    falling = shares_fall(arch)
    if not small and not falling:
        return "refuted"
    return "supported" if small and falling and small_nets_fall(thresholds) else "mixed"


def verdict(arch, thresholds, rule):
    """Rule v2 (issue 10): the earlier rule and, for supported, small nets' shares falling."""
    first = verdict_before(arch, thresholds, rule)
    if first != "supported" or not counts_agree(thresholds):
        return first if first != "supported" else "inconclusive"
    return "supported" if small_nets_fall(thresholds) else "mixed"


def verdict_before(arch, thresholds, rule):
    """The rule before issue 10 (thresholds to n = 4 only)."""
    thresholds = thresholds[thresholds["n"] <= 4]
    bound = np.minimum(arch["networks"], arch["functions"])
    if (arch["distinct"] > bound).any() or (thresholds["counted"] != thresholds["known"]).any():
        return "inconclusive"        # the enumeration itself is wrong
    largest = arch[arch["n"] == arch["n"].max()]
    small = (largest["share_of_all"] < rule.max_share_at_largest_n).all()
    return "supported" if small and shares_fall(arch) else "mixed"


def evidence(tables, rule):
    """Every network of the rule's architectures enumerated, from the construction records."""
    arch = architecture_table(tables, rule)
    # Where k^N is below 2^(2^n) the pigeonhole bound is the binding one: show its slack there.
    binding = arch[arch["networks"] < arch["functions"]]
    loosest = (binding if len(binding) else arch).sort_values("share_of_networks").iloc[0]
    return SimpleNamespace(arch=arch, thresholds=threshold_table(tables, rule), loosest=loosest)


def decide_exists(ev, rule):
    """Rule v3 (``verdict_v3``); its numbers are rule v2's."""
    return Decision(verdict_v3(ev.arch, ev.thresholds, rule), decide_exists_v2(ev, rule).numbers)


def decide_exists_v2(ev, rule):
    """Rule v2 (issue 10): no refuted branch (a bound violation was inconclusive)."""
    arch, thresholds = ev.arch, ev.thresholds
    largest = arch[arch["n"] == arch["n"].max()]
    return Decision(verdict(arch, thresholds, rule), {
        "largest_n": int(largest["n"].iloc[0]),
        "max_share_at_largest_n": float(largest["share_of_all"].max()),
        "shares_fall_with_n": shares_fall(arch),
        "threshold_counts": ", ".join(map(str, thresholds["counted"])),
        "threshold_counts_match_known": counts_agree(thresholds),
        "two_unit_counts": ", ".join(str(int(v)) for v in thresholds["two_units"].dropna()),
        "small_net_shares_fall": small_nets_fall(thresholds),
        "smallest_distinct_over_networks": float(ev.loosest["share_of_networks"]),
        "networks_enumerated": int(arch["networks"].sum())})


def decide_exists_before(ev, rule):
    """The rule before issue 10."""
    return Decision(verdict_before(ev.arch, ev.thresholds, rule), {})


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
        f"functions for n = 1..{len(ev.thresholds)} (counted exactly by sorting weighted sums, "
        f"widening the integer weight range until the count stopped moving; they "
        f"{'match' if numbers['threshold_counts_match_known'] else 'do NOT match'} OEIS A000609), "
        f"{ev.thresholds['threshold_share'].iloc[-1]:.1e} of all functions at n = "
        f"{int(ev.thresholds['n'].iloc[-1])}: log2 of the count grows like n^2 "
        f"({', '.join(f'{v:.1f}' for v in ev.thresholds['log2_threshold'])}) against 2^n for all "
        f"functions. Two threshold units and a threshold read-out (any real weights) compute "
        f"{numbers['two_unit_counts']} functions for n = 1..{rule.two_unit_max_n}: everything up to "
        f"n = 2, all but parity and its negation at n = 3, "
        f"{100 * ev.thresholds['two_unit_share'].dropna().iloc[-1]:.0f}% at n = {rule.two_unit_max_n}. "
        f"Verdict: **{decisions['exists'].verdict}**.\n\n"
        "This is a verified construction: every network is enumerated and run, so the verdict is a "
        "theorem checked and could only come out otherwise through a bug. "
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
    ax.plot(thresholds["n"], thresholds["two_unit_share"], "kd--",
            label="two threshold units + threshold read-out, any weights (exact)")
    ax.set(yscale="log", xlabel="input bits n", ylabel="share of all boolean functions reached",
           title="Distinct functions / 2^(2^n), all k^N networks enumerated",
           xticks=sorted(set(arch["n"]) | set(thresholds["n"])))
    ax.legend(fontsize=7)
    return writer.save(fig, f"{ID}_share.png")


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "largest_n": ("largest input size enumerated", "bits"),
    "max_share_at_largest_n": ("largest share of all boolean functions one net reaches there", ""),
    "networks_enumerated": ("networks enumerated", ""),
}
