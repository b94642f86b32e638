"""A sweep killed partway resumes: every point ends with one good record, none computed twice."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from expressivity.storage.json_files import remove_orphans, write_json_atomic
from expressivity.storage.records import read_record

ROOT = Path(__file__).resolve().parents[2]
POINTS = 8


def _command(sweep_dir, cache_dir):
    return [sys.executable, "-m", "expressivity", "-m", "task=parity", "task.n=4",
            "seed=" + ",".join(str(s) for s in range(POINTS)), "model.width=8",
            "trainer.restarts=16", "trainer.max_epochs=400", "trainer.stop_on_fit=false",
            f"cache_dir={cache_dir}", f"hydra.sweep.dir={sweep_dir}"]


def _finished(sweep_dir):
    return sorted(p.parent.name for p in sweep_dir.glob("*/result.json"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_sweep_resumes_without_recomputing(tmp_path, sig):
    sweep_dir, cache_dir = tmp_path / "sweep", tmp_path / "cache"
    cmd = _command(sweep_dir, cache_dir)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(_finished(sweep_dir)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(sig)
    process.wait(timeout=30)
    done_before = _finished(sweep_dir)
    assert 2 <= len(done_before) < POINTS, "the kill must land partway through the sweep"

    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)

    records = {job: read_record(sweep_dir / job / "result.json") for job in _finished(sweep_dir)}
    assert len(records) == POINTS
    assert {r["config"]["seed"] for r in records.values()} == set(range(POINTS))
    for job in done_before:
        assert records[job]["timing"]["cached"], f"point {job} was computed twice"
    # The cache holds one entry per point, and nothing half-written is left anywhere.
    assert len(list(cache_dir.rglob("*.json"))) == POINTS
    assert not list(tmp_path.rglob("*.tmp")), "temporary files were left behind"
    assert all(len(list((sweep_dir / job).glob("*.json"))) == 1 for job in records)


def test_a_dead_writers_temp_file_is_removed_and_a_live_ones_kept(tmp_path):
    target = tmp_path / "result.json"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    from expressivity.storage.json_files import _HOST
    orphan = tmp_path / f".result.json.{_HOST}.{dead}.tmp"
    live = tmp_path / f".result.json.{_HOST}.{os.getppid()}.tmp"
    elsewhere = tmp_path / f".result.json.otherhost.{dead}.tmp"
    for f in (orphan, live, elsewhere):
        f.write_text("{half")
    remove_orphans(target)
    assert not orphan.exists() and live.exists() and elsewhere.exists()
    write_json_atomic(target, {"a": 1})
    assert target.read_text() == '{"a": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, live.name,
                                                                  elsewhere.name])
