"""Reading tuned values back, and the cumulative step of a schedule (closed forms)."""
import numpy as np
import pandas as pd
import pytest

from expressivity.claims.tuned import (cumulative_step, job_cumulative_step, steps_per_epoch,
                                       trained_value, tuned_table)


def test_trained_value_prefers_the_tuned_column():
    g = pd.DataFrame({"trainer.lr": [0.5, 0.5], "tuned.trainer.lr": [3.0, 3.0]})
    assert trained_value(g) == 3.0
    assert trained_value(g.drop(columns="tuned.trainer.lr")) == 0.5
    assert trained_value(g.assign(**{"tuned.trainer.lr": [np.nan, np.nan]})) == 0.5
    with pytest.raises(ValueError, match="trainer.lr"):
        trained_value(pd.DataFrame({"x": [1]}))


def test_tuned_table_one_row_per_cell():
    m = pd.DataFrame({"cell": ["a", "a", "b"], "trainer.lr": [0.1, 0.1, 0.1],
                      "tuned.trainer.lr": [1.0, 1.0, np.nan]})
    t = tuned_table(m, ["cell"])
    assert t["trainer.lr"].tolist() == [1.0, 0.1] and t["tuned"].tolist() == [True, False]


def test_cumulative_step_closed_forms():
    assert cumulative_step("constant", 0.1, 100, 8, 20, 0.9, 10) == pytest.approx(80.0)
    # geometric series: lr (1 - g^E) / (1 - g)
    assert cumulative_step("exponential", 0.2, 50, 1, 1, 0.9, 1) == pytest.approx(0.2 * (1 - 0.9 ** 50) / 0.1)
    # harmonic: lr * tau * sum 1/(tau + e) = lr * tau * (H(tau+E-1) - H(tau-1)) with tau = 1
    assert cumulative_step("inverse_time", 1.0, 4, 1, 1.0, 0, 1) == pytest.approx(1 + 1 / 2 + 1 / 3 + 1 / 4)
    with pytest.raises(ValueError, match="schedule"):
        cumulative_step("cosine", 0.1, 10, 1, 1, 1, 1)


def test_steps_per_epoch_and_job_cumulative_step():
    row = {"trainer.batch_size": 1, "task.name": "parity", "task.n": 3, "task.points": 64}
    assert steps_per_epoch(row) == 8
    assert steps_per_epoch({**row, "trainer.batch_size": 0}) == 1
    g = pd.DataFrame([{**row, "trainer.schedule": "constant", "trainer.lr": 0.1, "trainer.max_epochs": 10,
                       "trainer.tau": 1.0, "trainer.gamma": 1.0, "trainer.step_every": 1}])
    assert job_cumulative_step(g) == pytest.approx(8.0)


def test_describe_names_each_arm_and_whether_it_was_tuned():
    from expressivity.claims.tuned import describe
    m = pd.DataFrame({"loss": ["squared", "absolute"], "trainer.lr": [0.1, 0.1],
                      "tuned.trainer.lr": [3.0, np.nan]})
    assert describe(m, ["loss"]) == "absolute: lr 0.1 (fixed); squared: lr 3 (tuned)"
    assert describe(m.iloc[:0], ["loss"]) == "no runs"
