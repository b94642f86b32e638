"""Measure until it stops moving, once, for every claim (issue 19, point 4).

A budget ladder runs a measured quantity (a success rate, a relative error, a width) at
budgets that grow by ``factor`` (4: epochs x4 per rung) from a base up to a registered ``cap``.
Between the last two rungs run, the quantity has *settled* if it moved by at most the
registered ``tolerance``; if it has not settled and the largest rung is the cap, the number is
a *bound* (the value at the cap, with the rate it was still moving at); below the cap the
ladder is *unfinished* (its next rung is due). A rule decides on settled numbers, and on bounds
only where its verdict is the same whichever way the bounds would go (``decide_with_bounds``):
otherwise ``inconclusive: budget``, with the budget and the rate, and a sensitivity line saying
what the rule gives with every bound counted against the claim.
"""
from dataclasses import dataclass

import numpy as np

from .contract import BUDGET, Decision

FACTOR = 4


@dataclass(frozen=True)
class Ladder:
    """The registered ladder of one measured quantity."""
    tolerance: float
    cap: int
    factor: int = FACTOR

    def rungs(self, base):
        """The budgets from ``base`` up to the cap: base, factor x base, ... (the cap included
        when it is a rung)."""
        out, budget = [], int(base)
        while budget <= self.cap:
            out.append(budget)
            budget *= self.factor
        return out


@dataclass(frozen=True)
class Rung:
    """Where one quantity's ladder ended: ``state`` settled | bound | unfinished | single."""
    value: float
    budget: int
    state: str
    change: float = float("nan")     # |value at the last rung - at the one before|
    rate: float = float("nan")       # that change per 1000 units of budget (epochs)
    next_budget: int = None

    @property
    def bound(self):
        return self.state == "bound"


def read(values, ladder):
    """``Rung`` of a quantity measured at several budgets ({budget: value}).

    One budget only: ``single`` (nothing says whether it moves); settled when the last two
    rungs agree within the tolerance; else bound at the cap, unfinished below it."""
    budgets = sorted(int(b) for b in values)
    last = budgets[-1]
    value = float(values[last])
    if len(budgets) == 1:
        return Rung(value, last, "bound" if last >= ladder.cap else "single",
                    next_budget=None if last >= ladder.cap else last * ladder.factor)
    before = budgets[-2]
    change = abs(value - float(values[before]))
    rate = 1000.0 * change / (last - before)
    if change <= ladder.tolerance:
        return Rung(value, last, "settled", change, rate)
    if last >= ladder.cap:
        return Rung(value, last, "bound", change, rate)
    return Rung(value, last, "unfinished", change, rate, last * ladder.factor)


def decide_with_bounds(decide, bounds, against, numbers=None):
    """A rule's decision when some of its numbers are bounds.

    decide : function(assumed) -> verdict, ``assumed`` mapping each bound's key to how it is
        counted ("for" or "against" the claim)
    bounds : {key: Rung} of the numbers that are bounds (state ``bound``)
    against : the reading that counts against the claim ("for"/"against"), for the sensitivity

    The verdict stands when counting every bound for the claim and every bound against it give
    the same verdict; otherwise ``inconclusive: budget`` with the largest budget and the fastest
    rate among the bounds. ``sensitivity``: the verdict with every bound counted against the claim.
    """
    numbers = dict(numbers or {})
    if not bounds:
        return Decision(decide({}), numbers)
    pro = decide({k: "for" for k in bounds})
    con = decide({k: "against" for k in bounds})
    sensitivity = con if against == "against" else pro
    rates = [r.rate for r in bounds.values() if np.isfinite(r.rate)]
    budget = {"budget": max(r.budget for r in bounds.values()),
              "rate per 1000": max(rates) if rates else "not measured (one rung)",
              "bounds": len(bounds)}
    numbers.update({"bounds": len(bounds), "verdict_bounds_for_claim": pro,
                    "verdict_bounds_against_claim": con})
    if pro == con:
        return Decision(pro, numbers, sensitivity=sensitivity)
    return Decision(BUDGET, numbers, sensitivity=sensitivity, budget=budget)
