"""Claim `restarts`: synthetic member tables made so each rule must say supported, refuted,
mixed or inconclusive; the old rule still answers; the analysis end to end."""
import numpy as np
import pandas as pd

from expressivity.claims.restarts import claim as restarts
from expressivity.storage.results import Results
from tests.support.claimkit import analyse, rule_of

RULE = rule_of("restarts")
TRIALS = 100
ARM = {"essay": ("squared", "sigmoid"), "bce": ("bce", "sigmoid"), "linear": ("squared", "identity")}


def members(successes, ended="local_minimum", lr=1.0):
    """successes: {(n, activation, arm): {width: fitted count of TRIALS}}; failures end as ``ended``."""
    rows = []
    for (n, activation, arm), by_width in successes.items():
        loss, output = ARM[arm]
        for width, count in by_width.items():
            for member in range(TRIALS):
                fitted = member < count
                rows.append({"task.name": "parity", "task.n": n, "task.seed": 0,
                             "model.activation": activation, "trainer.loss": loss,
                             "model.output_activation": output, "trainer.lr": 9.0,
                             "tuned.trainer.lr": lr, "trainer.max_epochs": 900, "width": width,
                             "member": member, "fitted": fitted,
                             "fit_epoch": (100 if member % 2 else 800) if fitted else -1,
                             "final_loss": 0.01 if fitted else 0.2,
                             "diag.class": np.nan if fitted else ended})
    return pd.DataFrame(rows)


def teacher_rows(k, n, failed, ended="local_minimum"):
    return pd.DataFrame([{"task.name": "teacher_student", "task.n": k, "width": n, "member": m,
                          "fitted": m >= failed, "trainer.lr": 0.1, "tuned.trainer.lr": 0.1,
                          "diag.class": ended if m < failed else np.nan} for m in range(TRIALS)])


def evidence(frame, **numbers):
    return restarts.evidence(Results(frame, pd.DataFrame(), pd.DataFrame()), rule_of("restarts", **numbers))


FREE = {1: 0, 8: 60, 256: 100}
STUCK = {1: 0, 8: 60, 256: 10}
CELLS = [(3, "sigmoid"), (3, "relu"), (4, "sigmoid"), (4, "relu")]


def _cells(pattern, arms=("bce", "linear")):
    return {(n, act, arm): pattern for n, act in CELLS for arm in arms}


def test_wide_nets_that_fit_refute_getting_stuck():
    d = restarts.decide_training(evidence(members(_cells(FREE))), RULE)
    assert d.verdict == "refuted" and d.numbers["cells_free"] == 8 and d.numbers["cells_stuck"] == 0


def test_wide_nets_that_end_at_local_minima_support_getting_stuck():
    d = restarts.decide_training(evidence(members(_cells(STUCK))), RULE)
    assert d.verdict == "supported" and d.numbers["cells_stuck"] == 8


def test_wide_failures_that_are_still_moving_are_slow_not_stuck():
    d = restarts.decide_training(evidence(members(_cells(STUCK), ended="moving")), RULE)
    assert d.verdict == "inconclusive" and d.numbers["cells_slow"] == 8


def test_free_and_stuck_cells_together_are_mixed_and_the_essay_arm_does_not_vote():
    successes = {**_cells(FREE, ("bce",)), **_cells(STUCK, ("linear",)), **_cells(STUCK, ("essay",))}
    d = restarts.decide_training(evidence(members(successes)), RULE)
    assert d.verdict == "mixed" and d.numbers["matched_cells"] == 8


def test_restarts_fix_it_when_some_width_reaches_99_percent_within_1000():
    ev = evidence(members(_cells({1: 0, 8: 2, 256: 0})))   # p = 0.02 at width 8: low bound ~0.006
    assert restarts.decide_restarts_fix(ev.rates, RULE).verdict == "supported"
    ev = evidence(members(_cells({1: 0, 8: 0, 256: 0})))
    assert restarts.decide_restarts_fix(ev.rates, RULE).verdict == "refuted"
    # every fit came at epoch 100 or 800 (of 900): at 300 epochs half the fits are there
    d = restarts.decide_training_ladder(evidence(members(_cells({1: 0, 8: 2, 256: 0}))), RULE)
    assert d.numbers["restarts_fix_it_at_300"] == "refuted" and d.numbers["restarts_fix_it"] == "supported"
    # rule v4 reads the largest width: p = 0 at width 256, so restarts do not fix it there
    d = restarts.decide_training(evidence(members(_cells({1: 0, 8: 2, 256: 0}))), RULE)
    assert d.numbers["restarts_fix_it"] == "refuted"
    # with a budget of 100 restarts p = 0.02 is not enough (100 < ln 0.01 / ln(1 - 0.006))
    ev = evidence(members(_cells({1: 0, 8: 2, 256: 0})), essay_restarts=100)
    assert restarts.decide_restarts_fix(ev.rates, rule_of("restarts", essay_restarts=100)).verdict == "refuted"


def test_the_rule_as_first_registered_reads_the_essay_arm_trend():
    falling = {(n, act, "essay"): {1: 0, 8: 70, 256: 5} for n, act in CELLS}
    assert restarts.decide_as_first_registered(evidence(members(falling)), RULE).verdict == "supported"
    rising = {(n, act, "essay"): {1: 0, 8: 20, 256: 95} for n, act in CELLS}
    assert restarts.decide_as_first_registered(evidence(members(rising)), RULE).verdict == "refuted"


def test_tuned_steps_classes_and_budget_are_in_the_evidence():
    ev = evidence(members(_cells(STUCK), lr=0.3))
    assert set(ev.rates["lr"]) == {0.3}
    wide = ev.rates[ev.rates["width"] == 256]
    assert (wide["local_minimum"] == 90).all() and (wide["diagnosed"] == 90).all()
    # half of the fits came at epoch 100, half at 800: p at 300 epochs is half of p at 900
    assert np.allclose(ev.budget["p_at_300"] * 2, ev.budget["p_at_900"])


def test_teacher_student_rates_and_classes():
    frame = pd.concat([members(_cells(FREE)), teacher_rows(8, 8, 30), teacher_rows(8, 16, 0)])
    ev = evidence(frame)
    t = ev.teacher.set_index("width")
    assert t.loc[8, "failed"] == 30 and t.loc[8, "local_minimum"] == 30 and t.loc[16, "failed"] == 0
    d = restarts.decide_training(ev, RULE)
    assert d.numbers["teacher_k8_n8_failed"] == 0.3 and d.verdict == "refuted"


def test_analysis_end_to_end(tmp_path):
    frame = pd.concat([members(_cells(FREE)), teacher_rows(8, 8, 30)])
    finding = analyse("restarts", Results(frame, pd.DataFrame(), pd.DataFrame()), tmp_path)
    assert finding.training.verdict == "refuted" and finding.figures
    assert any("under rule v1" in label and "exploratory" in label for label in finding.registered)
    assert "teacher-student k=8" in finding.text


def _at(frame, epochs, arm=None):
    """The frame with trainer.max_epochs set to ``epochs`` (only for ``arm``'s rows if given)."""
    frame = frame.copy()
    rows = slice(None) if arm is None else frame["trainer.loss"].eq(ARM[arm][0]) & \
        frame["model.output_activation"].eq(ARM[arm][1])
    frame.loc[rows, "trainer.max_epochs"] = epochs
    return frame


def test_cells_still_moving_at_the_top_of_the_ladder_are_bounds_and_the_rest_decides():
    # bce cells free, linear cells slow at the ladder's top: 4 bounds of 8 (<= half), 4 decided free.
    frame = members({**_cells(FREE, ("bce",)), **_cells(STUCK, ("linear",))}, ended="moving")
    d = restarts.decide_training_ladder(evidence(_at(frame, RULE.ladder_top, "linear")), RULE)
    assert d.verdict == "refuted" and d.numbers["cells_bound"] == 4 and d.numbers["cells_free"] == 4
    # rule v4 keeps the bounds in the denominator and counts them both ways: free -> refuted,
    # stuck -> mixed, so the verdict rests on the budget and says so, with the sensitivity line
    v4 = restarts.decide_training(evidence(_at(frame, RULE.ladder_top, "linear")), RULE)
    assert v4.verdict == "inconclusive: budget" and v4.sensitivity == "refuted"
    assert v4.numbers["verdict_bounds_for_claim"] == "mixed" and v4.budget["budget"] == RULE.ladder_top
    # The rule before the ladder keeps the slow cells in the denominator: 4/8 free < 0.75.
    before = restarts.decide_training_before_ladder(evidence(_at(frame, RULE.ladder_top, "linear")), RULE)
    assert before.verdict == "inconclusive"


def test_stuck_cells_with_bounds_beside_them_support_getting_stuck():
    stuck = members(_cells(STUCK, ("bce",)))
    slow = _at(members(_cells(STUCK, ("linear",)), ended="moving"), RULE.ladder_top)
    d = restarts.decide_training_ladder(evidence(pd.concat([stuck, slow], ignore_index=True)), RULE)
    assert d.verdict == "supported" and d.numbers["cells_stuck"] == 4 and d.numbers["cells_bound"] == 4
    v4 = restarts.decide_training(evidence(pd.concat([stuck, slow], ignore_index=True)), RULE)
    assert v4.verdict == "inconclusive: budget" and v4.sensitivity == "mixed"   # bounds free: mixed


def test_a_slow_cell_below_the_top_or_too_many_bounds_is_inconclusive():
    frame = members({**_cells(FREE, ("bce",)), **_cells(STUCK, ("linear",))}, ended="moving")
    assert restarts.decide_training(evidence(frame), RULE).verdict == "inconclusive"   # ladder unfinished
    assert restarts.decide_training_ladder(evidence(frame), RULE).verdict == "inconclusive"
    many = members({**_cells(FREE, ("bce",)), **_cells(STUCK, ("linear",))}, ended="moving")
    tight = evidence(_at(many, RULE.ladder_top, "linear"), max_bound_share=0.25)
    assert restarts.decide_training_ladder(tight, rule_of("restarts", max_bound_share=0.25)).verdict == \
        "inconclusive"


def test_bounds_that_cannot_turn_the_verdict_leave_it_standing():
    free = members(_cells(FREE, ("bce", "linear")))
    sure = restarts.decide_training(evidence(free), RULE)
    assert sure.verdict == "refuted" and sure.sensitivity is None       # no bound at all


def test_only_the_largest_budget_run_counts_and_the_ladder_shows_every_rung():
    short = members(_cells(STUCK, ("bce",)), ended="moving")
    long = _at(members(_cells(FREE, ("bce",))), RULE.ladder_top)
    ev = evidence(pd.concat([short, long], ignore_index=True))
    assert set(ev.wide["epochs"]) == {RULE.ladder_top} and set(ev.wide["label"]) == {"free"}
    rungs = ev.ladder[(ev.ladder["cell"] == "parity-3") & (ev.ladder["activation"] == "sigmoid")]
    assert rungs.set_index("epochs")["rate"].to_dict() == {900: 0.1, RULE.ladder_top: 1.0}
