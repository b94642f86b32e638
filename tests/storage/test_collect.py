"""`expressivity collect`: sweep folders -> CSV tables; broken records named and counted, never fatal."""
import gzip

import pandas as pd
import pytest

from expressivity.cli import main
from expressivity.storage.collect import collect, over_budget, write_table
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job


@pytest.fixture
def sweep(tmp_path):
    """Two good records, one corrupt, one partial, and one job folder that never wrote a record."""
    root = tmp_path / "sweep"
    for n in (2, 3):
        run_job(compose_job(f"task.n={n}", "model.width=2", "trainer.restarts=3",
                            "trainer.max_epochs=10", "cache_dir=null"), root / f"job{n}")
    (root / "corrupt").mkdir()
    (root / "corrupt" / "result.json").write_text('{"schema_version": 1, "probes": [')
    (root / "partial").mkdir()
    (root / "partial" / "result.json").write_text('{"schema_version": 1}')
    (root / "missing").mkdir()
    return root


def test_collect_writes_the_good_records_and_names_the_broken_ones(sweep, tmp_path):
    results, written = collect([sweep], tmp_path / "data")
    assert sorted(p for p, _ in results.problems) == [
        str(sweep / "corrupt" / "result.json"), str(sweep / "partial" / "result.json")]
    members = pd.read_csv(written["members"])
    jobs = pd.read_csv(written["jobs"])
    assert len(members) == 2 * 3 and len(jobs) == 2
    assert sorted(jobs["task.n"]) == [2, 3]
    assert set(members["member"]) == {0, 1, 2}
    # Round trip: what was written is the table load_results built (to the 7 digits kept).
    assert members["final_loss"].to_numpy() == pytest.approx(
        results.members["final_loss"].to_numpy(), rel=1e-6)
    curves = pd.read_csv(written["curves"])
    assert curves.groupby("job")["epoch"].max().eq(10).all()


def test_a_large_table_is_gzipped_and_a_stale_copy_removed(tmp_path):
    frame = pd.DataFrame({"x": range(1000), "y": [0.5] * 1000})
    plain = write_table(frame, tmp_path, "members", gzip_above=10**9)
    assert plain.name == "members.csv"
    zipped = write_table(frame, tmp_path, "members", gzip_above=100)
    assert zipped.name == "members.csv.gz" and not plain.exists()
    assert pd.read_csv(zipped).equals(frame)
    with gzip.open(zipped) as f:   # really gzip, not a renamed CSV
        assert f.readline().decode().strip() == "x,y"
    assert zipped.read_bytes()[4:8] == bytes(4)     # header mtime 0: a re-run gives the same bytes
    assert write_table(frame.iloc[:0], tmp_path, "members") is None and not zipped.exists()


def test_the_largest_tables_are_left_out_first_until_the_rest_fit():
    sizes = {"a": 50, "b": 30, "c": 20}
    assert over_budget(sizes, 100) == {}
    assert over_budget(sizes, 60) == {"a": 50}
    assert over_budget(sizes, 25) == {"a": 50, "b": 30}
    assert over_budget(sizes, 0) == sizes


def test_the_cli_counts_unreadable_records_on_stderr_and_succeeds(sweep, tmp_path, capsys):
    assert main(["collect", str(sweep), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"unreadable record: {sweep / 'corrupt' / 'result.json'}" in err
    assert f"unreadable record: {sweep / 'partial' / 'result.json'}" in err
    assert "collected 2 jobs, 6 member rows, 2 unreadable record(s)" in err
    assert (tmp_path / "out" / "members.csv").exists()


def test_a_folder_that_does_not_exist_is_one_clear_error(tmp_path, capsys):
    assert main(["collect", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "does not exist" in err and "allowed" in err
    assert not (tmp_path / "out").exists()
