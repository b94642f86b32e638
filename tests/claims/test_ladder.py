"""Issue 19, point 4: the shared budget ladder (x4 rungs, registered tolerance and cap, bounds at
the cap), on constructed cases (the plateau class: tests/job/test_plateau.py)."""
import pytest

from expressivity.claims.contract import BUDGET
from expressivity.claims.ladder import Ladder, decide_with_bounds, read

LADDER = Ladder(tolerance=0.05, cap=6000)


def test_rungs_grow_by_four_up_to_the_cap():
    assert LADDER.rungs(1500) == [1500, 6000]
    assert Ladder(0.05, 24000).rungs(1500) == [1500, 6000, 24000]
    assert Ladder(0.05, 5000).rungs(1500) == [1500]


def test_a_number_settles_is_a_bound_at_the_cap_or_is_unfinished_below_it():
    settled = read({1500: 0.50, 6000: 0.53}, LADDER)
    assert settled.state == "settled" and settled.value == 0.53
    bound = read({1500: 0.0, 6000: 0.4}, LADDER)
    assert bound.bound and bound.budget == 6000
    assert bound.rate == pytest.approx(1000 * 0.4 / 4500)
    unfinished = read({375: 0.0, 1500: 0.4}, LADDER)
    assert unfinished.state == "unfinished" and unfinished.next_budget == 6000
    assert read({1500: 0.2}, LADDER).state == "single"
    assert read({6000: 0.2}, LADDER).bound       # only the cap was run: nothing says it settled


def _free_share_verdict(free, bounds):
    """A restarts-like rule: refuted if >= 3/4 of cells are free; bounds counted as told."""
    def decide(assumed):
        counted = free + sum(1 for k in bounds if assumed[k] == "against")   # against "stuck": free
        return "refuted" if counted >= 0.75 * 12 else "mixed"
    return decide


def test_a_verdict_resting_on_bounds_says_inconclusive_budget_with_the_rate_and_sensitivity():
    bounds = {f"cell{i}": read({1500: 0.0, 6000: 0.3}, LADDER) for i in range(4)}
    decision = decide_with_bounds(_free_share_verdict(7, bounds), bounds, against="against")
    assert decision.verdict == BUDGET and decision.sensitivity == "refuted"
    assert decision.budget["budget"] == 6000 and decision.budget["rate per 1000"] > 0
    assert decision.numbers["verdict_bounds_for_claim"] == "mixed"        # counted as stuck: 7/12
    sure = decide_with_bounds(_free_share_verdict(10, bounds), bounds, against="against")
    assert sure.verdict == "refuted"                                      # either way refuted
    assert decide_with_bounds(_free_share_verdict(10, {}), {}, against="against").sensitivity is None
