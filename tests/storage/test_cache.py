"""The run cache serves only sound entries; bad ones are quarantined and recomputed."""
import json
import os
import subprocess
import sys
from pathlib import Path

from expressivity.storage.cache import load_cached, record_problem
from expressivity.storage.records import content_checksum, seal
from expressivity.storage.records import cache_path
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["task.n=2", "model.width=2", "trainer.restarts=3", "trainer.max_epochs=20"]


def job(tmp_path, *extra):
    return compose_job(*SMALL, f"cache_dir={tmp_path / 'cache'}", *extra)


def test_a_record_copied_under_another_configs_hash_is_quarantined_not_served(tmp_path, capsys):
    seed0 = run_job(job(tmp_path, "seed=0"), tmp_path / "a")
    seed4 = run_job(job(tmp_path, "seed=4"), tmp_path / "b")
    target = cache_path(tmp_path / "cache", seed4["config_hash"])
    target.write_text(cache_path(tmp_path / "cache", seed0["config_hash"]).read_text())
    again = run_job(job(tmp_path, "seed=4"), tmp_path / "c")
    assert not again["timing"]["cached"] and again["config"]["seed"] == 4
    assert again["probes"] == seed4["probes"]
    err = capsys.readouterr().err
    assert f"cache entry {target} is not served: its config hashes to" in err
    assert len(list((tmp_path / "cache" / "quarantine").iterdir())) == 1


def test_a_value_edited_by_hand_fails_the_checksum(tmp_path, capsys):
    first = run_job(job(tmp_path), tmp_path / "a")
    path = cache_path(tmp_path / "cache", first["config_hash"])
    record = json.loads(path.read_text())
    record["summary"]["success_rate"] = 1.0 - record["summary"]["success_rate"]
    path.write_text(json.dumps(record))
    again = run_job(job(tmp_path), tmp_path / "b")
    assert not again["timing"]["cached"]
    assert again["summary"]["success_rate"] == first["summary"]["success_rate"]
    assert "checksum does not match its content" in capsys.readouterr().err
    # The recomputed entry is sound and served next time.
    assert run_job(job(tmp_path), tmp_path / "c")["timing"]["cached"]


def test_an_incomplete_entry_is_quarantined_and_recomputed_not_fatal(tmp_path, capsys):
    digest = run_job(job(tmp_path), tmp_path / "a")["config_hash"]
    for text in ('{"schema_version":1,"probes":[]}', "{not json", "[1, 2]", ""):
        cache_path(tmp_path / "cache", digest).write_text(text)
        record = run_job(job(tmp_path), tmp_path / "b")
        assert not record["timing"]["cached"] and record["probes"]
    assert capsys.readouterr().err.count("is not served") == 4
    assert len(list((tmp_path / "cache" / "quarantine").iterdir())) == 4


def test_a_record_trained_by_other_kernels_is_a_miss_not_served(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EXPRESSIVITY_ACCELERATOR", "numpy")
    first = run_job(job(tmp_path), tmp_path / "a")
    assert first["provenance"]["accelerator"] == "numpy"
    assert run_job(job(tmp_path), tmp_path / "b")["timing"]["cached"]
    path = cache_path(tmp_path / "cache", first["config_hash"])
    record = json.loads(path.read_text())
    record["provenance"]["accelerator"] = "numba"       # as if the compiled kernels had made it
    path.write_text(json.dumps(seal({k: v for k, v in record.items() if k != "checksum"})))
    again = run_job(job(tmp_path), tmp_path / "c")
    assert not again["timing"]["cached"] and again["provenance"]["accelerator"] == "numpy"
    assert "was trained by the numba kernels, this process uses numpy" in capsys.readouterr().err
    assert not (tmp_path / "cache" / "quarantine").exists()   # a miss, not a bad entry
    assert run_job(job(tmp_path), tmp_path / "d")["timing"]["cached"]


def test_the_checks_name_what_is_wrong():
    record = seal({"schema_version": 1, "config": {"seed": 0}, "probes": [{}], "summary": {},
                   "timing": {}, "provenance": {}, "task": {}, "config_hash": ""})
    assert "config_hash" in record_problem(record)
    assert record_problem({"schema_version": 1}) == "incomplete: 'config' missing or not a dict"
    assert record_problem([]) == "not a JSON object but list"
    assert content_checksum({"a": 1, "checksum": "x"}) == content_checksum({"a": 1})
    assert load_cached(None, "00") is None


RUN_ONE = """
import sys
from tests.support.jobs import compose_job
from expressivity.job.runner import run_job
cfg = compose_job("task.n=3", "model.width=8", "trainer.restarts=64", "trainer.max_epochs=600",
                  "trainer.stop_on_fit=false", "cache_dir=" + sys.argv[1])
print(run_job(cfg, sys.argv[2])["timing"]["cached"])
"""


def test_two_processes_asking_for_the_same_point_compute_it_once(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    procs = [subprocess.Popen([sys.executable, "-c", RUN_ONE, str(tmp_path / "cache"),
                               str(tmp_path / f"out{i}")], env=env, stdout=subprocess.PIPE,
                              text=True) for i in range(2)]
    cached = sorted(p.communicate(timeout=300)[0].strip() for p in procs)
    assert cached == ["False", "True"]
    a, b = (json.loads((tmp_path / f"out{i}" / "result.json").read_text()) for i in range(2))
    assert a["probes"] == b["probes"]
