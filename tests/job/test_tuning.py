"""The tuning protocol: schedule, choice, budgets, seeds, determinism, bad input."""
import numpy as np
import pytest
from omegaconf import OmegaConf

from expressivity.job.config import ConfigError
from expressivity.storage.results import load_results
from expressivity.job.runner import member_generators, run_job
from expressivity.tasks import make_task
from expressivity.job.tuning import (candidate_values, halving_schedule, member_success, score,
                                 tune, tuning_generators)
from tests.support.jobs import compose_job

XOR = ("task=xor", "model.width=2", "trainer.restarts=8", "trainer.max_epochs=300", "cache_dir=null")


def test_halving_keeps_the_right_count_and_multiplies_the_resource():
    rounds = halving_schedule(7, eta=3, restarts=4, max_epochs=100, resource="restarts")
    assert [(r.entering, r.kept, r.members, r.epochs) for r in rounds] == [(7, 3, 4, 100), (3, 1, 12, 100)]
    rounds = halving_schedule(9, eta=2, restarts=2, max_epochs=80, resource="epochs")
    assert [(r.entering, r.kept) for r in rounds] == [(9, 5), (5, 3), (3, 2), (2, 1)]
    assert [r.epochs for r in rounds] == [10, 20, 40, 80] and {r.members for r in rounds} == {2}
    assert [(r.entering, r.kept) for r in halving_schedule(1, 3, 4, 10, "restarts")] == [(1, 1)]
    with pytest.raises(ValueError, match="eta"):
        halving_schedule(3, eta=1, restarts=1, max_epochs=1, resource="restarts")


def test_candidates_are_the_product_of_the_grids_in_order():
    assert candidate_values(["trainer.lr", "model.init_scale"], [[0.1, 1], [2]]) == [
        {"trainer.lr": 0.1, "model.init_scale": 2.0}, {"trainer.lr": 1.0, "model.init_scale": 2.0}]


def test_score_ranks_success_first_then_median_loss_and_divergence_last():
    ok = np.array([True, False])
    assert score(ok, np.array([0.1, 0.2]), "success") < score(ok[::-1] & False, np.array([0.0, 0.0]), "success")
    assert score(ok, np.array([0.1, 0.2]), "success") < score(ok, np.array([0.3, 0.4]), "success")
    assert score(ok, np.array([np.nan, np.inf]), "loss") > score(ok, np.array([5.0, 9.0]), "loss")


class FakeProbe:
    """A synthetic objective: member j at lr fits iff ``fits(lr, j)``; loss = |log10 lr - best|."""

    def __init__(self, fits, best=0.0):
        self.fits, self.best, self.calls = fits, best, []

    def __call__(self, cfg, task, widths, rngs):
        lr, n, epochs = cfg.trainer.lr, len(rngs), cfg.trainer.max_epochs
        self.calls.append((lr, n, epochs))
        fitted = np.array([self.fits(lr, j) for j in range(n)])
        loss = np.full(n, abs(np.log10(lr) - self.best))
        return {"members": {"fitted": fitted, "final_loss": loss}, "member_epochs": n * epochs}


def _cfg(grid, **tune_keys):
    cfg = compose_job(*XOR, "tune.enabled=true", f"tune.grids=[{grid}]",
                      *[f"tune.{k}={v}" for k, v in tune_keys.items()])
    return OmegaConf.create(OmegaConf.to_container(cfg, resolve=True))


def test_only_the_lr_that_can_fit_is_chosen_and_survivors_get_eta_times_the_members():
    probe = FakeProbe(lambda lr, j: lr == 1.0)
    grid = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
    tuned, record = tune(_cfg(grid, restarts=4, eta=3), make_task("parity", 2), [2], probe)
    assert record["chosen"] == {"trainer.lr": 1.0} and tuned.trainer.lr == 1.0
    assert [len(r["candidates"]) for r in record["rounds"]] == [7, 3]
    assert [sum(c["kept"] for c in r["candidates"]) for r in record["rounds"]] == [3, 1]
    # round 1 trains only the 8 new members of each of the 3 survivors (4 reused from round 0)
    assert [n for _, n, _ in probe.calls] == [4] * 7 + [8] * 3
    assert record["member_epochs"] == 300 * (4 * 7 + 8 * 3)


def test_ties_in_success_go_to_the_lower_loss():
    probe = FakeProbe(lambda lr, j: True, best=np.log10(0.3))
    _, record = tune(_cfg([0.1, 0.3, 1.0], restarts=2), make_task("parity", 2), [2], probe)
    assert record["chosen"] == {"trainer.lr": 0.3}


def test_every_arm_gets_the_same_tuning_budget():
    spent = []
    for fits in (lambda lr, j: lr == 0.1, lambda lr, j: lr >= 1.0 and j % 2 == 0):
        _, record = tune(_cfg([0.1, 1.0, 10.0], restarts=3), make_task("parity", 2), [2], FakeProbe(fits))
        spent.append((record["member_epochs"], [(r["members"], r["epochs"]) for r in record["rounds"]]))
    assert spent[0] == spent[1]


def test_tuning_seeds_are_disjoint_from_evaluation_seeds():
    for offset in (0, 3, 1000003):   # even an offset below the population size
        tuning = {g.random() for g in tuning_generators(7, offset, 0, 64)}
        evaluation = {g.random() for g in member_generators(7, 256)}
        assert len(tuning) == 64 and not tuning & evaluation
    # members are indexed, not drawn in sequence: a later round extends the same streams
    a = [g.random() for g in tuning_generators(7, 5, 0, 6)]
    assert a[4:] == [g.random() for g in tuning_generators(7, 5, 4, 6)]


def test_continuous_success_is_loss_at_most_tol():
    task = make_task("sin", points=8)
    members = {"fitted": [False] * 3, "final_loss": [0.001, 0.1, np.nan]}
    assert member_success(members, task, 0.01).tolist() == [True, False, False]
    assert member_success(members, task, 0.0).tolist() == [False, False, False]


def test_a_tuned_job_is_deterministic_and_trains_the_chosen_value(tmp_path):
    args = (*XOR, "tune.enabled=true", "tune.grids=[[0.001,10.0]]", "tune.restarts=4")
    a = run_job(compose_job(*args), tmp_path / "a")
    b = run_job(compose_job(*args), tmp_path / "b")
    assert a["tuning"] == b["tuning"] and a["probes"] == b["probes"]
    # 300 epochs at lr 0.001 cannot move a 2-2-1 sigmoid net far enough to fit XOR
    assert a["tuning"]["chosen"] == {"trainer.lr": 10.0}
    plain = run_job(compose_job(*XOR, "trainer.lr=10.0"), tmp_path / "plain")
    assert a["probes"] == plain["probes"]
    assert a["timing"]["member_epochs"] == plain["timing"]["member_epochs"] + a["tuning"]["member_epochs"]
    members = load_results([tmp_path / "a"]).members
    assert set(members["tuned.trainer.lr"]) == {10.0}


@pytest.mark.parametrize("override, message", [
    ("tune.params=[trainer.momentum]", "tune.params"),
    ("tune.grids=[[0.1],[1.0]]", "tune.grids"),
    ("tune.grids=[[0.1,-1]]", r"tune.grids\[0\]"),
    ("tune.eta=1", "tune.eta"),
    ("tune.criterion=accuracy", "tune.criterion"),
    ("tune.resource=time", "tune.resource"),
    ("search=min_width", "tune.enabled"),
])
def test_bad_tune_blocks_are_refused_before_any_work(tmp_path, override, message):
    with pytest.raises(ConfigError, match=message):
        run_job(compose_job(*XOR, "tune.enabled=true", override), tmp_path)


def test_the_tune_block_is_hashed_only_when_switched_on():
    from expressivity.storage.records import config_hash
    off = OmegaConf.to_container(compose_job(*XOR), resolve=True)
    other_grid = OmegaConf.to_container(compose_job(*XOR, "tune.grids=[[1.0]]"), resolve=True)
    on = OmegaConf.to_container(compose_job(*XOR, "tune.enabled=true"), resolve=True)
    on_other = OmegaConf.to_container(compose_job(*XOR, "tune.enabled=true", "tune.grids=[[1.0]]"),
                                      resolve=True)
    assert config_hash(off) == config_hash(other_grid) == config_hash({k: v for k, v in off.items()
                                                                      if k != "tune"})
    assert len({config_hash(off), config_hash(on), config_hash(on_other)}) == 3
