"""collect and report survive any malformed record: each is named with its reason."""
import json

import pytest

from expressivity.cli import main
from expressivity.storage.results import load_results
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    cfg = compose_job("task.n=2", "model.width=2", "trainer.restarts=3", "trainer.max_epochs=3",
                      "cache_dir=null")
    return run_job(cfg, folder / "ok")


def _broken(good):
    summary_list = {**good, "summary": [1, 2]}
    summary_list.pop("checksum")
    probes_wrong = {**good, "probes": [{"widths": 3}]}
    probes_wrong.pop("checksum")
    edited = json.loads(json.dumps(good))
    edited["summary"]["success_rate"] = 7
    return {
        "deep": ("[" * 100000 + "]" * 100000).encode(),
        "latin1": '{"schema_version": 1, "n": "caf\xe9"}'.encode("latin-1"),
        "binary": bytes(range(256)),
        "summary_list": json.dumps(summary_list).encode(),
        "probes_wrong": json.dumps(probes_wrong).encode(),
        "edited": json.dumps(edited).encode(),
        "empty": b"",
        "number": b"42",
        "probes_empty": b'{"schema_version":1,"probes":[]}',
        "nan_text": b'{"schema_version": NaN}',
    }


def test_every_malformed_record_is_named_with_its_reason_and_the_good_one_is_read(good, tmp_path):
    broken = _broken(good)
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "result.json").write_text(json.dumps(good))
    for name, data in broken.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "result.json").write_bytes(data)
    results = load_results([tmp_path])
    assert len(results.jobs) == 1 and len(results.members) == 3
    reasons = {path.split("/")[-2]: reason for path, reason in results.problems}
    assert set(reasons) == set(broken)
    assert "nested too deeply" in reasons["deep"]
    assert "UnicodeDecodeError" in reasons["latin1"]
    assert "'summary' missing or not a dict" in reasons["summary_list"]
    assert "checksum does not match" in reasons["edited"]
    assert "incomplete" in reasons["probes_empty"]


def test_the_collect_command_goes_on_past_them(good, tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "result.json").write_text(json.dumps(good))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "result.json").write_bytes(_broken(good)["summary_list"])
    assert main(["collect", str(tmp_path), "--out", str(tmp_path / "tables")]) == 0
    err = capsys.readouterr().err
    assert "unreadable record:" in err and "'summary' missing" in err
    assert (tmp_path / "tables" / "members.csv").exists()
