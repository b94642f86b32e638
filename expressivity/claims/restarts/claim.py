"""Claim `restarts`: do large nets get stuck, and do restarts fix it?

Two training verdicts (restarts.yaml): "large networks inevitably get stuck"
on the cells whose loss matches the output, and "restarts fix it" on every
cell; each from p(width) under a tuned step, with every failed restart
classified by how it ended. The teacher-student sweep (Safran & Shamir 2018)
is reported beside them. Nothing here is a construction: every number comes
from training.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from expressivity.claims.restarts import evidence as re_
from expressivity.claims.contract import Decision
from expressivity.claims.restarts.cell_rules import (decide_restarts_fix, decide_restarts_fix_widest,
                                                   decide_stuck, decide_stuck_bounded, decide_stuck_laddered)
from expressivity.claims.restarts.figures import plot_needed, plot_rates, plot_teacher
from expressivity.claims.summaries import markdown, order

ID = "restarts"
COLUMNS = ("task.name", "task.n", "model.activation", "model.output_activation", "trainer.loss",
           "width", "fitted", "fit_epoch", "final_loss")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of restarts.yaml."""
    target: float
    essay_restarts: int
    matched_arms: list
    free_low: float
    stuck_high: float
    refute_share: float
    support_share: float
    fix_share: float
    min_cells: int
    ladder_top: int
    max_bound_share: float
    ladder_tolerance: float = 0.05


def evidence(tables, rule):
    every_budget = re_.prepare(tables.members)
    members = re_.top_budget(every_budget)
    if members.empty:
        rates = wide = budget = members
    else:
        rates = re_.rates(members, rule.target, rule.essay_restarts)
        wide = re_.wide_cells(rates, rule.free_low, rule.stuck_high)
        budget = re_.budget_rates(members)
    cut = {} if members.empty else {
        int(round(share * members["trainer.max_epochs"].max())):
            re_.rates(re_.cut_budget(members, share), rule.target, rule.essay_restarts)
        for share in re_.BUDGET_SHARES[:-1]}
    return SimpleNamespace(members=members, rates=rates, wide=wide, budget=budget, cut=cut,
                           ladder=re_.ladder(every_budget), teacher=re_.teacher_table(tables.members))


def decide_training(ev, rule):
    """Rule v4 (issue 19, registered 2026-12-04): "large networks get stuck" with the budget
    bounds counted both ways (``decide_stuck_bounded``), "restarts fix it" at each cell's
    largest width (``decide_restarts_fix_widest``)."""
    return _training(ev, rule, lambda wide, r: decide_stuck_bounded(wide, ev.ladder, r),
                     decide_restarts_fix_widest)


def decide_training_ladder(ev, rule):
    """Rule v3 (2026-12-03): ``decide_stuck_laddered`` (bounds leave the denominator) and
    "restarts fix it" at each cell's best width."""
    return _training(ev, rule, decide_stuck_laddered)


def decide_training_before_ladder(ev, rule):
    """The rule of 2026-11-29 (``decide_stuck``: a slow cell counts as neither free nor stuck)."""
    return _training(ev, rule, decide_stuck)


def _training(ev, rule, stuck_rule, fix_rule=None):
    fix_rule = fix_rule or decide_restarts_fix
    decision = stuck_rule(ev.wide, rule)
    fix = fix_rule(ev.rates, rule)
    at_cut = {f"restarts_fix_it_at_{e}": fix_rule(r, rule).verdict for e, r in ev.cut.items()}
    return Decision(decision.verdict, {**decision.numbers, "restarts_fix_it": fix.verdict,
                                       **fix.numbers, **at_cut, **_teacher_numbers(ev.teacher)},
                    sensitivity=decision.sensitivity, budget=decision.budget)


def decide_as_first_registered(ev, rule):
    """The rule of 2026-11-28 on the essay arm: p rises or falls from the smallest fitting
    width to the largest per (task, activation) cell; refuted if it rises in at least half
    and falls in none, supported if it falls in at least half and rises in none, mixed if
    both occur."""
    essay = ev.rates[ev.rates["arm"] == "essay"] if len(ev.rates) else ev.rates
    rises = falls = cells = 0
    for _, g in (essay.groupby(["cell", "activation"]) if len(essay) else []):
        g = g.sort_values("width")
        fitting = g[g["successes"] > 0]
        if fitting.empty:
            continue
        cells += 1
        small, large = fitting.iloc[0], g.iloc[-1]
        if small["width"] == large["width"]:
            continue
        side = order(large["low"], large["high"], small["low"], small["high"])
        rises += side == "above"
        falls += side == "below"
    numbers = {"cells_rising": rises, "cells_falling": falls, "cells_with_a_fit": cells}
    if cells < rule.min_cells:
        return Decision("inconclusive", numbers)
    if rises >= cells / 2 and falls == 0:
        return Decision("refuted", numbers)
    if falls >= cells / 2 and rises == 0:
        return Decision("supported", numbers)
    return Decision("mixed" if rises and falls else "inconclusive", numbers)


def _teacher_numbers(teacher):
    if teacher is None or len(teacher) == 0:
        return {}
    out = {}
    for _, r in teacher.iterrows():
        key = f"teacher_k{int(r['k'])}_n{int(r['width'])}"
        out[f"{key}_failed"] = float(r["failed"] / r["trials"])
        out[f"{key}_local_minima"] = int(r.get("local_minimum", 0))
    return out


def figures(ev, rule, writer):
    out = []
    if len(ev.rates):
        out += [plot_rates(ev.rates, writer), plot_needed(ev.rates, rule.essay_restarts, writer)]
    if len(ev.teacher):
        out.append(plot_teacher(ev.teacher, writer))
    return out


def tables(ev):
    out = []
    if len(ev.wide):
        out.append(markdown(ev.wide, "Each cell at its largest width: p (Wilson 95%), the tuned "
                            "step, the share of diagnosed failures with a vanished gradient "
                            "(stuck_share) or still moving, the label the rule reads, and the "
                            "fewest restarts any width needs for 99% (from p's lower bound)."))
        out.append(markdown(ev.budget, "Budget: p at the largest width when only the first 1/3, "
                            "2/3 or all of the epochs count (a restart counts once it has fitted)."))
        out.append(markdown(ev.ladder, "Budget ladder: p at the largest width at each epoch budget "
                            "run (restarts_ladder.yaml re-runs the slow cells at 4x, step re-tuned); "
                            "the verdict reads the largest."))
        shown = ev.rates[re_.CELL + ["width", "lr", "successes", "trials", "rate", "low", "high",
                                     "needed", "needed_high", "diagnosed", "diverged", "moving",
                                     *re_.STUCK_CLASSES]]
        out.append(markdown(shown, "Per cell and width: the tuned step (lr), p with Wilson 95% "
                            "bounds, restarts needed for 99% (point and pessimistic), and how "
                            "the diagnosed failed restarts ended."))
    if len(ev.teacher):
        out.append(markdown(ev.teacher, "Teacher-student (Safran & Shamir 2018): k teacher units, "
                            "n = width student units; fitted = population loss <= 1e-3 at the end; "
                            "failed restarts classified (local_minimum: gradient < grad_tol, no "
                            "Hessian eigenvalue below -hess_tol)."))
    return out


def text(ev, decisions, rule):
    n = decisions["training"].numbers
    if not n:
        return "No data."
    lines = [f"**Large networks get stuck: {decisions['training'].verdict}.** Of "
             f"{n['matched_cells']} cells with a loss matched to the output, {n['cells_free']} are "
             f"free at their largest width, {n['cells_stuck']} stuck, {n['cells_slow']} slow "
             f"(failing but still moving), of which {n.get('cells_bound', 0)} reached the top of "
             f"the budget ladder ({n.get('bound_epochs', '?')} epochs) and count as bounds, "
             f"not minima.",
             f"**Restarts fix it: {n['restarts_fix_it']}.** {n['cells_fixed_by_restarts']} of "
             f"{n['cells']} cells reach 99% success within {rule.essay_restarts} restarts at their largest width"
             + "".join(f"; with the budget cut to {k.rsplit('_', 1)[1]} epochs: {v}"
                       for k, v in n.items() if k.startswith("restarts_fix_it_at_")) + "."]
    essay = ev.wide[ev.wide["arm"] == "essay"] if len(ev.wide) else ev.wide
    for _, r in essay.iterrows():
        lines.append(f"- essay arm, {r['cell']}, {r['activation']}: p = {r['p']:.2f} "
                     f"[{r['low']:.2f}, {r['high']:.2f}] at width {r['width']} (lr {r['lr']:g}), "
                     f"label {r['label']}; {_vanished(r['stuck_share'])}.")
    for _, r in ev.teacher.iterrows() if len(ev.teacher) else []:
        lines.append(f"- teacher-student k={int(r['k'])}, n={int(r['width'])} (lr {r['lr']:g}): "
                     f"{int(r['failed'])}/{int(r['trials'])} ended away from the teacher; diagnosed local "
                     f"minima {int(r.get('local_minimum', 0))}, saddles {int(r.get('saddle', 0))}, "
                     f"still moving {int(r.get('moving', 0))}.")
    lines.append("Every number above comes from training (tuned step, fixed epoch budget); "
                 "none from a construction.")
    return "\n".join(lines)


def caveats(ev, decisions):
    return ["Every number here comes from training (no construction). The step is tuned per "
            "job; p is for the fixed epoch budget of the sweep, and the budget table shows how "
            "p at the largest width moves between 1/3, 2/3 and all of it.",
            "Only the first diagnose.max_members failed restarts of each job are classified; "
            "'moving' means the gradient norm was still >= grad_tol at the end (slow, not stuck).",
            "The teacher-student nets are trained on the exact population loss (no sampling), "
            "with the paper's fixed output weights; rates are per 100 restarts."]


def _vanished(share):
    """How many diagnosed failures ended with a vanished gradient, in words (none diagnosed: said)."""
    if share is None or not np.isfinite(share):
        return "no failed restarts to diagnose"
    return f"failures with a vanished gradient: {share:.0%}"


NUMBER_LABELS = {
    "matched_cells": ("wide cells judged (each against its narrow partner)", ""),
    "cells_free": ("wide cells that fit without getting stuck", ""),
    "cells_stuck": ("wide cells stuck away from a fit", ""),
    "cells_slow": ("wide cells still improving at the largest budget", ""),
    "cells_bound": ("wide cells left as budget bounds", ""),
    "bound_epochs": ("largest budget", "epochs"),
    "restarts_fix_it": ("restarts fix it", ""),
    "cells": ("cells judged for restarts", ""),
    "cells_fixed_by_restarts": ("cells where restarts reach a fit", ""),
    "cells_rising": ("cells where wider nets fit more often", ""),
    "cells_falling": ("cells where wider nets fit less often", ""),
    "cells_with_a_fit": ("cells with a fit at some width", ""),
}
