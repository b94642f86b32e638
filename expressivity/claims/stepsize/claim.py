"""stepsize: does a decreasing step size end training better than a constant one?

Per-example SGD with a constant step, a 1/t decay and an exponential decay,
each schedule at its own tuned initial step (tuning protocol), on several
tasks; final full-batch loss compared by median with bootstrap intervals,
beside each arm's cumulative step (the sum of its step sizes) and the same
comparison at half the budget.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from expressivity.tasks import BOOLEAN_FUNCTIONS
from expressivity.claims.contract import Decision
from expressivity.claims.stats import bootstrap_interval
from expressivity.claims.summaries import markdown
from expressivity.claims.tuned import job_cumulative_step, trained_value

ID = "stepsize"
# Member columns the analysis reads; without them the sweep is reported as missing.
COLUMNS = ("task.name", "trainer.schedule", "final_loss", "diverged", "trainer.lr", "trainer.max_epochs")
CONSTANT = "constant"


@dataclass(frozen=True)
class Rule:
    """stepsize.yaml's rule has no numbers: better / worse is read off bootstrap intervals."""


def schedule_table(members):
    """Per (task, schedule): restarts, diverged, median final loss with bootstrap 95% interval, IQR."""
    rows = []
    for (task, schedule), g in members.groupby(["task.name", "trainer.schedule"]):
        ok = g.loc[~g["diverged"].astype(bool), "final_loss"].to_numpy(float)
        low, high = bootstrap_interval(ok, statistic=np.median)
        q25, q75 = np.quantile(ok, [0.25, 0.75]) if ok.size else (np.nan, np.nan)
        rows.append({"task": task, "schedule": schedule, "lr": trained_value(g),
                     "cumulative_step": job_cumulative_step(g), "restarts": len(g),
                     "diverged": int(g["diverged"].astype(bool).sum()),
                     "median": float(np.median(ok)) if ok.size else np.nan,
                     "low": low, "high": high, "iqr": float(q75 - q25)})
    return pd.DataFrame(rows)


def comparisons(table):
    """One row per (task, decaying schedule): better / worse / tie against the constant step."""
    rows = []
    for task, g in table.groupby("task"):
        base = g[g["schedule"] == CONSTANT]
        if base.empty:
            continue
        base = base.iloc[0]
        for r in g[g["schedule"] != CONSTANT].itertuples():
            outcome = "better" if r.high < base["low"] else "worse" if r.low > base["high"] else "tie"
            rows.append({"task": task, "schedule": r.schedule, "median": r.median,
                         "constant_median": base["median"], "ratio": r.median / base["median"],
                         "cumulative_ratio": r.cumulative_step / base["cumulative_step"],
                         "iqr_ratio": r.iqr / base["iqr"] if base["iqr"] > 0 else np.nan,
                         "outcome": outcome})
    return pd.DataFrame(rows)


def half_budget_ratios(curves, pairs):
    """Median loss of each decaying schedule over the constant one's at half the recorded epochs."""
    out = []
    for r in pairs.itertuples():
        part = curves[curves["task.name"] == r.task]
        half = part[part["epoch"] <= part["epoch"].max() / 2]
        at = half[half["epoch"] == half["epoch"].max()].groupby("trainer.schedule")["median"].first()
        out.append(float(at.get(r.schedule, np.nan) / at.get(CONSTANT, np.nan)))
    return out


def task_verdict(pairs):
    """Current rule: supported if in every task some decaying schedule is better and none is
    worse; refuted if no decaying schedule is better in any task; mixed otherwise."""
    if pairs.empty or pairs["median"].isna().any():
        return "inconclusive"
    helps = pairs.groupby("task")["outcome"].apply(lambda o: (o == "better").any() and not (o == "worse").any())
    if helps.all():
        return "supported"
    return "refuted" if not (pairs["outcome"] == "better").any() else "mixed"


def verdict(pairs):
    """The rule before issue 10: every pair better (supported), every pair worse (refuted)."""
    if pairs.empty or pairs["median"].isna().any():
        return "inconclusive"
    if (pairs["outcome"] == "better").all():
        return "supported"
    if (pairs["outcome"] == "worse").all():
        return "refuted"
    return "mixed"


def evidence(tables, rule):
    """Final loss per task and schedule, and each decaying schedule against the constant step."""
    table = schedule_table(tables.members)
    pairs = comparisons(table)
    if len(pairs):
        pairs["half_budget_ratio"] = half_budget_ratios(tables.curves, pairs)
    return SimpleNamespace(table=table, pairs=pairs, curves=tables.curves)


def decide_training(ev, rule):
    pairs = ev.pairs
    numbers = {f"{r.task}.{r.schedule}.median_ratio": float(r.ratio) for r in pairs.itertuples()}
    numbers.update({f"{r.task}.{r.schedule}.outcome": r.outcome for r in pairs.itertuples()})
    numbers["diverged"] = int(ev.table["diverged"].sum())
    numbers.update({f"{r.task}.{r.schedule}.cumulative_step_ratio": float(r.cumulative_ratio)
                    for r in pairs.itertuples()})
    return Decision(task_verdict(pairs), numbers)


def decide_training_every_pair(ev, rule):
    """The rule registered before issue 10 (same initial step for every schedule)."""
    return Decision(verdict(ev.pairs), {"pairs_better": int((ev.pairs["outcome"] == "better").sum())})


def text(ev, decisions, rule):
    pairs = ev.pairs
    lines = "; ".join(f"{r.task} / {r.schedule}: median {r.median:.3g} vs {r.constant_median:.3g} "
                      f"({r.outcome}; spread x{r.iqr_ratio:.2f}; cumulative step x{r.cumulative_ratio:.2f}; "
                      f"at half budget x{getattr(r, 'half_budget_ratio', np.nan):.2f})" for r in pairs.itertuples())
    tuned = ", ".join(f"{r.task}/{r.schedule} {r.lr:g}" for r in ev.table.itertuples())
    return (
        f"Per-example SGD, each schedule at its own tuned initial step ({tuned}); final full-batch "
        f"loss, decaying schedule vs constant (median; 'better'/'worse' need non-overlapping "
        f"bootstrap 95% intervals; spread = ratio of interquartile ranges; cumulative step = ratio "
        f"of the sums of step sizes over the budget; at half budget = ratio of the median losses at "
        f"half the epochs): {lines}. Verdict: **{decisions['training'].verdict}** (under the rule "
        f"before issue 10, every pair deciding: {decide_training_every_pair(ev, rule).verdict}).\n\n"
        "This claim is about training, not representation: every schedule trains the same "
        "architecture, so any difference is in what SGD reaches in a fixed budget."
        + _tradeoff(pairs))


def tables(ev):
    return [markdown(ev.table, "Final loss per task and schedule: median with bootstrap 95% "
                               "interval, interquartile range, diverged runs", floatfmt=".3g"),
            markdown(ev.pairs, "Decaying vs constant step", floatfmt=".3g")]


def figures(ev, rule, writer):
    return [_plot(ev.curves, ev.table, writer)]


def _tradeoff(pairs):
    """Sentences on where decay helped or hurt, computed from each pair's numbers (issue 19: a
    fixed explanation, 'shrank the steps before training left its early plateau', was printed
    whatever the curves did). Only what the numbers show is said: the spread, the cumulative
    step, and whether the gap was already there at half the budget."""
    parts = []
    for r in pairs.itertuples():
        if r.outcome == "tie":
            continue
        half = getattr(r, "half_budget_ratio", np.nan)
        spread = (f"its spread over restarts was x{r.iqr_ratio:.2f} the constant step's"
                  if np.isfinite(r.iqr_ratio) else "the spread could not be compared")
        if r.outcome == "better":
            damped = " (the decay damped the jumps)" if np.isfinite(r.iqr_ratio) and r.iqr_ratio < 1 \
                else " (not by damping the jumps: the spread did not shrink)"
            parts.append(f" On {r.task}, {r.schedule} ended better (median x{r.ratio:.3g}); {spread}"
                         f"{damped if np.isfinite(r.iqr_ratio) else ''}.")
            continue
        if np.isfinite(half) and half > 1:
            when = (f"it was already x{half:.3g} worse at half the budget, with x{r.cumulative_ratio:.2f} "
                    "the cumulative step: the decay slowed it early")
        elif np.isfinite(half):
            when = (f"at half the budget it was not worse (x{half:.3g}): the gap opened late, so it "
                    "is not training held on an early plateau")
        else:
            when = "the curves do not say when the gap opened"
        parts.append(f" On {r.task}, {r.schedule} ended worse (median x{r.ratio:.3g}); {when}.")
    return "".join(parts)


def _plot(curves, table, writer):
    tasks = sorted(table["task"].unique())
    fig, axes = writer.figure(ncols=len(tasks), width=5.0, height=3.6)
    for ax, task in zip(axes[0], tasks):
        part = curves[curves["task.name"] == task]
        for schedule, g in part.groupby("trainer.schedule"):
            g = g.sort_values("epoch")
            line, = ax.plot(g["epoch"], g["median"], label=schedule)
            ax.fill_between(g["epoch"], g["q25"], g["q75"], color=line.get_color(), alpha=0.2)
        n = part["task.n"].iloc[0] if task in BOOLEAN_FUNCTIONS and "task.n" in part else None
        ax.set(yscale="log", xlabel="epoch", ylabel="full-batch loss (median, IQR band)",
               title=task if n is None else f"{task}, n = {n}")
        ax.legend(fontsize=8)
    return writer.save(fig, f"{ID}_curves.png")


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "*.median_ratio": ("{}: median final loss over the constant step size's", "×"),
    "diverged": ("restarts that diverged", ""),
    "*.outcome": ("{}: decaying schedule against the constant step", ""),
    "*.cumulative_step_ratio": ("{}: cumulative step over the constant schedule's", "×"),
    "pairs_better": ("task and schedule pairs where decay ends lower", ""),
}
