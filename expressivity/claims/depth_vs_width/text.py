"""Text and caveats of `depth_vs_width`: per function and n, what exists beside what
training finds, each number with the units it holds for and its budget."""
import numpy as np

from expressivity.theory.width_bounds import (IP_ONE_LAYER_LOWER, PARITY_DEPTH_LOWER, PARITY_SIGMOID_ONE_LAYER,
                                   PARITY_STEP_EXACT_SMALL)
from expressivity.claims.depth_vs_width.rules import growth_class
from expressivity.claims.depth_vs_width.tables import _g, _pct, slope_table
from expressivity.claims.summaries import markdown


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


def text(ev, decisions, rule, v3=None):
    ex, tr = decisions["exists"], decisions["training"]
    lines = [f"**Rule v4, three parts.** (a) one hidden layer represents every boolean function: "
             f"**{ex.numbers.get('a.verdict')}**; (b) some functions need exponentially many units in one "
             f"layer: **{ex.numbers.get('b.verdict')}**; (c) depth makes structured functions cheaper: "
             f"**{ex.numbers.get('c.verdict')}** on what exists, **{tr.numbers.get('c.verdict')}** on what "
             f"training finds."]
    lines.append(_part_a(ex))
    lines.append(_part_b(ev, ex, rule))
    lines.append(_part_c(ev, ex, tr, rule))
    slopes = slope_table(decisions)
    if len(slopes):
        lines.append(markdown(slopes, "Part (c): slope of ln(depth-1 / deep minimal parameters) against n, "
                              "with its bootstrap interval, per family and side."))
    lines.append(_classifier(ev, rule))
    if v3 is not None:   # the earlier rule's result, collapsed: its verdicts are under Verdict
        lines.append("<details><summary>What rule v3 (earlier, one layer only) says on these "
                     "data</summary>\n\n" + _rule_v3(ev, v3, rule) + "\n\n</details>")
    return "\n\n".join(line for line in lines if line)


def _part_a(ex):
    if "a.functions" not in ex.numbers:
        return f"(a) not measured: {ex.numbers.get('a.reason', 'no record')} (inconclusive, awaiting the run)."
    return (f"(a) The one-layer DNF net (2^(n-1) step units) was run on all {ex.numbers['a.functions']} "
            f"boolean functions of n = 1..{ex.numbers['a.n_max']} bits and got {ex.numbers['a.wrong']} wrong.")


def _part_b(ev, ex, rule):
    half = ev.existence[(ev.existence["function"] == "half of all") & (ev.existence["n"] == rule.exist_n_max)]
    any_depth = int(half["lower_bound_any_depth"].iloc[0]) if len(half) else None
    one = int(half["lower_bound_depth1"].iloc[0]) if len(half) else None
    worst = ", ".join(f"n={k[-1]}: {v}" for k, v in ex.numbers.items() if k.startswith("b.exact.max_width"))
    out = (f"(b) Step units, one hidden layer: exactly, the hardest function of n bits needs ({worst}) units. "
           f"The counting bound (more than half of all functions need at least this many) grows as "
           f"{ex.numbers.get('b.worst.class')} (delta AIC {_f(ex.numbers.get('b.worst.delta_aic'))} for "
           f"exponential over polynomial, n = {rule.exist_n_min}..{rule.exist_n_max})"
           f"{any_depth_clause(ev.existence, rule)}; at n = "
           f"{rule.exist_n_max} it is {one} units in one layer and {any_depth} with any number of layers. "
           f"Parity's construction is {ex.numbers.get('b.parity.class')}, majority's "
           f"{ex.numbers.get('b.majority.class')}.")
    random = ev.depth_table[ev.depth_table["family"] == "random"]
    if len(random):
        per = random.groupby(["depth", "n"])["units"].median()
        shown = "; ".join(f"depth {d}: " + ", ".join(f"n={n}: {per[d][n]:g}" for n in per[d].index)
                          for d in sorted(set(per.index.get_level_values(0))))
        out += f" Random tables, trained (median minimal units, converged searches): {shown}."
    else:
        out += " Random tables at depth 1 and 2 (sweep depth_by_depth_random): no converged search yet."
    return out


def _part_c(ev, ex, tr, rule):
    prefix = "c.exists.product."
    if f"{prefix}slope" in ex.numbers:
        exist = (f"(c) Exists: the product's one-layer lower bound (2^n units, Rolnick & Tegmark 2018) "
                 f"against its tree construction gives a log-ratio slope of {_g(ex.numbers[prefix + 'slope'])} "
                 f"per input [{_g(ex.numbers[prefix + 'slope_low'])}, {_g(ex.numbers[prefix + 'slope_high'])}] "
                 f"on {ex.numbers[prefix + 'distinct_n']} values of n: {ex.numbers[prefix + 'depth_status']}.")
    else:
        exist = "(c) Exists: no depth_constructions record (inconclusive, awaiting the run)."
    # the boolean families' constructed sizes (upper bounds, not deciding) are in the table below
    statuses = {k[len("c.training."):-len(".depth_status")]: v for k, v in tr.numbers.items()
                if k.startswith("c.training.") and k.endswith(".depth_status")}
    missing = [f for f, v in statuses.items() if v == "too few n"]
    train = (f"Training finds: **{tr.verdict}**; " + ", ".join(f"{f}: {v}" for f, v in statuses.items()) + ".")
    if missing:
        counts = ", ".join(f"{f} {_count(tr.numbers.get(f'c.training.{f}.distinct_n'))}" for f in missing)
        train += (f" Too few n (fewer than {rule.depth_min_n} distinct n with converged searches at depth 1 and "
                  f"deeper; {counts}): the budget this run gave the searches did not settle enough n, so a "
                  f"larger grid (more n, higher budget rungs) is needed to decide them.")
    return exist + "\n\n" + train


def _classifier(ev, rule):
    waiting = [f for f in rule.depth_families if f"{f} (trained, c)" not in ev.classifier]
    note = (f" Not computed for {', '.join(waiting)}: fewer than 3 measured n in this run." if waiting else "")
    return _classifier_targets(ev, rule) + note


def _classifier_targets(ev, rule):
    short = [name for name, rates in ev.classifier.items()
             if not (rates["exponential_called_exponential"] >= rule.classifier_target
                     and rates["polynomial_called_polynomial"] >= rule.classifier_target)]
    if not short:
        return (f"On every grid the growth classifier calls {rule.classifier_base:g}^n exponential and "
                f"n^{rule.classifier_exponent:g} polynomial at least {rule.classifier_target:.0%} of the time.")
    groups = {}   # grids with the same rates are named together
    for name in short:
        rates = (_pct(ev.classifier[name]["exponential_called_exponential"]),
                 _pct(ev.classifier[name]["polynomial_called_polynomial"]))
        groups.setdefault(rates, []).append(name)
    return (f"The grid cannot reach the target ({rule.classifier_base:g}^n called exponential and "
            f"n^{rule.classifier_exponent:g} polynomial >= {rule.classifier_target:.0%}) for: "
            + "; ".join(f"{_names(names)} ({e}, {p})" for (e, p), names in groups.items())
            + ": growth classes on these grids are indicative only.")


def _rule_v3(ev, decisions, rule):
    """Rule v3's paragraph (shown beside rule v4): ``decisions`` are v3's two Decisions."""
    ex, tr = decisions["exists"], decisions["training"]
    worst = ", ".join(f"n={k[-1]}: {v}" for k, v in ex.numbers.items() if k.startswith("exact.max_width"))
    lines = [f"**Rule v3, exists: {ex.verdict}.** Step units, one hidden layer. Exactly, the hardest function of "
             f"n bits needs ({worst}) units: parity alone at n = 3, 4. The counting bound (more than half "
             f"of all functions need at least this many units) grows as {ex.numbers.get('worst.class')} "
             f"(delta AIC {_f(ex.numbers.get('worst.delta_aic'))} for exponential over polynomial, "
             f"n = {rule.exist_n_min}..{rule.exist_n_max}){any_depth_clause(ev.existence, rule)}; parity's "
             f"construction (n units) is {ex.numbers.get('parity.class')}, majority's (1 unit) "
             f"{ex.numbers.get('majority.class')}.",
             f"**Rule v3, training finds: {tr.verdict}.** tanh units, bce, budgets until two agree. Random tables: "
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


def _names(names):
    """'parity, random (trained, c)': a suffix every name shares is said once."""
    suffix = " (trained, c)"
    if len(names) > 1 and all(n.endswith(suffix) for n in names):
        return ", ".join(n[:-len(suffix)] for n in names) + suffix
    return ", ".join(names)


def _count(value):
    """'5 n' from a count of distinct n (or 'no n')."""
    return f"{int(value)} n" if value is not None and np.isfinite(value) and value else "no n"


def _f(value):
    return "n/a" if value is None or not np.isfinite(value) else f"{value:.1f}"
