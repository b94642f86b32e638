"""A failed job says what its numbers mean (plateau, divergence, saturation) and what to try."""
import logging

import numpy as np
import pytest

from expressivity.job.failure import constant_loss, explain_failure
from expressivity.job.joblog import summary_line, task_label
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job


def test_constant_loss_is_the_loss_of_the_best_constant_output():
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    assert constant_loss(Y, "squared") == 0.25          # mean 0.5: (±0.5)² on every row
    assert constant_loss(Y, "absolute") == 0.5          # median 0.5
    assert constant_loss(Y, "bce") == pytest.approx(np.log(2))
    skewed = np.array([[0.0], [0.0], [0.0], [1.0]])
    assert constant_loss(skewed, "squared") == pytest.approx(0.1875)   # p(1-p), p = 1/4
    # Outputs add up: two columns, twice the loss.
    assert constant_loss(np.hstack([Y, Y]), "squared") == 0.5


def record(success=0.0, best=0.25, diverged=0.0, grads=(0.1, 0.1), losses=(0.3, 0.3)):
    return {"task": {"name": "parity", "n": 2, "boolean": True},
            "config": {"task": {"name": "parity", "n": 2},
                       "trainer": {"loss": "squared", "lr": 0.5, "max_epochs": 200}},
            "summary": {"success_rate": success, "best_loss": best, "diverged_rate": diverged},
            "probes": [{"members": {"final_loss": list(losses),
                                    "grad_norm_final": [[g, 0.0] for g in grads]}}]}


def test_a_plateau_at_the_constant_predictors_loss_is_named_with_keys_to_try():
    why = explain_failure(record(best=0.2489))
    assert "best_loss=0.2489 is the loss of a constant output (0.25)" in why
    assert "trainer.lr" in why and "model.width" in why and "trainer.max_epochs (now 200)" in why


def test_divergence_says_the_step_is_too_large():
    why = explain_failure(record(diverged=1.0, best=None))
    assert why.startswith("100% of restarts diverged") and "smaller trainer.lr" in why


def test_a_vanished_gradient_away_from_the_plateau_is_saturation():
    why = explain_failure(record(best=0.125, grads=(1e-9, 1e-8), losses=(0.125, 0.2)))
    assert why.startswith("100% of restarts ended with a vanished gradient")
    assert "model.init" in why and "trainer.loss=bce" in why


def test_otherwise_training_was_still_moving_or_had_not_reached_the_constant_output():
    why = explain_failure(record(best=0.1))
    assert "training was still moving" in why and "below the constant output's (0.25)" in why
    why = explain_failure(record(best=0.4))
    assert why.startswith("best_loss=0.4 is above even the loss of a constant output (0.25)")
    assert "trainer.max_epochs=200" in why


def test_a_remote_launchers_sweep_prints_every_jobs_summary_at_its_end(tmp_path, capsys):
    from omegaconf import OmegaConf

    from expressivity.job.joblog import ConsoleSummaries, sweep_summaries
    for number in range(2):
        cfg = compose_job("task=xor", "trainer.restarts=2", "trainer.max_epochs=5",
                          "cache_dir=null", f"seed={number}")
        run_job(cfg, tmp_path / str(number))
    lines = sweep_summaries(tmp_path)
    assert [line.split(":")[0] for line in lines] == ["job 0", "job 0", "job 1", "job 1"]
    assert "no restart fitted" in lines[1]
    capsys.readouterr()
    callback = ConsoleSummaries()
    remote = OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)}, "launcher": {
        "_target_": "hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher"}}})
    callback.on_multirun_end(remote)
    assert capsys.readouterr().err.splitlines() == [f"[expressivity] {line}" for line in lines]
    local = OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)}, "launcher": {
        "_target_": "hydra._internal.core_plugins.basic_launcher.BasicLauncher"}}})
    callback.on_multirun_end(local)                       # it printed them as they ran
    assert capsys.readouterr().err == ""


def test_a_job_that_fitted_or_is_not_boolean_needs_no_explanation():
    assert explain_failure(record(success=0.5)) is None
    continuous = record()
    continuous["task"]["boolean"] = False
    assert explain_failure(continuous) is None
    assert explain_failure({"rows": [], "summary": {"rows": 0}}) is None


def test_the_task_is_named_as_the_user_chose_it():
    assert task_label({"name": "parity", "n": 2}, "xor") == "xor (parity n=2)"
    assert task_label({"name": "parity", "n": 3}, "parity") == "parity n=3"
    assert task_label({"name": "parity", "n": 3}) == "parity n=3"


def test_a_failed_xor_job_logs_its_own_name_and_what_its_numbers_mean(tmp_path, caplog):
    cfg = compose_job("task=xor", "model.width=1", "model.activation=sigmoid",
                      "trainer.restarts=3", "trainer.max_epochs=30", "cache_dir=null")
    with caplog.at_level(logging.INFO, logger="expressivity"):
        rec = run_job(cfg, tmp_path / "job", task_choice="xor")
    assert summary_line(rec, "xor").startswith("xor (parity n=2), widths [1]:")
    logged = caplog.text
    assert "xor (parity n=2), widths [1]" in logged
    assert "no restart fitted: best_loss=" in logged and "constant output (0.25)" in logged
