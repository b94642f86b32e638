"""Records become tidy tables; broken records are named, not fatal."""
from expressivity.storage.results import load_results
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job


def test_records_become_one_row_per_member_and_broken_ones_are_named(tmp_path):
    for n in (2, 3):
        run_job(compose_job("task.n=%d" % n, "model.width=3", "trainer.restarts=5",
                            "trainer.max_epochs=30", "cache_dir=null"), tmp_path / f"job{n}")
    (tmp_path / "corrupt").mkdir()
    (tmp_path / "corrupt" / "result.json").write_text('{"schema_version": 1, "probes": [')
    (tmp_path / "partial").mkdir()
    (tmp_path / "partial" / "result.json").write_text('{"schema_version": 1}')
    (tmp_path / "missing").mkdir()   # a job that never wrote its record: nothing to read

    results = load_results([tmp_path])
    assert len(results.members) == 10 and len(results.jobs) == 2
    assert sorted(results.members["task.n"].unique()) == [2, 3]
    assert {"width", "depth", "member", "fitted", "grad_norm_init.0", "grad_norm_init.1",
            "model.activation", "trainer.loss", "seed"} <= set(results.members.columns)
    assert (results.members["width"] == 3).all()
    assert sorted(p for p, _ in results.problems) == [
        str(tmp_path / "corrupt" / "result.json"), str(tmp_path / "partial" / "result.json")]
    assert set(results.curves["epoch"]) >= {0, 30}
    assert results.curves.groupby("job")["epoch"].max().eq(30).all()
