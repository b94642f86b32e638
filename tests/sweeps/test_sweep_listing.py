"""A sweep's jobs listed without running them: --dry-run, and --cfg job with -m."""
import os

import pytest

from expressivity.cli import main
from expressivity.job.runner import run_job
from expressivity.sweeps.listing import job_config, split_args, sweep_jobs, wants_listing
from tests.support.jobs import compose_job


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EXPRESSIVITY_CACHE", str(tmp_path / "cache"))
    return tmp_path


def test_which_arguments_ask_for_a_listing():
    assert wants_listing(["-m", "task=xor,and", "--cfg", "job"])
    assert wants_listing(["task=xor", "--dry-run"])
    assert not wants_listing(["task=xor", "--cfg", "job"])       # one job: Hydra prints it
    assert not wants_listing(["-m", "task=xor,and"])
    assert split_args(["-m", "--cfg", "job", "task=xor,and", "--dry-run"]) == \
        (["task=xor,and"], "job")


def test_the_jobs_are_split_as_the_basic_sweeper_splits_them(here):
    jobs = sweep_jobs(["task=xor,and", "model.width=2,4", "seed=1"])
    assert jobs == [["task=xor", "model.width=2", "seed=1"], ["task=xor", "model.width=4", "seed=1"],
                    ["task=and", "model.width=2", "seed=1"], ["task=and", "model.width=4", "seed=1"]]
    # An experiment file's grid (hydra.sweeper.params) counts too.
    assert len(sweep_jobs(["+experiment=depth_vs_width"])) == 18


def test_dry_run_lists_every_job_with_its_cache_status_and_runs_nothing(here, capsys):
    cfg = compose_job("task=xor", "model.width=2", "trainer.restarts=2", "trainer.max_epochs=3",
                      f"cache_dir={here / 'cache'}")
    run_job(cfg, here / "done")
    before = sorted(p for p in here.rglob("*"))
    assert main(["run", "-m", "task=xor,and", "model.width=2", "trainer.restarts=2",
                 "trainer.max_epochs=3", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("job 0: task=xor model.width=2 trainer.restarts=2 "
                             "trainer.max_epochs=3  [in the cache; config hash ")
    assert out[1].startswith("job 1: task=and model.width=2") and "[to run;" in out[1]
    assert out[-1] == "2 job(s): 1 in the cache, 1 to run (nothing was run)"
    assert sorted(p for p in here.rglob("*")) == before          # nothing written
    assert not (here / "multirun").exists()


def test_the_listed_hash_is_the_one_the_job_records(here):
    cfg = compose_job("task=and", "trainer.restarts=2", "trainer.max_epochs=3",
                      f"cache_dir={here / 'cache'}")
    record = run_job(cfg, here / "job")
    _, digest, path = job_config(["task=and", "trainer.restarts=2", "trainer.max_epochs=3"])
    assert digest == record["config_hash"] and path.exists()


def test_cfg_job_with_multirun_prints_each_jobs_config_instead_of_a_traceback(here, capsys):
    assert main(["run", "-m", "task=xor,and", "--cfg", "job"]) == 0
    out = capsys.readouterr().out
    assert out.count("\njob ") + out.startswith("job ") == 2
    assert "job 1: task=and" in out and "    task:\n      name: and" in out
    assert not (here / "multirun").exists()


def test_a_sweeper_that_picks_its_own_jobs_cannot_be_listed(here, capsys):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    with pytest.raises(SystemExit) as stop:
        main(["run", "-m", "+experiment=parity_optuna", "hydra/sweeper=optuna", "--dry-run"])
    assert stop.value.code == 2
    assert "chooses its jobs as it runs" in capsys.readouterr().err
    assert os.listdir(here) == [] or not (here / "multirun").exists()
