"""Claim `loss`: squared versus absolute error, one verdict line per sub-claim.

Sub-claims (numbers in expressivity/claims/loss/claim.yaml): (1) best constant, (2) a fixed
step settles only the squared error, (3) a decaying step settles the
absolute error, (4) robustness to outliers, (5) geometric convergence,
(6) the choice matters for training a net, (7) the absolute error jitters by
about the step, (8) on a fit every residual can reach, a constant step settles
the squared error and leaves the absolute one jumping by about the step
(``loss_settle``). Protocols: (1, 3-5, 7, 8) both losses at the same steps;
(2, 6) each loss at its own tuned step (tuning protocol).
"""
from dataclasses import dataclass
from types import SimpleNamespace

from expressivity.claims.loss import figures as loss_figures
from expressivity.claims.contract import Decision
from expressivity.claims.loss.constant import excess_curves, learned_constants
from expressivity.claims.loss.settle import settles_versus_jumps
from expressivity.claims.loss.subclaims import (_sub, best_constant, choice_matters, decay_settles, fixed_step_settles,
                             geometric, robustness, step_order)
from expressivity.claims.tuned import describe
from expressivity.claims.summaries import markdown, task_labels
from expressivity.tasks import BOOLEAN_FUNCTIONS

ID = "loss"
COLUMNS = ("task.name", "trainer.loss", "trainer.batch_size", "trainer.schedule", "trainer.lr")


@dataclass(frozen=True)
class Rule:
    """The pre-registered numbers of loss.yaml."""
    setting_lr: float
    min_fraction: float
    settle_ratio: float
    decay_ratio: float
    robust_ratio: float
    r2_min: float
    min_fits: int
    step_band: list
    window: float
    settle_shrink: float
    jump_band: list
    settle_floor_ulps: float = 4.0


def evidence(tables, rule):
    """The learned constants, the nets' records and the constant task's curves; each sub-claim."""
    point = tables.members["task.distribution"] == "point"
    members, all_curves = tables.members[~point], tables.curves
    constants = learned_constants(members)
    boolean = members[members["task.name"].isin(list(BOOLEAN_FUNCTIONS))].copy()
    boolean["cell"] = task_labels(boolean)
    regression = members[~members["task.name"].isin(list(BOOLEAN_FUNCTIONS) + ["constant"])]
    curves = excess_curves(all_curves[all_curves["task.distribution"] != "point"]) if len(all_curves) \
        else all_curves
    subs = [best_constant(constants, rule), fixed_step_settles(regression, rule),
            decay_settles(constants, rule), robustness(constants, rule),
            geometric(curves, rule), choice_matters(boolean, rule),
            step_order(constants, rule), _settle(all_curves, rule, rule.settle_floor_ulps)]
    subs[1]["line"] += f" Steps: {describe(regression, ['trainer.loss', 'trainer.schedule'])}."
    subs[5]["line"] += f" Steps: {describe(boolean, ['cell', 'trainer.loss'])}."
    return SimpleNamespace(constants=constants, boolean=boolean, regression=regression,
                           curves=curves, subs=subs, subs_v2=subs[:7] + [_settle(all_curves, rule)])


def decide_training(ev, rule):
    """Rule v3 (issue 19): sub-claim (8) counts an amplitude within ``settle_floor_ulps`` ulp of
    1 as settled (``loss_settle.judge``); otherwise as v2."""
    return _decide_subs(ev.subs, ev)


def decide_training_v2(ev, rule):
    """Rule v2 (issue 10): supported if every sub-claim holds (see ``combine``); no rounding floor."""
    return _decide_subs(ev.subs_v2, ev)


def _decide_subs(subs, ev):
    constants = ev.constants
    # The report's summary shows the first two numbers: how many sub-claims hold, of how many.
    numbers = {"sub_claims_holding": sum(s["holds"] is True for s in subs), "sub_claims": len(subs)}
    numbers.update({f"{s['name']}.{k}": v for s in subs for k, v in s["numbers"].items()})
    numbers.update({f"{s['name']}.holds": s["holds"] for s in subs})
    numbers["constants_unrecovered"] = int(constants["b"].isna().sum()) if "b" in constants else 0
    return Decision(combine(subs), numbers)


def decide_training_seven(ev, rule):
    """The rule before issue 10: the first seven sub-claims (no settle-versus-jump measurement)."""
    return Decision(combine(ev.subs[:7]), {"sub_claims_holding": sum(s["holds"] is True for s in ev.subs[:7])})


def _settle(curves, rule, floor_ulps=None):
    holds, numbers, line = settles_versus_jumps(curves, rule.window, rule.settle_shrink, rule.jump_band,
                                                floor_ulps)
    return _sub("settles versus jumps (same steps, exact fit)", holds, numbers, line)


def text(ev, decisions, rule):
    subs = ev.subs
    return "\n".join([f"**{decisions['training'].verdict}**: "
                      f"{sum(s['holds'] is True for s in subs)} of {len(subs)} sub-claims hold. Every number "
                      f"here comes from training runs (no construction); (2) and (6) at each loss's own "
                      f"tuned step, the others at steps shared by both losses. Under the rule before "
                      f"issue 10 (seven sub-claims): {decide_training_seven(ev, rule).verdict}."]
                     + [f"- ({i + 1}) {s['line'].split('. ', 1)[0].rstrip('.')}." for i, s in enumerate(subs)]
                     + ["", "<details><summary>The numbers behind each sub-claim</summary>", ""]
                     + [f"- ({i + 1}) {s['line']}" for i, s in enumerate(subs)] + ["", "</details>"])


def figures(ev, rule, writer):
    return loss_figures.draw(ev.constants, ev.curves, ev.regression, ev.boolean, rule, writer)


def tables(ev):
    return _tables(ev.constants)


def caveats(ev, decisions):
    return _caveats(decisions["training"].numbers)


def _tables(constants):
    if constants.empty:
        return []
    keys = ["task.distribution", "trainer.loss", "trainer.batch_size", "trainer.schedule", "trainer.lr"]
    summary = constants.groupby(keys).agg(mean=("mean", "first"), median=("median", "first"),
                                          b_median=("b", "median"), b_sd=("b", "std"),
                                          restarts=("b", "size")).reset_index()
    summary["trainer.batch_size"] = summary["trainer.batch_size"].map({0: "full", 1: "per-example"})
    return [markdown(summary, "Learned constant b on task=constant: median and sd over restarts, "
                              "beside the sample mean and median.")]


def combine(subs):
    """supported if every sub-claim holds, refuted if none does, mixed otherwise;
    inconclusive if any sub-claim had no data."""
    states = [s["holds"] for s in subs]
    if any(state is None for state in states):
        return "inconclusive"
    return "supported" if all(states) else ("refuted" if not any(states) else "mixed")


def _caveats(numbers):
    caveats = ["The learned constant is recovered from the record (b = max y - sup error) and kept "
               "only where the loss it implies matches the recorded loss to 1e-6.",
               "Outliers are tested on the constant (the simplest regression); the regression "
               "target itself is fitted without outliers."]
    if numbers.get("constants_unrecovered"):
        caveats.append(f"{numbers['constants_unrecovered']} learned constants could not be recovered.")
    return caveats


# How the report names the deciding numbers: (words, unit); see expressivity/report/wording.py.
NUMBER_LABELS = {
    "sub_claims_holding": ("sub-claims that hold", ""),
    "sub_claims": ("sub-claims tested", ""),
}
