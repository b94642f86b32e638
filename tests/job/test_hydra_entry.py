"""`expressivity run …` is Hydra's own command line: -m, --cfg, --info, --help, completion."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args, cwd, comp_line=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if comp_line is not None:
        env["COMP_LINE"] = comp_line
    done = subprocess.run([sys.executable, "-m", "expressivity.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_multirun_sweeps_both_tasks(tmp_path):
    _cli("run", "-m", "task=xor,and", "trainer.restarts=4", "trainer.max_epochs=30",
         "cache_dir=null", cwd=tmp_path)
    records = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("runs/adhoc/quick/*/*/result.json"))]
    assert [(r["config"]["task"]["name"], r["summary"]["restarts"]) for r in records] == \
        [("parity", 4), ("and", 4)]


def test_cfg_job_prints_the_composed_config_and_runs_nothing(tmp_path):
    out = _cli("run", "--cfg", "job", "model.width=5", cwd=tmp_path)
    assert "width: 5" in out and "objective:" in out and "hydra:" not in out
    assert not (tmp_path / "runs").exists()


def test_info_and_help_are_hydras(tmp_path):
    info = _cli("run", "--info", "plugins", cwd=tmp_path)
    assert "BasicLauncher" in info and "BasicSweeper" in info
    helped = _cli("run", "--help", cwd=tmp_path)
    assert "== Configuration groups ==" in helped and "task: " in helped


def test_completion_of_overrides_after_run_and_of_subcommands(tmp_path):
    options = _cli("-sc", "query=bash", cwd=tmp_path, comp_line="expressivity run task=").split()
    assert "task=parity" in options and "task=xor" in options
    assert all(o.startswith("task=") for o in options)
    keys = _cli("-sc", "query=bash", cwd=tmp_path, comp_line="expressivity run trainer.lo").split()
    assert keys == ["trainer.loss="]
    assert _cli("-sc", "query=bash", cwd=tmp_path, comp_line="expressivity re").split() == \
        ["report", "reproduce"]
    script = _cli("run", "--shell-completion", "install=bash", cwd=tmp_path)
    assert "complete -o nospace -o default -F hydra_bash_completion" in script
