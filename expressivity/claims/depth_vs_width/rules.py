"""The two pre-registered rules of `depth_vs_width` (existence; training), as functions of tables.

Classes come from ``growth_models.classify_growth`` (exponential c·bⁿ against
polynomial c·nᵏ by AIC and the held-out largest n). A budget-bound width (the
budgets disagreed) is an upper bound: it can show that growth is NOT
exponential, never that it is. So a function is classed ``exponential`` from
training only when every search at its largest n converged, while upper
bounds that grow polynomially do show ``not exponential``. A search that found
no fit up to its cap is neither (the cap or the budget may bind): any such
search leaves its function's class unsettled.
"""
import numpy as np

from expressivity.claims.depth_vs_width.evidence import growth_points
from expressivity.claims.growth_models import classify_growth
from expressivity.theory.width_bounds import construction_width

STRUCTURED = ("parity", "majority")
NOT_EXPONENTIAL = ("polynomial", "constant")


def growth_class(n, width, margin, min_n, converged=True, censored=False):
    """(class, numbers) for points (n, width): a classify_growth class or 'too few n'; with
    ' (unsettled)' appended when a search was censored, or when 'exponential' rests on bounds."""
    keep = np.isfinite(width)
    if np.unique(np.asarray(n)[keep]).size < max(min_n, 3):
        return "too few n", {}
    result = classify_growth(np.asarray(n)[keep], np.asarray(width)[keep], margin=margin)
    kind = result["class"]
    if censored or (kind == "exponential" and not converged):
        kind += " (unsettled)"
    return kind, result


def verdict(worst, structured):
    """supported: the worst case grows exponentially and the structured functions do not;
    mixed: a structured one grows exponentially too; refuted: the worst case does not; else inconclusive."""
    if worst in NOT_EXPONENTIAL:
        return "refuted"
    if worst != "exponential":
        return "inconclusive"
    if any(k == "exponential" for k in structured):
        return "mixed"
    return "supported" if all(k in NOT_EXPONENTIAL for k in structured) else "inconclusive"


def decide_exists_on(existence, rule):
    """Existence: the counting bound for half of all functions (one hidden layer) is the worst case;
    parity and majority by their one-layer constructions (upper bounds). Returns (verdict, numbers)."""
    half = existence[existence["function"] == "half of all"]
    worst, fit = growth_class(half["n"].to_numpy(float), half["lower_bound_depth1"].to_numpy(float),
                              rule.aic_margin, rule.min_n)
    numbers = {"worst.class": worst, "worst.delta_aic": fit.get("delta_aic"), "worst.base": fit.get("base")}
    classes = []
    for function in STRUCTURED:
        part = existence[existence["function"] == function]
        kind, f = growth_class(part["n"].to_numpy(float), part["construction_depth1"].to_numpy(float),
                               rule.aic_margin, rule.min_n)
        classes.append(kind)
        numbers[f"{function}.class"] = kind
        numbers[f"{function}.delta_aic"] = f.get("delta_aic")
    return verdict(worst, classes), numbers


def decide_training_on(table, rule):
    """Training: depth-1 minimal trained widths; random tables are the worst case."""
    numbers, classes = {}, {}
    for function in ("random",) + STRUCTURED:
        n, width, converged, censored = growth_points(table, function)
        kind, fit = growth_class(n, width, rule.aic_margin, rule.min_n, converged, censored)
        classes[function] = kind
        numbers.update({f"{function}.class": kind, f"{function}.delta_aic": fit.get("delta_aic"),
                        f"{function}.base": fit.get("base"), f"{function}.exponent": fit.get("exponent"),
                        f"{function}.converged_at_largest_n": converged, f"{function}.censored": censored})
    return verdict(classes["random"], [classes[f] for f in STRUCTURED]), numbers


def depth_ratio(trained, function):
    """(ratio, n): the smallest median parameter count over depths >= 2 (any shape) divided by
    depth 1's, at the largest n every depth reached; (NaN, None) without both."""
    part = trained[trained["function"] == function]
    if part.empty or part["depth"].nunique() < 2 or 1 not in set(part["depth"]):
        return np.nan, None
    best = part.groupby(["n", "depth"])["parameters"].min().unstack("depth").dropna()
    if best.empty:
        return np.nan, None
    n = int(best.index.max())
    return float(best.loc[n].drop(1).min() / best.loc[n, 1]), n


def settled(widths_by_budget, units, share):
    """Whether the last two budgets' answers agree within max(``units``, ``share`` × the larger):
    a budget-bound width that moves less than that has stopped moving at this resolution.
    A budget with no fit (None/NaN) never agrees."""
    last = list(widths_by_budget)[-2:]
    if len(last) < 2 or any(w is None or not np.isfinite(w) for w in last):
        return False
    return abs(last[0] - last[1]) <= max(units, share * max(last))


def with_tolerance(table, rule):
    """``table`` with ``converged`` (and ``bound``) re-read under the tolerance of rule v3."""
    out = table.copy()
    if out.empty or "widths_by_budget" not in out:
        return out
    near = out["widths_by_budget"].map(lambda w: settled(w, rule.agree_units, rule.agree_share))
    out["converged"] = out["converged"] | (near & ~out["censored"])
    out["bound"] = ~out["converged"] & ~out["censored"]
    return out


def envelope_ratio(table, function, factor):
    """Largest trained width / the known polynomial one-layer construction's width over n
    (parity: n step units; majority: 1), or NaN without data or with a search with no fit."""
    part = table[(table["function"] == function) & (table["depth"] == 1)]
    if part.empty or part["censored"].any():
        return np.nan
    size = part["n"].map(lambda n: construction_width(function, int(n), 1)).astype(float)
    return float((part["min_width"] / size).max())


def decide_training_v3_on(table, rule):
    """Rule v3: v2 on widths whose last two budgets agree within the tolerance, and a
    structured function whose every trained width (upper bounds included) lies within
    ``envelope_factor`` × its polynomial construction counts as polynomial."""
    tolerant = with_tolerance(table, rule)
    verdict_v2, numbers = decide_training_on(tolerant, rule)
    classes = [numbers[f"{f}.class"] for f in STRUCTURED]
    for i, function in enumerate(STRUCTURED):
        ratio = envelope_ratio(tolerant, function, rule.envelope_factor)
        inside = bool(np.isfinite(ratio) and ratio <= rule.envelope_factor)
        numbers[f"{function}.envelope_ratio"] = ratio
        numbers[f"{function}.within_envelope"] = inside
        if inside and classes[i] not in NOT_EXPONENTIAL + ("exponential",):
            classes[i] = "polynomial"
            numbers[f"{function}.class"] = f"polynomial (within {rule.envelope_factor:g}x its construction)"
    numbers["converged_with_tolerance"] = int(tolerant["converged"].sum())
    return verdict(numbers["random.class"], classes), numbers
