"""Claim `depth_vs_width`: what one hidden layer needs as n grows, what exists and what training finds.

Existence (step units): exact minimal widths for every function of n <= 4
(``expressivity.exact``, SAT), counting bounds and constructions
(``theory.width_bounds``). Training: minimal trained widths from
``converged_width`` searches (``depth_evidence``). Rules: ``depth_rules``;
the first registered rule: ``depth_v1``; figures: ``depth_figures``;
tables and text: ``depth_report``.
"""
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import pandas as pd

from expressivity.claims.depth_vs_width.exact_table import exact_table, histogram, named_widths
from expressivity.claims.depth_vs_width import figures as depth_figures
from expressivity.claims.depth_vs_width import text as depth_report
from expressivity.claims.contract import Decision
from expressivity.claims.depth_vs_width.evidence import JOB_COLUMNS, existence, searches, trained
from expressivity.claims.depth_vs_width.rules import decide_exists_on, decide_training_on, decide_training_v3_on, depth_ratio
from expressivity.claims.depth_vs_width.v1 import decide_v1

ID = "depth_vs_width"
VERIFIED = ("exists",)   # constructions and exact computations: only a bug can fail them (issue 19)
NAMED = ("parity", "majority", "inner_product")
DEPTH_FUNCTIONS = ("parity", "inner_product", "random")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of depth_vs_width.yaml (v2) and of the first rule (v1)."""
    aic_margin: float
    min_n: int
    exist_n_min: int
    exist_n_max: int
    depth_helps_ratio: float
    growth_factor: float       # v1
    r2_min: float              # v1
    agree_units: int           # v3: budgets agree within max(agree_units, agree_share x width)
    agree_share: float         # v3
    envelope_factor: float     # v3: structured widths within this x their construction


@lru_cache(maxsize=1)
def exact_tables():
    """(per-class table, histogram, named widths) for n = 2..4: a few seconds of SAT, once."""
    table = pd.concat([exact_table(n) for n in (2, 3, 4)], ignore_index=True)
    return table, histogram(table), named_widths(table, names=NAMED)


def evidence(tables, rule):
    table, hist, named = exact_tables()
    found = searches(tables.jobs)
    summary = trained(found)
    exist = existence(named, range(2, rule.exist_n_max + 1))
    return SimpleNamespace(searches=found, trained=summary, exact=table, histogram=hist, named=named,
                           existence=exist, jobs=tables.jobs)


def decide_exists(ev, rule):
    window = ev.existence[ev.existence["n"] >= rule.exist_n_min]
    verdict, numbers = decide_exists_on(window, rule)
    worst = ev.histogram.groupby("n")["min_width"].max()
    lead = {f"exact.max_width.n{n}": int(w) for n, w in worst.items()}
    return Decision(verdict, {**numbers, **lead})


def decide_training(ev, rule):
    """Rule v3 (depth_rules.decide_training_v3_on); the reported-only depth ratios beside it."""
    return _training(decide_training_v3_on, ev, rule)


def decide_training_v2(ev, rule):
    """Rule v2 (registered 2026-11-29): answers agree only when equal, no construction envelope."""
    return _training(decide_training_on, ev, rule)


def _training(decide_on, ev, rule):
    verdict, numbers = decide_on(ev.searches, rule)
    for function in DEPTH_FUNCTIONS:
        ratio, n = depth_ratio(ev.trained, function)
        numbers[f"{function}.depth_parameter_ratio"] = ratio
        numbers[f"{function}.depth_helps"] = bool(ratio <= rule.depth_helps_ratio) if n else None
        numbers[f"{function}.depth_ratio_at_n"] = n
    numbers["searches"] = int(len(ev.searches))
    numbers["converged"] = int(ev.searches["converged"].sum())
    numbers["budget_bound"] = int(ev.searches["bound"].sum())
    numbers["no_fit_up_to_cap"] = int(ev.searches["censored"].sum())
    numbers["non_monotone"] = int(ev.searches["non_monotone"].sum())
    return Decision(verdict, numbers)


def decide_training_v1(ev, rule):
    """The rule as first registered (a log-linear factor threshold), on the same searches."""
    return decide_v1(ev.jobs, rule)


def figures(ev, rule, writer):
    names = [depth_figures.width_against_n(ev.existence, ev.named, ev.trained, writer)]
    if not ev.searches.empty:
        names += [depth_figures.width_against_budget(ev.searches, writer),
                  depth_figures.parameters_by_depth(ev.trained, writer)]
    return names


def tables(ev):
    return depth_report.tables(ev)


def text(ev, decisions, rule):
    return depth_report.text(ev, decisions, rule)


def caveats(ev, decisions):
    return depth_report.caveats(ev, decisions)
