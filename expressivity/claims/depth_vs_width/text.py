"""Tables, text and caveats of `depth_vs_width`: per function and n, what exists beside what
training finds, each number with the units it holds for and its budget."""
import numpy as np
import pandas as pd

from expressivity.theory.width_bounds import (IP_ONE_LAYER_LOWER, PARITY_DEPTH_LOWER, PARITY_SIGMOID_ONE_LAYER,
                                   PARITY_STEP_EXACT_SMALL)
from expressivity.claims.depth_vs_width.rules import growth_class
from expressivity.claims.summaries import markdown


def _cell(row):
    """'7 [6-8], 10000x16' or '7 (bound), ...': trained median [min-max] with the largest budget."""
    if pd.isna(row["median"]):
        return "no fit up to cap"
    spread = "" if row["min"] == row["max"] else f" [{row['min']:g}-{row['max']:g}]"
    flag = "" if row["converged"] else " (bound)"
    return f"{row['median']:g}{spread}{flag}, {int(row['epochs'])}x{int(row['restarts'])}"


def side_by_side(ev):
    """Per function and n: exact step width, constructions, bounds, trained widths per depth."""
    exist = ev.existence.set_index(["function", "n"])
    rows = []
    keys = sorted(set(map(tuple, ev.trained[["function", "n"]].to_numpy())) |
                  {(f, n) for f, n in exist.index if f != "half of all" and not pd.isna(exist.loc[(f, n), "exact_width"])})
    for function, n in keys:
        e = exist.loc[(function, n)] if (function, n) in exist.index else None
        row = {"function": function, "n": n,
               "exact (step)": _num(e, "exact_width"), "construction 1 layer": _num(e, "construction_depth1"),
               "construction deeper": _num(e, "construction_deep")}
        if function == "parity":
            row["sigmoid, 1 layer (Setiono)"] = n // 2 + 1
        if function == "random":
            row["half of all need >= (step)"] = int(exist.loc[("half of all", n), "lower_bound_depth1"]) \
                if ("half of all", n) in exist.index else None
        for (depth, shape), g in ev.trained[(ev.trained["function"] == function) &
                                            (ev.trained["n"] == n)].groupby(["depth", "shape"]):
            row[f"trained d{depth} {shape}"] = _cell(g.iloc[0])
        rows.append(row)
    return pd.DataFrame(rows).astype(object).where(lambda f: f.notna(), "")


def _num(e, key):
    if e is None or key not in e or pd.isna(e[key]):
        return None
    return int(e[key])


def tables(ev):
    out = [markdown(ev.histogram, "Exact minimal width of one hidden layer of STEP units with a step "
                                  "output, for every boolean function of n bits (SAT over the NPN "
                                  "classes): how many functions and classes need each width.")]
    if not ev.trained.empty:
        out.append(markdown(side_by_side(ev), "Per function and n: exact step width (n <= 4), step "
                            "constructions (deeper: total units), the sigmoid size for parity (Setiono 1997), "
                            "and the minimal width training found (tanh units, sigmoid output): median "
                            "[min-max] over seeds, '(bound)' where the last two budgets of some search gave "
                            "different answers (rule v3 still counts answers within max(1 unit, 10%) of "
                            "each other as settled), with the largest budget epochs x restarts."))
    return out


def any_depth_clause(existence, rule):
    """What the counting bound for nets of any depth does, computed (issue 19: this was the
    template 'and stays exponential at any depth'): its growth class over the same n, or that
    it was not computed."""
    half = existence[(existence["function"] == "half of all") & (existence["n"] >= rule.exist_n_min)] \
        if "lower_bound_any_depth" in existence else existence.iloc[0:0]
    half = half.dropna(subset=["lower_bound_any_depth"]) if len(half) else half
    if half.empty:
        return "; the bound for deeper nets was not computed"
    kind, fit = growth_class(half["n"].to_numpy(float), half["lower_bound_any_depth"].to_numpy(float),
                             rule.aic_margin, rule.min_n)
    low, high = half.iloc[0], half.iloc[-1]
    span = (f"{int(low['lower_bound_any_depth']):,} units at n = {int(low['n'])} to "
            f"{int(high['lower_bound_any_depth']):,} at n = {int(high['n'])}")
    if kind == "exponential":
        return f", and the bound for nets of any depth is exponential too ({span})"
    return f"; the bound for nets of any depth is {kind} ({span}), so it does not show depth failing"


def text(ev, decisions, rule):
    ex, tr = decisions["exists"], decisions["training"]
    worst = ", ".join(f"n={k[-1]}: {v}" for k, v in ex.numbers.items() if k.startswith("exact.max_width"))
    lines = [f"**Exists: {ex.verdict}.** Step units, one hidden layer. Exactly, the hardest function of "
             f"n bits needs ({worst}) units: parity alone at n = 3, 4. The counting bound (more than half "
             f"of all functions need at least this many units) grows as {ex.numbers.get('worst.class')} "
             f"(delta AIC {_f(ex.numbers.get('worst.delta_aic'))} for exponential over polynomial, "
             f"n = {rule.exist_n_min}..{rule.exist_n_max}){any_depth_clause(ev.existence, rule)}; parity's "
             f"construction (n units) is {ex.numbers.get('parity.class')}, majority's (1 unit) "
             f"{ex.numbers.get('majority.class')}.",
             f"**Training finds: {tr.verdict}.** tanh units, bce, budgets until two agree. Random tables: "
             f"{tr.numbers.get('random.class')} (delta AIC {_f(tr.numbers.get('random.delta_aic'))}); parity: "
             f"{tr.numbers.get('parity.class')}; majority: {tr.numbers.get('majority.class')}. "
             f"Largest trained width over the n-unit construction: parity "
             f"{_f(tr.numbers.get('parity.envelope_ratio'))}, majority "
             f"{_f(tr.numbers.get('majority.envelope_ratio'))} (rule v3 counts <= {rule.envelope_factor:g} "
             f"as polynomial). {tr.numbers.get('converged_with_tolerance')} of {tr.numbers.get('searches')} "
             f"searches settled with the last two budgets within max({rule.agree_units} unit, "
             f"{rule.agree_share:.0%}); "
             f"{tr.numbers.get('converged')} of {tr.numbers.get('searches')} searches converged exactly, "
             f"{tr.numbers.get('budget_bound')} are budget bounds, {tr.numbers.get('no_fit_up_to_cap')} found "
             f"no fit up to the cap; {tr.numbers.get('non_monotone')} answers had a failure just above them."]
    for function in ("parity", "inner_product", "random"):
        ratio = tr.numbers.get(f"{function}.depth_parameter_ratio")
        if ratio is not None and np.isfinite(ratio):
            lines.append(f"- depth on {function} (n = {tr.numbers[f'{function}.depth_ratio_at_n']}): the best "
                         f"deeper trained net has {ratio:.2f}x the parameters of the best one-layer net.")
    return "\n".join(lines)


def caveats(ev, decisions):
    return [
        "Exists and trains are different numbers: exact widths, constructions and counting bounds hold "
        "for step units; training uses tanh units with a sigmoid output, which can need fewer (parity: "
        f"{PARITY_SIGMOID_ONE_LAYER[2]}, {PARITY_SIGMOID_ONE_LAYER[0]}; with step units "
        f"{PARITY_STEP_EXACT_SMALL[2]}, {PARITY_STEP_EXACT_SMALL[0]}, as the SAT table finds).",
        "A trained width is an upper bound on the smallest net that exists; where the last two budgets "
        "disagree it is also a bound on what more training would find.",
        "On boolean inputs depth's proven gains are modest or conditional: parity needs "
        f"{PARITY_DEPTH_LOWER[2]} ({PARITY_DEPTH_LOWER[0]}), a polynomial separation; inner product mod 2 "
        f"needs exponentially many units in one layer only with bounded output weights ({IP_ONE_LAYER_LOWER[0]}). "
        "The proven exponential separations are for continuous inputs: see the `approximation` "
        "(Telgarsky's sawtooth) and `product` (Rolnick & Tegmark) claims.",
        "Counting bounds hold for typical (random) functions at every depth: depth cannot make most "
        "functions cheap.",
    ]


def _f(value):
    return "n/a" if value is None or not np.isfinite(value) else f"{value:.1f}"
