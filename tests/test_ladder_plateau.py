"""Issue 19, point 4: the shared budget ladder (x4 rungs, registered tolerance and cap, bounds at
the cap) and the plateau class of the diagnosis, on constructed cases."""
import numpy as np
import pytest
from omegaconf import OmegaConf

from jobs import compose_job
from expressivity.claims.contract import BUDGET
from expressivity.claims.ladder import Ladder, decide_with_bounds, read
from expressivity.diagnose import diagnose, loss_drop_per_1000, plateau_class
from expressivity.nn import MLP
from expressivity.records import config_hash

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


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def _near_origin(scale):
    """A tanh 2-2-1 net with small weights: near the saddle at the origin of XOR's loss."""
    rng = np.random.default_rng(0)
    return MLP([scale * rng.normal(size=(1, 2, 2)), scale * rng.normal(size=(1, 2, 1))],
               [np.zeros((1, 2)), np.full((1, 1), 0.5)], ["tanh", "identity"])


def test_a_slow_member_at_negative_curvature_is_a_plateau_not_moving():
    net = _near_origin(0.1)   # like the wide-sigmoid cells: gradient ~0.004, lambda_min ~ -0.006
    plain = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0])
    assert plain["class"] == ["moving"]                      # any gradient >= 1e-4 was "moving"
    assert 1e-4 < plain["grad_norm"][0] < 1e-2
    slow = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0], plateau_grad_tol=1e-2,
                    plateau_drop=1e-3, loss_drop=np.array([1e-4]))
    assert slow["class"] == ["plateau"] and slow["hess_min"][0] < 0
    progress = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0], plateau_grad_tol=1e-2,
                        plateau_drop=1e-3, loss_drop=np.array([0.05]))
    assert progress["class"] == ["moving"]                   # real progress: the loss still falls


def test_a_slow_member_near_a_true_minimum_is_not_a_plateau():
    # least squares on XOR by an affine map: minimum at w = 0, b = 0.5 (convex: Hessian >= 0)
    net = MLP([np.array([[[3e-3], [0.0]]])], [np.array([[0.5]])], ["identity"])
    d = diagnose(net, XOR_X, XOR_Y, "squared", 0.5, [0], plateau_grad_tol=1e-2, plateau_drop=1e-3,
                 loss_drop=np.array([1e-5]))
    assert d["class"] == ["moving"] and d["hess_min"][0] > 0
    assert plateau_class(1e-5, 1e-3, -1e-3, 1e-2, 1e-3, 1e-6) == "plateau"
    assert plateau_class(1e-5, 5e-2, -1e-3, 1e-2, 1e-3, 1e-6) == "moving"   # gradient not small


def test_the_loss_drop_is_per_1000_epochs_over_the_last_1000():
    curve = np.array([[1.0, 0.5, 0.30, 0.29], [1.0, 0.9, 0.8, 0.7]])
    epochs = np.array([0, 1000, 2000, 3000])
    assert np.allclose(loss_drop_per_1000(curve, epochs, [0, 1]), [0.01, 0.1])
    assert np.allclose(loss_drop_per_1000(curve, [0, 100, 200, 300], [0]), [0.71 / 300 * 1000])   # shorter: from the start


def test_the_plateau_keys_at_null_leave_every_diagnosed_config_hash_alone():
    config = OmegaConf.to_container(compose_job("diagnose.enabled=true"))
    before = {**config, "diagnose": {k: v for k, v in config["diagnose"].items()
                                     if not k.startswith("plateau")}}
    assert config["diagnose"]["plateau_grad_tol"] is None
    assert config_hash(config) == config_hash(before)
    changed = {**config, "diagnose": {**config["diagnose"], "plateau_grad_tol": 0.01,
                                      "plateau_drop": 1e-3}}
    assert config_hash(changed) != config_hash(before)
