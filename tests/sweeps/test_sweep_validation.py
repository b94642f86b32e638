"""Every job of a multirun is composed and checked before any runs, on every local launcher."""
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["task.n=2", "model.width=2", "trainer.restarts=2", "trainer.max_epochs=3", "cache_dir=null"]


def multirun(tmp_path, *overrides, cwd=ROOT, sweep_dir=True):
    cmd = [sys.executable, "-m", "expressivity", "-m", *SMALL, *overrides]
    if sweep_dir:
        cmd.append(f"hydra.sweep.dir={tmp_path / 'sweep'}")
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("launcher", ["basic", "joblib", "submitit_local"])
def test_a_sweep_with_bad_points_lists_them_all_and_computes_nothing(tmp_path, launcher):
    out = multirun(tmp_path, "trainer.lr=0.5,-1,0.3", "model.bias=true,2",
                   f"hydra/launcher={launcher}")
    assert out.returncode == 2, out.stderr
    # 6 points: lr=-1 with bias=true, and the three with bias=2 are bad
    assert "4 problem(s) in a sweep of 6 job(s); no job was run" in out.stderr
    assert out.stderr.count("trainer.lr=-1.0 is not allowed; allowed: a positive number") == 1
    assert out.stderr.count("model.bias='2' is not allowed; allowed: true or false") == 3
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "sweep").exists()


def test_type_errors_and_launcher_settings_are_found_before_any_job(tmp_path):
    out = multirun(tmp_path, "model.width=2,wide", "hydra/launcher=joblib",
                   "hydra.launcher.n_jobs=0")
    assert out.returncode == 2
    assert "hydra.launcher.n_jobs=0 is not allowed; allowed: a positive integer, or -1" in out.stderr
    assert "job 1 (" in out.stderr and "wide" in out.stderr
    assert not (tmp_path / "sweep").exists()


def test_a_good_sweep_still_runs_every_job(tmp_path):
    out = multirun(tmp_path, "trainer.lr=0.5,0.3")
    assert out.returncode == 0, out.stderr
    assert len(list((tmp_path / "sweep").rglob("result.json"))) == 2


def test_two_identical_sweeps_started_together_use_different_folders(tmp_path):
    cmd = [sys.executable, "-m", "expressivity", "-m", *SMALL, "trainer.lr=0.5,0.3"]
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    folders = list((tmp_path / "runs" / "adhoc" / "quick").iterdir())
    assert len(folders) == 2
    assert all(len(list(f.rglob("result.json"))) == 2 for f in folders)


def test_the_sweeper_plugin_ships_in_the_wheel_and_hydra_finds_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "hydra_plugins.expressivity_sweeper" in project["tool"]["setuptools"]["packages"]
    assert not (ROOT / "hydra_plugins" / "__init__.py").exists()   # a namespace package
    from hydra.core.plugins import Plugins
    from hydra.plugins.sweeper import Sweeper
    names = {cls.__name__ for cls in Plugins.instance().discover(Sweeper)}
    assert "ValidatingSweeper" in names
