"""The cell rules of `restarts`: which matched cells are free, stuck or bounds; which cells restarts fix."""
import pandas as pd

from expressivity.claims.restarts import evidence as re_
from expressivity.claims.contract import Decision
from expressivity.claims.ladder import Ladder, decide_with_bounds, read


def cell_rungs(ladder, rule):
    """{cell key: ladder.Rung} of p at each cell's largest width over the budgets it ran."""
    if ladder is None or len(ladder) == 0:
        return {}
    steps = Ladder(rule.ladder_tolerance, rule.ladder_top)
    return {key: read(dict(zip(g["epochs"], g["rate"])), steps)
            for key, g in ladder.groupby(re_.CELL)}


def decide_stuck_bounded(wide, ladder, rule):
    """Rule v4: every matched cell stays in the denominator. A cell is a bound when, at the top
    of the ladder (``ladder_top`` epochs), its failures were still moving (label slow) or its p
    had not settled within ``ladder_tolerance`` between the last two rungs; a slow cell below
    the top has not finished its ladder (inconclusive). The v3 shares decide, with the bounds
    counted as free and as stuck (``ladder.decide_with_bounds``): where the two readings
    disagree, ``inconclusive: budget``; the sensitivity line counts them as free (against
    "large nets get stuck")."""
    cells = wide[wide["arm"].isin(rule.matched_arms)] if len(wide) else \
        pd.DataFrame({"label": [], "epochs": []}, columns=[*re_.CELL, "label", "epochs"])
    rungs = cell_rungs(ladder, rule)
    bounds, unfinished, counts = {}, 0, {"free": 0, "stuck": 0}
    for _, c in cells.iterrows():
        key = tuple(c[k] for k in re_.CELL)
        rung = rungs.get(key)
        at_top = c["epochs"] >= rule.ladder_top
        if (c["label"] == "slow" or (rung is not None and rung.state == "bound"
                                      and c["label"] != "free")) and at_top:
            bounds[key] = rung if rung is not None else read({int(c["epochs"]): c["p"]},
                                                             Ladder(rule.ladder_tolerance, rule.ladder_top))
        elif c["label"] == "slow":
            unfinished += 1
        elif c["label"] in counts:
            counts[c["label"]] += 1
    n = len(cells)
    numbers = {"matched_cells": n, "cells_free": counts["free"], "cells_stuck": counts["stuck"],
               "cells_slow": int((cells["label"] == "slow").sum()) if n else 0,
               "cells_bound": len(bounds), "bound_epochs": rule.ladder_top}

    def verdict(assumed):
        free = counts["free"] + sum(1 for k in bounds if assumed[k] == "against")
        stuck = counts["stuck"] + sum(1 for k in bounds if assumed[k] == "for")
        if n < rule.min_cells or unfinished:
            return "inconclusive"
        if free >= rule.refute_share * n and stuck == 0:
            return "refuted"
        if stuck >= rule.support_share * n and free == 0:
            return "supported"
        return "mixed" if free and stuck else "inconclusive"
    return decide_with_bounds(verdict, bounds, against="against", numbers=numbers)


def decide_restarts_fix_widest(rates, rule):
    """Rule v4: a cell is fixed by restarts if at its LARGEST width the restarts needed for
    ``target`` (from the Wilson lower bound of p) are at most ``essay_restarts`` (v3 took each
    cell's best width, so 2/100 at any of seven widths was enough)."""
    if len(rates) == 0:
        return Decision("inconclusive", {"cells": 0, "cells_fixed_by_restarts": 0})
    widest = rates[rates["width"] == rates.groupby(re_.CELL)["width"].transform("max")]
    return decide_restarts_fix(widest, rule)


def decide_stuck(wide, rule):
    cells = wide[wide["arm"].isin(rule.matched_arms)] if len(wide) else wide
    counts = {label: int((cells["label"] == label).sum()) if len(cells) else 0
              for label in ("free", "stuck", "slow", "between")}
    numbers = {"matched_cells": int(len(cells)), "cells_free": counts["free"],
               "cells_stuck": counts["stuck"], "cells_slow": counts["slow"]}
    n = len(cells)
    if n < rule.min_cells:
        return Decision("inconclusive", numbers)
    if counts["free"] >= rule.refute_share * n and counts["stuck"] == 0:
        return Decision("refuted", numbers)
    if counts["stuck"] >= rule.support_share * n and counts["free"] == 0:
        return Decision("supported", numbers)
    if counts["free"] and counts["stuck"]:
        return Decision("mixed", numbers)
    return Decision("inconclusive", numbers)


def decide_stuck_laddered(wide, rule):   # rule v3
    """Registered 2026-12-03 before the ladder's run: a slow cell whose budget reached
    ``ladder_top`` epochs is a bound (p <= its upper bound at that budget) and leaves the
    denominator; a slow cell below the top has not finished its ladder (inconclusive).
    With more than ``max_bound_share`` of the cells bounds, or fewer than ``min_cells``
    decided, inconclusive; else refuted if >= refute_share of the decided cells are free and
    none stuck, supported if >= support_share stuck and none free, mixed if both occur."""
    cells = wide[wide["arm"].isin(rule.matched_arms)] if len(wide) else \
        pd.DataFrame({"label": [], "epochs": []})
    counts = {k: int((cells["label"] == k).sum()) for k in ("free", "stuck", "slow")}
    bound = int(((cells["label"] == "slow") & (cells["epochs"] >= rule.ladder_top)).sum())
    n = len(cells)
    numbers = {"matched_cells": n, "cells_free": counts["free"], "cells_stuck": counts["stuck"],
               "cells_slow": counts["slow"], "cells_bound": bound, "bound_epochs": rule.ladder_top}
    decided = n - bound
    if (n < rule.min_cells or decided < rule.min_cells or counts["slow"] > bound
            or bound > rule.max_bound_share * n):
        return Decision("inconclusive", numbers)
    if counts["free"] >= rule.refute_share * decided and counts["stuck"] == 0:
        return Decision("refuted", numbers)
    if counts["stuck"] >= rule.support_share * decided and counts["free"] == 0:
        return Decision("supported", numbers)
    return Decision("mixed" if counts["free"] and counts["stuck"] else "inconclusive", numbers)


def decide_restarts_fix(rates, rule):
    """A cell is fixed if some width reaches ``target`` within ``essay_restarts`` restarts
    (pessimistically, from the Wilson lower bound of p)."""
    if len(rates) == 0:
        return Decision("inconclusive", {"cells": 0, "cells_fixed_by_restarts": 0})
    best = rates.groupby(re_.CELL)["needed_high"].min()
    fixed, n = int((best <= rule.essay_restarts).sum()), int(len(best))
    numbers = {"cells": n, "cells_fixed_by_restarts": fixed}
    if n < rule.min_cells:
        return Decision("inconclusive", numbers)
    if fixed >= rule.fix_share * n:
        return Decision("supported", numbers)
    if fixed <= (1 - rule.fix_share) * n:
        return Decision("refuted", numbers)
    return Decision("mixed", numbers)
