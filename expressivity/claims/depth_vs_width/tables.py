"""Tables of `depth_vs_width`: per function, n and depth, what exists beside what training finds."""
import numpy as np
import pandas as pd

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


def by_depth_table(ev):
    """Per family, n and depth: the smallest construction (units, parameters, name; all checked on
    every input), the exact SAT minimum, and what training found (median [min-max] units over
    seeds, parameters, seeds)."""
    rows = {}
    built = ev.constructed
    for _, r in built.iterrows() if len(built) else []:
        key = (r["family"], int(r["n"]), int(r["depth"]))
        row = rows.setdefault(key, {"family": key[0], "n": key[1], "depth": key[2]})
        if r["kind"] == "sat":
            row["exact (SAT)"] = int(r["units"])
        else:
            row["constructed units"] = int(r["units"])
            row["constructed parameters"] = int(r["parameters"])
            row["construction"] = r["construction"] + ("" if r["kind"] == "product" else
                                                       (" (checked)" if r["exact"] else " (WRONG)"))
    t = ev.depth_table
    for (family, n, depth), g in t.groupby(["family", "n", "depth"]) if len(t) else []:
        row = rows.setdefault((family, int(n), int(depth)), {"family": family, "n": int(n), "depth": int(depth)})
        lo, hi = g["units"].min(), g["units"].max()
        row["trained units"] = f"{g['units'].median():g}" + ("" if lo == hi else f" [{lo:g}-{hi:g}]")
        row["trained parameters"] = f"{g['parameters'].median():g}"
        row["seeds"] = len(g)
    return pd.DataFrame(list(rows.values())).sort_values(["family", "n", "depth"]).astype(object) \
        .where(lambda f: f.notna(), "") if rows else pd.DataFrame()


def slope_table(decisions):
    """Per family and side: the depth slope, its interval, the distinct n and the status."""
    rows = []
    for side in ("exists", "training"):
        numbers = decisions[side].numbers
        prefix = f"c.{side}."
        for key in [k for k in numbers if k.startswith(prefix) and k.endswith(".depth_status")]:
            family = key[len(prefix):-len(".depth_status")]
            get = lambda name: numbers.get(f"{prefix}{family}.{name}")
            rows.append({"side": side, "family": family, "slope of ln(depth-1 / deep parameters) per bit": _g(get("slope")),
                         "95% interval": f"[{_g(get('slope_low'))}, {_g(get('slope_high'))}]",
                         "distinct n": get("distinct_n"), "status": get("depth_status")})
    return pd.DataFrame(rows)


def classifier_table(ev, rule):
    """Per n grid: how often the growth classifier names each synthetic series correctly."""
    rows = []
    for name, rates in ev.classifier.items():
        ns = ev.classifier_grids[name]
        rows.append({"grid": name, "n": f"{min(ns)}..{max(ns)} ({len(ns)} values)",
                     "noise (log sd)": 0.0 if name.startswith("counting") else round(ev.classifier_noise, 3),
                     f"{rule.classifier_base:g}^n called exponential": _pct(rates["exponential_called_exponential"]),
                     f"{rule.classifier_base:g}^n called polynomial": _pct(rates["exponential_called_polynomial"]),
                     f"n^{rule.classifier_exponent:g} called polynomial": _pct(rates["polynomial_called_polynomial"]),
                     f"n^{rule.classifier_exponent:g} called exponential": _pct(rates["polynomial_called_exponential"])})
    return pd.DataFrame(rows)


def _pct(value):
    return "n/a" if value is None or not np.isfinite(value) else f"{value:.0%}"


def _g(value):
    return "n/a" if value is None or (isinstance(value, float) and not np.isfinite(value)) else f"{value:.3g}"


def tables(ev):
    out, rule = [], getattr(ev, "rule", None)
    by_depth = by_depth_table(ev)
    if len(by_depth):
        out.append(markdown(by_depth, "Minimal size by depth (part c): the smallest construction (checked on "
                            "every input; the product: sup error <= 1e-3), the SAT minimum, and the smallest "
                            "net training fitted (converged searches; median [min-max] over seeds)."))
    if rule is not None:
        out.append(markdown(classifier_table(ev, rule), "The growth classifier's error rates on synthetic "
                            "series on each grid this claim classifies (same n, same noise; integer widths)."))
    out += [markdown(ev.histogram, "Exact minimal width of one hidden layer of STEP units with a step "
                                  "output, for every boolean function of n bits (SAT over the NPN "
                                  "classes): how many functions and classes need each width.")]
    if not ev.trained.empty:
        out.append(markdown(side_by_side(ev), "Per function and n (rule v3's one-layer view): exact step "
                            "width, constructions, parity's sigmoid size (Setiono 1997) and the trained "
                            "minimal width, median [min-max] over seeds, '(bound)' where a search's last two "
                            "budgets disagreed."))
    return out
