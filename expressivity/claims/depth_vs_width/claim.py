"""Claim `depth_vs_width`: what one hidden layer needs as n grows, and whether depth makes
structured functions cheaper; what exists and what training finds.

Rule v4 (``parts``): three parts, (a) universality, (b) exponential one-layer sizes, (c) depth
(``depth_rule``); the exists side combines (a), (b) and (c) on the product's proven bound,
the training side is (c) on trained minimal sizes. Rule v3 is kept as ``decide_*_v3``.

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
from expressivity.claims.depth_vs_width import tables as depth_tables
from expressivity.claims.depth_vs_width import text as depth_report
from expressivity.claims.contract import Decision
from expressivity.claims.depth_vs_width.evidence import JOB_COLUMNS, existence, searches, trained
from expressivity.claims.depth_vs_width.rules import (decide_exists_on, decide_training_on, decide_training_v3_on,
                                                      depth_ratio, with_tolerance)
from expressivity.claims.depth_vs_width.v1 import decide_v1
from expressivity.claims.depth_vs_width import parts
from expressivity.claims.depth_vs_width.depth_rule import classifier_rates, reaches_target, seed_noise

ID = "depth_vs_width"
VERIFIED = ("exists",)   # constructions and exact computations: only a bug can fail them (issue 19)
NAMED = ("parity", "majority", "inner_product")
DEPTH_FUNCTIONS = ("parity", "inner_product", "random")
# Rule v4's part (c) reads the searches of its own sweeps (settings tuned per depth); rule v3 the rest.
V4_SWEEPS = ("depth_by_depth", "depth_by_depth_random")


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
    depth_min_n: int           # v4, part (c)
    depth_resamples: int
    depth_level: float
    depth_named: list
    depth_families: list
    depth_rel_mse: float
    depth_rel_mse_fine: float
    classifier_base: float
    classifier_exponent: float
    classifier_target: float
    classifier_noise: float
    classifier_trials: int
    construction_families: list   # v4: the depth_constructions record's registered parameters
    construction_min_n: int
    construction_max_n: int
    sat_max_n: int
    sat_parity_max_n: int
    product_max_n: int
    product_scales: list
    product_samples: int
    product_seed: int
    universal_max_n: int


@lru_cache(maxsize=1)
def exact_tables():
    """(per-class table, histogram, named widths) for n = 2..4: a few seconds of SAT, once."""
    table = pd.concat([exact_table(n) for n in (2, 3, 4)], ignore_index=True)
    return table, histogram(table), named_widths(table, names=NAMED)


def evidence(tables, rule):
    table, hist, named = exact_tables()
    jobs = tables.jobs
    if len(jobs) and "summary.budgets" in jobs:
        jobs = jobs[jobs["summary.budgets"].notna()]          # the converged_width searches only
    if len(jobs) and "experiment" in jobs:                    # rule v3 reads its own sweeps only
        v4_jobs, jobs = jobs[jobs["experiment"].isin(V4_SWEEPS)], jobs[~jobs["experiment"].isin(V4_SWEEPS)]
    else:
        v4_jobs = jobs.iloc[:0]
    found = searches(jobs)
    summary = trained(found)
    exist = existence(named, range(2, rule.exist_n_max + 1))
    rows = parts.construction_rows(tables, rule)
    tolerant = with_tolerance(searches(v4_jobs), rule)
    product = {tol: parts.product_cells(tables.members, tables.curves, tol)
               for tol in (rule.depth_rel_mse, rule.depth_rel_mse_fine)}
    depth_table = parts.trained_depth_table(tolerant, product[rule.depth_rel_mse])
    noise = seed_noise(depth_table, rule.classifier_noise)
    grids = {"counting (exists, b)": list(range(rule.exist_n_min, rule.exist_n_max + 1))}
    for family in rule.depth_families:
        measured = sorted(set(depth_table.loc[depth_table["family"] == family, "n"]))
        if len(measured) >= 3:                                 # the classifier needs 3 distinct n
            grids[f"{family} (trained, c)"] = measured
    classifier = {name: classifier_rates(ns, 0.0 if name.startswith("counting") else noise, rule.classifier_trials,
                                         rule.classifier_base, rule.classifier_exponent, rule.aic_margin)
                  for name, ns in grids.items()}
    return SimpleNamespace(searches=found, trained=summary, exact=table, histogram=hist, named=named,
                           existence=exist, jobs=jobs, constructions=rows,
                           constructed=parts.constructed_sizes(rows), depth_table=depth_table,
                           product=product, classifier=classifier, classifier_grids=grids,
                           classifier_noise=noise,
                           constructed_ratios=parts.constructed_ratio_table(rows, rule.construction_families),
                           product_proven=parts.product_proven_table(rows), rule=rule)


def decide_exists(ev, rule):
    """Rule v4: parts (a), (b) (rule v3's existence rule) and (c) on the product's proven bound."""
    a, b, c = parts.part_a(ev.constructions), decide_exists_v3(ev, rule), parts.part_c_exists(ev.constructions, rule)
    lead = {"a.verdict": a.verdict, "b.verdict": b.verdict, "c.verdict": c.verdict}
    return Decision(parts.combine([a.verdict, b.verdict, c.verdict]),
                    {**lead, **a.numbers, **{f"b.{k}": v for k, v in b.numbers.items()}, **c.numbers})


def decide_exists_v3(ev, rule):
    """Rule v3's existence rule (counting bound exponential, parity and majority not): part (b)."""
    window = ev.existence[ev.existence["n"] >= rule.exist_n_min]
    verdict, numbers = decide_exists_on(window, rule)
    worst = ev.histogram.groupby("n")["min_width"].max()
    lead = {f"exact.max_width.n{n}": int(w) for n, w in worst.items()}
    return Decision(verdict, {**numbers, **lead})


def decide_training(ev, rule):
    """Rule v4: part (c) on trained minimal parameter counts; part (b)'s random tables reported."""
    c = parts.part_c_training(ev.depth_table, rule)
    numbers = {"c.verdict": c.verdict, **c.numbers}
    for name, rates in ev.classifier.items():
        numbers[f"classifier.{name}.reaches_target"] = reaches_target(rates, rule.classifier_target)
        numbers.update({f"classifier.{name}.{k}": v for k, v in rates.items()})
    numbers["classifier.noise"] = ev.classifier_noise
    return Decision(c.verdict, numbers)


def decide_training_v3(ev, rule):
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
    built = ev.constructed
    sat = built[built["kind"] == "sat"] if len(built) else built
    names.append(depth_figures.minimal_by_depth(built[built["kind"] != "sat"] if len(built) else built, sat,
                                                ev.depth_table, list(rule.depth_families), writer))
    return [n for n in names if n]


def tables(ev):
    return depth_tables.tables(ev)


def text(ev, decisions, rule):
    v3 = {"exists": decide_exists_v3(ev, rule), "training": decide_training_v3(ev, rule)}
    return depth_report.text(ev, decisions, rule, v3)


def caveats(ev, decisions):
    return depth_report.caveats(ev, decisions)


NUMBER_LABELS = {
    "a.verdict": ("(a) one hidden layer represents every boolean function", ""),
    "b.verdict": ("(b) some functions need exponentially many units in one layer", ""),
    "c.verdict": ("(c) depth makes structured functions cheaper", ""),
    "c.training.*.slope": ("{}: slope of ln(depth-1 over deep minimal parameters) per input bit", ""),
    "c.exists.*.slope": ("{}, constructed: slope of ln(depth-1 over deep units) per input bit", ""),
}
