"""A user's install: the wheel, in a fresh virtualenv outside the checkout, run from an empty
folder: a job, a sweep, a user's own experiment folder, and `expressivity reproduce`."""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JOB = ["task=xor", "trainer.restarts=4", "trainer.max_epochs=50"]
MINE = """# @package _global_
experiment: mine
task: {name: parity, n: 3}
model: {width: 3}
trainer: {restarts: 4, max_epochs: 40}
"""


def _copy_source(to):
    """pyproject, README and the packages only: a file the wheel needs but does not declare
    (a config not in package-data) is then missing from the install, as for a user."""
    to.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, to / name)
    # hydra_plugins: the validating sweeper; conf/ and experiments/: mapped into the package
    for package in ("expressivity", "hydra_plugins", "conf", "experiments"):
        shutil.copytree(ROOT / package, to / package, ignore=shutil.ignore_patterns("__pycache__"))
    return to


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """(python, expressivity script, env) of a new virtualenv holding only the built wheel;
    its other dependencies come from this interpreter's site-packages through a .pth
    file, so nothing is downloaded."""
    base = tmp_path_factory.mktemp("wheel")
    source = _copy_source(base / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(base / "dist"), str(source)], check=True, timeout=120)
    wheel, = (base / "dist").glob("expressivity-*.whl")
    env_dir = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print("
                                   "sysconfig.get_paths()['purelib'])"], check=True,
                                  capture_output=True, text=True).stdout.strip())
    (purelib / "outer-site.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EXPRESSIVITY_CACHE")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    return python, env_dir / "bin" / "expressivity", env


def _run(command, cwd, env, timeout=120):
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_the_installed_package_is_the_wheel_not_the_checkout(venv, tmp_path):
    python, _, env = venv
    where = _run([python, "-c", "import expressivity; print(expressivity.__file__)"], tmp_path, env)
    path = Path(where.strip()).resolve()
    assert path.is_relative_to(python.parent.parent.resolve()), path
    assert not path.is_relative_to(ROOT), path


def test_a_job_and_a_sweep_run_from_an_empty_folder(venv, tmp_path):
    _, expressivity, env = venv
    out = _run([expressivity, "run", *JOB], tmp_path, env)
    record_path, = tmp_path.glob("runs/adhoc/single/*/result.json")
    assert f"record: {record_path.resolve()}" in out or f"record: {record_path}" in out
    record = json.loads(record_path.read_text())
    assert record["provenance"]["git_commit"] is None    # not a checkout: no commit to claim
    assert list(tmp_path.glob(".cache/expressivity/**/*.json")), "the run cache is under the CWD"
    _run([expressivity, "run", "-m", "task=xor,and", *JOB[1:],
          f"hydra.sweep.dir={tmp_path / 'sweep'}"], tmp_path, env)
    records = [json.loads(p.read_text()) for p in sorted((tmp_path / "sweep").glob("*/result.json"))]
    assert [r["config"]["task"]["name"] for r in records] == ["parity", "and"]


def test_a_users_own_config_folder_adds_an_experiment(venv, tmp_path):
    _, expressivity, env = venv
    (tmp_path / "myconf" / "experiment").mkdir(parents=True)
    (tmp_path / "myconf" / "experiment" / "mine.yaml").write_text(MINE)
    for how in (["--config-dir", "myconf"], ["hydra.searchpath=[file://myconf]"]):
        _run([expressivity, "run", "-m", "+experiment=mine", "model.width=2,3",
              "hydra.sweep.dir=out", "cache_dir=null", *how], tmp_path, env)
        records = [json.loads(p.read_text()) for p in sorted((tmp_path / "out").glob("*/result.json"))]
        assert [(r["experiment"], r["task"]["n"], r["probes"][0]["widths"]) for r in records] == \
            [("mine", 3, [2]), ("mine", 3, [3])]
        shutil.rmtree(tmp_path / "out")


def test_reproduce_runs_a_claims_sweep_and_writes_its_report(venv, tmp_path):
    _, expressivity, env = venv
    out = _run([expressivity, "reproduce", "--profile", "quick", "--claims", "linear",
                "--out", "rep"], tmp_path, env, timeout=300)
    assert "linear: " in out and (tmp_path / "rep" / "README.md").exists()
    assert list((tmp_path / "runs" / "quick" / "linear").glob("*/result.json"))
