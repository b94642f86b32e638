"""expressivity runs / show: what ran under runs/, one sweep's table and its loss curves."""
import pytest

from expressivity.browse import job_order, sweep_folders, varying_keys
from expressivity.cli import main
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    cache = root.parent / "cache"
    for number, width in enumerate((2, 4)):
        cfg = compose_job("task=xor", f"model.width={width}", "trainer.restarts=2",
                          "trainer.max_epochs=10", f"cache_dir={cache}")
        cfg.experiment = "demo"
        run_job(cfg, root / "quick" / "demo" / str(number))
    again = compose_job("task=xor", "model.width=2", "trainer.restarts=2", "trainer.max_epochs=10",
                        f"cache_dir={cache}")
    again.experiment = "demo"
    run_job(again, root / "quick" / "demo" / "10")              # served by the cache
    (root / "quick" / "demo" / "11").mkdir()
    (root / "quick" / "demo" / "11" / "result.json").write_text("{broken")
    lone = compose_job("task=and", "trainer.restarts=2", "trainer.max_epochs=10", "cache_dir=null")
    run_job(lone, root / "adhoc" / "one")
    return root


def test_sweeps_and_lone_jobs_are_found(runs):
    assert sweep_folders(runs) == [runs / "adhoc" / "one", runs / "quick" / "demo"]


def test_runs_lists_experiment_jobs_cache_failures_and_varying_keys(runs, capsys):
    assert main(["runs", "--root", str(runs)]) == 0
    out = capsys.readouterr().out
    demo = next(line for line in out.splitlines() if line.startswith("quick/demo"))
    cells = demo.split()
    # sweep, experiment, date, time, jobs, cached, failed, unreadable, varying
    assert cells[1] == "demo" and cells[4:8] == ["3", "1", "3", "1"]
    assert cells[8:] == ["model.width"]
    assert "adhoc/one" in out and "2 folder(s)" in out


def test_runs_says_when_there_is_nothing(tmp_path, capsys):
    assert main(["runs", "--root", str(tmp_path / "none")]) == 1
    assert "no result records below" in capsys.readouterr().out


def test_show_prints_one_row_per_job_and_draws_the_loss_curves(runs, capsys):
    folder = runs / "quick" / "demo"
    assert main(["show", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    header = out[0].split()
    assert header[:3] == ["job", "model.width", "success_rate"] and "cached" in header
    jobs = [line.split()[0] for line in out[2:5]]
    assert jobs == ["0", "1", "10"]                                 # Hydra's order, not text order
    assert any(line.startswith("unreadable record:") for line in out)
    assert (folder / "loss_curves.png").stat().st_size > 1000
    assert out[-1].startswith("3 job(s); varying: model.width; loss curves: ")


def test_show_of_a_missing_folder_says_what_is_allowed(tmp_path, capsys):
    assert main(["show", str(tmp_path / "nope")]) == 2
    assert "allowed: a sweep or job folder" in capsys.readouterr().err


def test_helpers_order_jobs_and_find_what_varies():
    paths = ["s/10/result.json", "s/2/result.json", "s/b/result.json"]
    assert sorted(paths, key=job_order) == ["s/2/result.json", "s/10/result.json",
                                            "s/b/result.json"]
    records = [(None, {"config": {"model": {"width": w}, "seed": 0}}) for w in (2, 4)]
    assert varying_keys(records) == ["model.width"]
