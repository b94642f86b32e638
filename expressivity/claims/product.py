"""product: multiplying n numbers takes ~4(n−1) neurons deep but 2ⁿ shallow.

Settled by construction (``theory.product``): the 4-unit gate's error as its
scale shrinks, and tree vs one-hidden-layer networks for products of n inputs,
all run as MLPs. No training sweep.
"""
import numpy as np
import pandas as pd

from ..theory.product import (gate_error_coefficient, multiplication_gate, product_error,
                              product_shallow, product_tree)
from .base import Finding
from .theory_helpers import figure, generator, markdown, rule_number, save

ID = "product"


def gate_table(scales):
    """Sup error of the softplus gate on a 41x41 grid of [−1, 1]² at each scale λ."""
    g = np.linspace(-1, 1, 41)
    X = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    return pd.DataFrame([{"scale": s, "error": product_error(multiplication_gate(s), X)} for s in scales])


def slope(table):
    """Least-squares slope of log error against log scale."""
    return float(np.polyfit(np.log(table["scale"]), np.log(table["error"]), 1)[0])


def network_table(claim):
    """Per n: units and best sup error (over the scales) of the tree and the shallow net."""
    rows = []
    for n in range(2, claim["max_n"] + 1):
        X = generator(claim["seed"], "product", n).uniform(-1, 1, size=(claim["samples"], n))
        row = {"n": n}
        for kind, build in (("tree", lambda s: product_tree(n, s)),
                            ("shallow", lambda s: product_shallow(n, s, shift=claim["shallow_shift"]))):
            errors = {s: product_error(build(s), X) for s in claim["scales"]}
            best = min(errors, key=errors.get)
            net = build(best)
            row.update({f"{kind}_units": int(sum(net.sizes[1:-1])), f"{kind}_layers": len(net.sizes) - 2,
                        f"{kind}_error": errors[best], f"{kind}_scale": best})
        row["ratio"] = row["shallow_units"] / row["tree_units"]
        rows.append(row)
    return pd.DataFrame(rows)


def decide(gate_slope, nets, claim):
    low, high = rule_number(claim, "slope_range")
    big = nets[nets["n"] >= 4].sort_values("n")
    if big.empty:
        return "inconclusive"
    if not (big["tree_units"] < big["shallow_units"]).all():
        return "refuted"
    ratio_grows = big["ratio"].iloc[-1] > big["ratio"].iloc[0]
    accurate = ((nets[["tree_error", "shallow_error"]] <= rule_number(claim, "tolerance")).all().all())
    return "supported" if low <= gate_slope <= high and accurate and ratio_grows else "mixed"


def analyse(results, claim, figures_dir):
    gate = gate_table(claim["gate_scales"])
    gate_slope = slope(gate)
    nets = network_table(claim)
    verdict = decide(gate_slope, nets, claim)
    last = nets.iloc[-1]
    coefficient = float(gate_error_coefficient())
    numbers = {"gate_error_slope": gate_slope,
               "gate_error_over_scale2_smallest": float(gate["error"].iloc[-1] / gate["scale"].iloc[-1] ** 2),
               "gate_error_over_scale2_theory": coefficient,
               "max_tree_error": float(nets["tree_error"].max()),
               "max_shallow_error": float(nets["shallow_error"].max()),
               f"tree_units_n{int(last['n'])}": int(last["tree_units"]),
               f"shallow_units_n{int(last['n'])}": int(last["shallow_units"])}
    text = (
        f"The 4-unit softplus gate's sup error on [-1, 1]^2 fell like lambda^{gate_slope:.3f} "
        f"(rule: slope in [{claim['slope_range'][0]}, {claim['slope_range'][1]}]); error / lambda^2 "
        f"at the smallest lambda was {numbers['gate_error_over_scale2_smallest']:.4f} against the "
        f"Taylor coefficient |s''''(0) / s''(0)| / 3 = {coefficient:.4f}. For products of n = "
        f"2..{claim['max_n']} inputs the tree used "
        f"{', '.join(str(u) for u in nets['tree_units'])} units and the one-hidden-layer net "
        f"{', '.join(str(u) for u in nets['shallow_units'])}; with the best lambda from "
        f"{claim['scales']} their sup errors on {claim['samples']} random points stayed below "
        f"{numbers['max_tree_error']:.1e} (tree) and {numbers['max_shallow_error']:.1e} (shallow), "
        f"tolerance {claim['tolerance']:g}. Verdict: **{verdict}**.\n\n"
        "Both networks exist and were checked by running them; this says nothing about whether "
        "training would find the tree's weights (not tested here). The shallow net's accuracy is "
        "also limited by float64: its read-out divides by lambda^n, so rounding grows as lambda "
        "shrinks and only a middle lambda works for large n.")
    return Finding(ID, verdict, numbers, text, figures=[_plot(gate, nets, figures_dir)],
                   tables=[markdown(nets, "Products of n inputs: hidden units, hidden layers, best "
                                          "sup error and its lambda, tree vs one hidden layer"),
                           markdown(gate, "Multiplication gate: sup error vs scale lambda", floatfmt=".3e")],
                   caveats=["Odd values in the tree are carried up a level by two units, exact for "
                            "softplus (softplus(z) - softplus(-z) = z); that is why the tree has "
                            "slightly more than 4(n - 1) units when n is not a power of two."])


def _plot(gate, nets, figures_dir):
    fig, axes = figure(1, 2)
    ax = axes[0][0]
    ax.plot(gate["scale"], gate["error"], "o-", label="sup error")
    ax.plot(gate["scale"], gate_error_coefficient() * gate["scale"] ** 2, "k--", lw=1,
            label="lambda^2 / 6 (Taylor)")
    ax.set(xscale="log", yscale="log", xlabel="scale lambda", ylabel="sup |gate - uv|",
           title="4-unit multiplication gate")
    ax.legend(fontsize=8)
    ax = axes[0][1]
    ax.plot(nets["n"], nets["shallow_units"], "s-", label="one hidden layer: 2^n")
    ax.plot(nets["n"], nets["tree_units"], "o-", label="tree of gates: ~4(n-1)")
    ax.set(yscale="log", xlabel="inputs multiplied n", ylabel="hidden units",
           title="Product of n numbers", xticks=list(nets["n"]))
    ax.legend(fontsize=8)
    return save(fig, figures_dir, f"{ID}_units.png")
