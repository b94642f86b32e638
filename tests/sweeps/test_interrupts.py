"""SIGINT/SIGTERM to a sweep or to reproduce: every child stops, no partial file is left."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from expressivity.sweeps.interrupts import descendants

ROOT = Path(__file__).resolve().parents[2]
# Jobs long enough (several seconds each) to be interrupted mid-training.
SLOW = ["task.n=4", "model.width=16", "trainer.restarts=256", "trainer.max_epochs=200000",
        "trainer.stop_on_fit=false"]
REPRODUCE = """
import sys
from pathlib import Path
from expressivity.sweeps import interrupts
from expressivity.claims.registry import Claim
from expressivity.reproduce import reproduce
interrupts.install()
claim = Claim("slow", {"id": "slow", "sweeps": ["slow"]}, Path(sys.argv[1]) / "slow" / "claim.yaml")
sys.exit(reproduce(claims=["slow"], registry={"slow": claim}, config_dirs=[sys.argv[1]],
                   runs_dir=sys.argv[2], out=sys.argv[3], jobs=2))
"""
def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def _alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _check_clean(process, sig, family, folder):
    process.send_signal(sig)
    assert process.wait(timeout=60) != 0
    _wait_for(lambda: not any(_alive(p) for p in family), timeout=30)
    assert not list(Path(folder).rglob("*.tmp"))
    for record in Path(folder).rglob("*.json"):
        json.loads(record.read_text())    # complete, or it would not parse


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds children in /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_a_joblib_sweep_stops_every_worker(tmp_path, sig):
    process, workers = _start_joblib_sweep(tmp_path)
    _check_clean(process, sig, workers, tmp_path)


def _start_joblib_sweep(tmp_path):
    """A two-job joblib sweep whose workers are training; (its Popen, its descendants' pids)."""
    cmd = [sys.executable, "-m", "expressivity", "-m", *SLOW, "seed=0,1",
           f"cache_dir={tmp_path / 'cache'}", f"hydra.sweep.dir={tmp_path / 'sweep'}",
           "hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    process = subprocess.Popen(cmd, cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    # the guardian (interrupts.guard), loky's resource tracker and two workers, at least
    _wait_for(lambda: len(descendants(process.pid)) >= 4)
    time.sleep(1.0)   # the workers are training
    return process, descendants(process.pid)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds children in /proc")
def test_sigterm_to_reproduce_stops_its_sweep_and_the_sweeps_workers(tmp_path):
    conf = tmp_path / "conf" / "experiment"
    conf.mkdir(parents=True)
    (conf / "slow.yaml").write_text(
        "# @package _global_\nexperiment: slow\n"
        "hydra:\n  sweeper:\n    params:\n      seed: 0,1\n" + "".join(
            f"      {o.split('=')[0]}: {o.split('=')[1]}\n" for o in SLOW))
    process = subprocess.Popen([sys.executable, "-c", REPRODUCE, str(tmp_path / "conf"),
                                str(tmp_path / "runs"), str(tmp_path / "report")], cwd=tmp_path,
                               env={**_env(), "EXPRESSIVITY_CACHE": str(tmp_path / "cache")},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    family = _wait_for(lambda: len(descendants(process.pid)) >= 3 and descendants(process.pid))
    time.sleep(0.5)
    _check_clean(process, signal.SIGTERM, family, tmp_path)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds children in /proc")
def test_sigkill_of_a_joblib_sweep_leaves_no_process_of_it_alive_5_s_later(tmp_path):
    """SIGKILL cannot be caught: the guardian (interrupts.guard) kills the sweep's workers."""
    process, family = _start_joblib_sweep(tmp_path)
    process.kill()
    process.wait(timeout=10)
    time.sleep(5)
    alive = [p for p in family if _alive(p)]
    for pid in alive:   # never leave them running, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"{len(alive)} of {len(family)} processes of the sweep outlived it"
