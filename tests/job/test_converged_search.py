"""Search kind converged_width: the budget ladder against a scripted trainer (an oracle that
says which (width, budget) fits), and budget-monotonicity of the real trainer it relies on."""
import numpy as np
import pytest

from expressivity.job.config import ConfigError, validate
from expressivity.job.converged_search import converged_width_search, layer_widths, parameter_count
from expressivity.nn import MLP
from expressivity.job.runner import run_job
from expressivity.tasks import make_task
from tests.support.jobs import compose_job


def scripted(answer_at, broken=()):
    """A train_probe whose width w fits at budget level L iff w >= answer_at[L] and w not in broken."""
    calls = []

    def train_probe(cfg, task, widths):
        level = cfg.search.budget_epochs.index(cfg.trainer.max_epochs)
        calls.append((level, widths[0]))
        fit = widths[0] >= answer_at[level] and widths[0] not in broken
        return {"widths": widths, "parameters": 0, "summary": {"any_fit": fit}}
    return train_probe, calls


def config(*overrides, epochs="[10,20,40]", restarts="[2,2,4]"):
    return compose_job("task=parity", "task.n=3", "search=converged_width", f"search.budget_epochs={epochs}",
                       f"search.budget_restarts={restarts}", "search.max_width=64", *overrides)


TASK = make_task("parity", n=3)


def test_stops_when_two_budgets_agree_and_steps_down():
    probe, calls = scripted([9, 7, 7])
    _, s = converged_width_search(config(), TASK, probe)
    assert s["min_widths"] == [9, 7, 7] and s["min_width"] == 7 and s["converged"]
    # level 0: doubling 1,2,4,8,16, bisection 12,10,9, then the width above (10, known);
    # level 1: 8 fits, bisection below it 4,6,7, the width above (8) known; level 2: 6 fails: agreed
    assert calls == [(0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (0, 12), (0, 10), (0, 9),
                     (1, 8), (1, 4), (1, 6), (1, 7), (2, 6)]


def test_a_later_budget_is_spent_only_on_searches_still_unsettled():
    probe, calls = scripted([7, 7, 5])
    _, s = converged_width_search(config(), TASK, probe)
    assert s["min_widths"] == [7, 7] and s["converged"] and s["budgets"] == [[10, 2], [20, 2]]
    assert all(level < 2 for level, _ in calls)


def test_unconverged_ladder_is_a_bound():
    _, s = converged_width_search(config(), TASK, scripted([9, 7, 5])[0])
    assert s["min_widths"] == [9, 7, 5] and not s["converged"] and s["budgets"] == [[10, 2], [20, 2], [40, 4]]


def test_a_failure_above_the_answer_is_flagged():
    probe, _ = scripted([4, 4, 4], broken=(5,))
    _, s = converged_width_search(config("search.start_width=4"), TASK, probe)
    assert s["min_width"] == 4 and s["non_monotone"] == [{"level": 0, "width": 5}]


def test_no_fit_up_to_the_cap():
    _, s = converged_width_search(config("search.max_width=8"), TASK, scripted([99, 99, 99])[0])
    assert s["min_width"] is None and s["min_widths"] == [None, None, None] and not s["converged"]


def test_layer_shapes_and_parameters():
    assert layer_widths(9, 3, "uniform") == [9, 9, 9]
    assert layer_widths(9, 4, "halving") == [9, 5, 3, 2]
    for widths in ([9], [9, 5, 3], [4, 4]):
        net = MLP.init((6, *widths, 1), "tanh", population=1, rng=np.random.default_rng(0))
        assert parameter_count(6, widths) == net.n_parameters


def test_a_member_that_fits_at_a_small_budget_fits_at_a_larger_one(tmp_path):
    """The ladder skips widths that fitted at a smaller budget; that needs members to be prefix-stable."""
    def fitted(epochs, restarts):
        cfg = compose_job("task=parity", "task.n=3", "model.width=3", "model.activation=tanh", "trainer.loss=bce",
                          "trainer.lr=0.3", "trainer.momentum=0.9", f"trainer.max_epochs={epochs}",
                          f"trainer.restarts={restarts}", "cache_dir=null")
        return np.array(run_job(cfg, tmp_path)["probes"][0]["members"]["fitted"], bool)
    small, large = fitted(60, 8), fitted(240, 16)
    assert small.any() and not small.all()                       # the budget matters here
    assert (large[:8] | ~small).all() and large.sum() > small.sum()


def test_the_real_search_runs_and_records_budgets(tmp_path):
    cfg = config("task=majority", "task.n=4", "model.activation=tanh", "trainer.loss=bce", "cache_dir=null",
                 epochs="[200,400]", restarts="[4,4]")
    record = run_job(cfg, tmp_path)
    assert record["summary"]["min_width"] == 1 and record["summary"]["converged"]
    assert all("budget" in p for p in record["probes"])


@pytest.mark.parametrize("override, message", [
    ("search.budget_epochs=[10,5,40]", "non-decreasing"),
    ("search.budget_restarts=[2]", "as long as"),
    ("search.shape=tree", "search.shape"),
    ("search.start_width=0", "search.start_width"),
])
def test_bad_ladders_are_refused(override, message):
    with pytest.raises(ConfigError, match=message):
        validate(config(override))
