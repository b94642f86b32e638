"""A member is diverged past a bound set from its initial loss; NaN/inf are counted and named."""
import json

import numpy as np

from expressivity.claims.contract import NOT_TESTED_DECISION, Decision, Finding
from expressivity.job.divergence import divergence_bound, diverged_members
from expressivity.storage.nonfinite import provenance_lines, with_nonfinite_caveat
from expressivity.storage.results import load_results
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job


def test_the_bound_is_a_million_times_the_initial_loss_plus_a_million():
    assert divergence_bound([0.0, 0.25, 2.0]).tolist() == [1e6, 1.25e6, 3e6]


def test_a_finite_but_huge_loss_is_diverged_and_a_normal_one_is_not():
    # Hand-worked: members start at losses 0.5, 0.5, 0.5, 0.5 (bound 1.5e6).
    curve = np.array([[0.5, 0.5, 0.5, 0.5],
                      [0.4, 2e6, 0.6, 1e281],
                      [0.1, 0.2, np.nan, 1e281]])
    final = np.array([0.1, 0.2, 0.3, 1e281])
    flagged = np.array([False, False, True, False])
    assert diverged_members(curve, final, flagged).tolist() == [False, True, True, True]
    assert diverged_members(curve[:1], np.array([1.4e6, 1.6e6, 0, 0]), np.zeros(4, bool)).tolist() \
        == [False, True, False, False]
    assert diverged_members(np.zeros((0, 2)), np.array([np.inf, 1.0]), np.zeros(2, bool)).tolist() \
        == [True, False]


def test_a_job_whose_loss_grows_huge_but_finite_records_its_members_as_diverged(tmp_path):
    cfg = compose_job("task=parity", "task.n=3", "model.width=8", "model.activation=relu",
                      "model.output_activation=identity", "trainer.lr=2", "trainer.restarts=4",
                      "trainer.max_epochs=20", "cache_dir=null")
    record = run_job(cfg, tmp_path)
    members = record["probes"][0]["members"]
    assert all(1e15 < loss < float("inf") for loss in members["final_loss"])   # finite: not NaN
    assert members["diverged"] == [True] * 4
    assert record["summary"]["diverged_rate"] == 1.0


def test_nan_losses_are_counted_named_in_provenance_and_flagged_on_the_claim(tmp_path):
    cfg = compose_job("task.n=2", "model.width=2", "trainer.restarts=3", "trainer.max_epochs=3",
                      "cache_dir=null")
    record = run_job(cfg, tmp_path / "a")
    record["probes"][0]["members"]["final_loss"][1] = None
    record.pop("checksum")
    (tmp_path / "a" / "result.json").write_text(json.dumps(record))
    results = load_results([tmp_path])
    assert results.nonfinite == [(str(tmp_path / "a"), 1)]
    text = provenance_lines(results.nonfinite)
    assert "1 member(s) in 1 job record(s) have a NaN or infinite loss" in text
    assert str(tmp_path / "a") in text
    finding = with_nonfinite_caveat(Finding("x", NOT_TESTED_DECISION, Decision("supported"), "e"), results)
    assert finding.verdict == "supported" and "NaN or infinite loss" in finding.caveats[-1]
    assert provenance_lines([]) == "Non-finite losses (NaN/inf) in the records: none."
