"""One job end to end: compose a config, run it, read the record."""
import json
import subprocess
import sys

import pytest
from omegaconf.errors import ValidationError

from expressivity.job.config import ConfigError
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job

SMALL = ["task=parity", "task.n=3", "model.width=4", "trainer.restarts=8", "trainer.max_epochs=50"]


def _strip_timing(record):
    return {k: v for k, v in record.items() if k not in ("timing", "checksum")}  # checksum covers timing


def test_a_job_writes_a_complete_record(tmp_path):
    cfg = compose_job(*SMALL, "cache_dir=null")
    record = run_job(cfg, tmp_path)
    on_disk = json.loads((tmp_path / "result.json").read_text())
    assert on_disk["config_hash"] == record["config_hash"]
    probe = on_disk["probes"][0]
    assert len(probe["members"]["final_loss"]) == 8
    assert len(probe["members"]["grad_norm_init"][0]) == 2          # two layers
    assert probe["sizes"] == [3, 4, 1] and probe["parameters"] == 3 * 4 + 4 + 4 + 1
    assert on_disk["config"]["model"]["width"] == 4
    assert set(on_disk["provenance"]) >= {"package", "git_commit", "python", "numpy"}
    assert on_disk["summary"]["success_rate"] == sum(probe["members"]["fitted"]) / 8


def test_the_same_job_twice_gives_identical_records(tmp_path):
    a = run_job(compose_job(*SMALL, "cache_dir=null"), tmp_path / "a")
    b = run_job(compose_job(*SMALL, "cache_dir=null"), tmp_path / "b")
    first = json.loads((tmp_path / "a" / "result.json").read_text())
    second = json.loads((tmp_path / "b" / "result.json").read_text())
    assert _strip_timing(first) == _strip_timing(second)
    assert a["config_hash"] == b["config_hash"]


def test_the_cache_serves_a_finished_job(tmp_path):
    cfg = compose_job(*SMALL, f"cache_dir={tmp_path / 'cache'}")
    first = run_job(cfg, tmp_path / "a")
    second = run_job(cfg, tmp_path / "b")
    assert not first["timing"]["cached"] and second["timing"]["cached"]
    assert _strip_timing(first) == _strip_timing(second)


def test_speed_settings_do_not_change_the_hash(tmp_path):
    a = run_job(compose_job(*SMALL, "cache_dir=null", "trainer.chunk_size=3"), tmp_path / "a")
    b = run_job(compose_job(*SMALL, "cache_dir=null", "trainer.threads=2"), tmp_path / "b")
    assert a["config_hash"] == b["config_hash"]
    assert a["probes"][0]["members"]["final_loss"] == b["probes"][0]["members"]["final_loss"]


def test_min_width_search_records_every_probe(tmp_path):
    cfg = compose_job("task=majority", "task.n=3", "search=min_width", "trainer.restarts=16",
                      "trainer.max_epochs=400", "trainer.lr=2.0", "cache_dir=null")
    record = run_job(cfg, tmp_path)
    # majority is linearly separable: one hidden unit suffices, found on the first probe
    assert record["summary"]["min_width"] == 1
    assert record["summary"]["probed_widths"] == [1]


def test_min_width_search_doubles_then_bisects(tmp_path):
    cfg = compose_job("task=parity", "task.n=3", "search=min_width", "trainer.restarts=32",
                      "trainer.max_epochs=1500", "trainer.lr=2.0", "cache_dir=null")
    summary = run_job(cfg, tmp_path)["summary"]
    widths = summary["probed_widths"]
    w = summary["min_width"]
    assert w is not None and w >= 2           # parity of 3 bits is not linearly separable
    assert w in widths and (w - 1) in widths  # the width below was probed and failed


@pytest.mark.parametrize("override,message", [
    ("model.width=0", "model.width=0 is not allowed; allowed: a positive integer"),
    ("model.width=-3", "model.width=-3 is not allowed; allowed: a positive integer"),
    ("model.activation=swish", "model.activation='swish' is not allowed; allowed: one of identity, relu, sigmoid, softplus, tanh"),
    ("model.activation=step", "model.activation='step' is not allowed"),
    ("trainer.loss=hinge", "trainer.loss='hinge' is not allowed; allowed: one of absolute, bce, squared"),
    ("task.n=21", "task.n=21 is not allowed; allowed: an integer 1..20"),
    ("trainer.lr=0", "trainer.lr=0.0 is not allowed; allowed: a positive number"),
    ("trainer.lr=-0.1", "trainer.lr=-0.1 is not allowed; allowed: a positive number"),
    ("trainer.restarts=0", "trainer.restarts=0 is not allowed; allowed: a positive integer"),
    ("model.widths=[4,0]", "model.widths[1]=0 is not allowed"),
])
def test_bad_input_is_refused_before_any_work(tmp_path, override, message):
    with pytest.raises(ConfigError) as error:
        run_job(compose_job(*SMALL, override, "cache_dir=null"), tmp_path)
    assert message in str(error.value)
    assert not (tmp_path / "result.json").exists()


def test_wrong_type_is_refused_by_the_schema():
    with pytest.raises(Exception, match="model.width") as error:
        compose_job("model.width=wide")
    assert isinstance(error.value, ValidationError) or "wide" in str(error.value)


def test_an_activation_list_of_the_wrong_length_is_refused():
    from expressivity.nn import MLP
    with pytest.raises(ValueError, match="activations has 3 entries; allowed: exactly one per non-input layer \\(2\\)"):
        MLP.init((2, 3, 1), ("relu", "relu", "relu"))


def test_the_cli_job_and_a_basic_multirun_sweep(tmp_path):
    cmd = [sys.executable, "-m", "expressivity", "-m", "task=parity", "task.n=2,3",
           "trainer.restarts=4", "trainer.max_epochs=20", "cache_dir=null",
           f"hydra.sweep.dir={tmp_path}"]
    subprocess.run(cmd, check=True, capture_output=True)
    records = sorted(tmp_path.glob("*/result.json"))
    assert len(records) == 2
    assert {json.loads(r.read_text())["task"]["n"] for r in records} == {2, 3}


def test_the_cli_reports_bad_input_in_one_line(tmp_path):
    cmd = [sys.executable, "-m", "expressivity", "model.width=0", f"hydra.run.dir={tmp_path}"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 2
    assert "bad config: model.width=0 is not allowed; allowed: a positive integer" in out.stderr
    assert not (tmp_path / "result.json").exists()


def test_a_record_holds_only_what_the_job_needs_no_claim_prose_and_no_grids(tmp_path):
    cfg = compose_job("+experiment=restarts", "trainer.max_epochs=3", "trainer.restarts=2",
                      "trainer.record_every=1", "cache_dir=null")
    record = run_job(cfg, tmp_path)
    assert set(record["config"]) == {"task", "model", "trainer", "search", "seed", "experiment",
                                     "profile", "cache_dir", "tune", "objective", "diagnose"}   # tune, diagnose: restarts turns both on
    assert record["config"]["model"]["init"] == "xavier"      # resolved from the grids (sigmoid arm)
    text = (tmp_path / "result.json").read_text()
    for prose in ("statement", "rule_history", "claim", "Wilson", '"quick": {', '"full": {'):
        assert prose not in text, prose
    assert "grids" not in record["config"]      # the experiment's grids (tune.grids is the tuner's own)


def test_claim_prose_is_no_key_of_a_job_config():
    with pytest.raises(Exception, match="Could not override 'claim.statement'"):
        compose_job("+experiment=restarts", "claim.statement=prose")
