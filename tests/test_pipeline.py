"""`reproduce` and `report` end to end on a toy claim, with a Hydra search path into tmp_path."""
import io
import json
from types import SimpleNamespace

import pytest

from expressivity.analyse import build_report, report
from expressivity.claims import Finding
from expressivity.cli import main
from expressivity.reproduce import reproduce
from expressivity.sweeps import sweep_command, sweep_environment

TOY = """# @package _global_
experiment: toy
grids:
  quick: {n: "2,3"}
  full: {n: "2,3,4"}
model: {width: 3}
trainer: {restarts: 4, max_epochs: 40, lr: 2.0}
hydra:
  sweeper:
    params:
      task.n: ${grids.${profile}.n}
claim:
  id: toy
  title: Parity is learnable
  statement: A small sigmoid net fits 2- and 3-bit parity.
  rule: supported if at least min_rate of all restarts fit exactly, refuted otherwise.
  min_rate: 0.25
"""
BROKEN = """# @package _global_
experiment: broken
hydra:
  sweeper:
    params:
      model.width: 2,-1
claim: {id: broken, title: A sweep with a bad point, statement: s, rule: r, min_rate: 0.25,
        sweeps: [broken]}
"""
EXACT = """# @package _global_
claim: {id: exact, title: Settled by construction, statement: s, rule: r, sweeps: []}
"""
CRASHY = """# @package _global_
claim: {id: crashy, title: An analysis that raises, statement: s, rule: r, sweeps: [toy]}
"""


def toy_analyse(results, claim, figures_dir):
    rate = float(results.members["fitted"].mean())
    (figures_dir / "rate.png").write_bytes(b"png")
    verdict = "supported" if rate >= claim["min_rate"] else "refuted"
    return Finding("toy", verdict, {"success_rate": rate, "jobs": len(results.jobs)},
                   "Share of restarts that fit.", figures=["rate.png"])


def exact_analyse(results, claim, figures_dir):
    # A claim with no sweep gets empty tables; its numbers come from a construction.
    return Finding("exact", "supported" if results.jobs.empty else "refuted", {"error": 0.0},
                   "An exact construction.")


def crash(results, claim, figures_dir):
    raise RuntimeError("boom in the analysis")


TOY_CLAIM = SimpleNamespace(analyse=toy_analyse)
EXACT_CLAIM = SimpleNamespace(analyse=exact_analyse)
REGISTRY = {"broken": SimpleNamespace(analyse=toy_analyse), "toy": TOY_CLAIM,
            "crashy": SimpleNamespace(analyse=crash)}


@pytest.fixture
def place(tmp_path, monkeypatch):
    conf = tmp_path / "conf" / "experiment"
    conf.mkdir(parents=True)
    for name, text in (("toy", TOY), ("broken", BROKEN), ("crashy", CRASHY), ("exact", EXACT)):
        (conf / f"{name}.yaml").write_text(text)
    monkeypatch.setenv("EXPRESSIVITY_CACHE", str(tmp_path / "cache"))
    return SimpleNamespace(root=tmp_path, conf=[tmp_path / "conf"], runs=tmp_path / "runs",
                           out=tmp_path / "reports")


def run(place, registry, out=None, **kw):
    stream = io.StringIO()
    code = reproduce(registry=registry, config_dirs=place.conf, runs_dir=place.runs,
                     out=out or place.out, stream=stream, **kw)
    return code, stream.getvalue(), (out or place.out) / "README.md"


def records(folder):
    return [json.loads(p.read_text()) for p in sorted(folder.rglob("result.json"))]


def test_reproduce_runs_reports_and_a_second_run_comes_from_the_cache(place):
    code, log, readme = run(place, {"toy": TOY_CLAIM, "exact": EXACT_CLAIM})
    assert code == 0, log
    assert "[2/2] exact: no sweep" in log
    assert "toy: 2/2 jobs" in log and "(done)" in log
    first = records(place.runs / "quick" / "toy")
    assert len(first) == 2 and not any(r["timing"]["cached"] for r in first)
    # The verdict follows the rule from the records themselves.
    fitted = [f for r in first for f in r["probes"][0]["members"]["fitted"]]
    rate = sum(fitted) / len(fitted)
    verdict = "supported" if rate >= 0.25 else "refuted"
    text = readme.read_text()
    assert f"| 1 | [toy](#1-parity-is-learnable-toy) | **Parity is learnable**: " \
           f"A small sigmoid net fits 2- and 3-bit parity. | **{verdict}** |" in text
    assert "![rate](figures/toy/rate.png)" in text and (place.out / "figures/toy/rate.png").exists()
    assert (place.out / "data" / "toy" / "members.csv").exists()
    assert (place.out / "index.html").exists()
    exact = text.split("## 2. ")[1]
    assert "**Verdict: supported** (error = 0)" in exact and "No sweep: this claim" in exact

    code, log, readme = run(place, {"toy": TOY_CLAIM})
    second = records(place.runs / "quick" / "toy")
    assert code == 0 and len(second) == 2 and all(r["timing"]["cached"] for r in second)
    assert "2 job records read (2 served by the run cache)" in readme.read_text()


def test_a_failing_sweep_and_a_raising_analysis_do_not_stop_the_rest(place):
    code, log, readme = run(place, REGISTRY)
    assert code == 1
    assert "sweep broken FAILED (exit 2)" in log and "model.width=-1" in log
    assert log.count("sweep toy\n") == 1          # shared by toy and crashy: run once
    assert "[3/3] crashy: sweep toy (already run)" in log
    text = readme.read_text()
    summary = text.split("## Summary")[1].split("\n## ")[0]
    assert "| 1 | [broken](#1-a-sweep-with-a-bad-point-broken) | **A sweep with a bad point**: s" \
           " | **inconclusive** |" in summary
    assert "| 3 | [crashy](#3-an-analysis-that-raises-crashy) | **An analysis that raises**: s" \
           " | **inconclusive** |" in summary
    assert "**inconclusive**" not in summary.split("[toy]")[1].split("\n")[0]
    broken = text.split("## 1. ")[1].split("\n## ")[0]
    assert "sweep broken failed (exit 2)" in broken and "model.width=-1" in broken
    # The whole sweep is validated before any job: its good points were not computed either.
    assert "did not complete, so the verdict is withheld" in broken
    assert not list((place.runs / "quick" / "broken").rglob("result.json"))
    assert "RuntimeError: boom in the analysis" in text.split("## 3. ")[1]


def test_report_reads_existing_sweeps_and_flags_a_missing_one(place):
    assert run(place, {"toy": TOY_CLAIM})[0] == 0
    stream = io.StringIO()
    code = report(runs=place.runs / "quick", registry={"toy": TOY_CLAIM}, config_dirs=place.conf,
                  out=place.root / "again", stream=stream)
    assert code == 0, stream.getvalue()
    again = (place.root / "again" / "README.md").read_text()
    original = (place.out / "README.md").read_text()
    row = next(line for line in original.splitlines() if line.startswith("| 1 |"))
    assert row in again   # same records, same verdict and numbers

    code = report(runs=place.root / "empty", registry={"toy": TOY_CLAIM}, config_dirs=place.conf,
                  out=place.root / "none", stream=stream)
    text = (place.root / "none" / "README.md").read_text()
    assert code == 1 and "Sweep `toy` missing:" in text and "**inconclusive**" in text
    assert f"no folder {place.root / 'empty' / 'toy'}; run it with " \
           "`expressivity reproduce --claims toy`" in text
    assert "on the partial data the analysis raised an error (below)" in text


def test_an_unknown_claim_is_one_error_before_any_work(place, capsys):
    with pytest.raises(ValueError, match=r"--claims=nope,zilch .*allowed: broken, toy, crashy"):
        run(place, REGISTRY, claims=["toy", "nope", "zilch"])
    assert not place.runs.exists() and not place.out.exists()
    assert main(["reproduce", "--claims", "nope", "--out", str(place.out)]) == 2
    assert "--claims=nope is not a registered claim; allowed:" in capsys.readouterr().err
    assert main(["report", "--claims", "nope", "--out", str(place.out)]) == 2
    assert "--claims=nope is not a registered claim; allowed:" in capsys.readouterr().err
    with pytest.raises(ValueError, match="--jobs=0"):
        run(place, REGISTRY, jobs=0)
    with pytest.raises(ValueError, match="--profile='huge'"):
        run(place, REGISTRY, profile="huge")


def test_parallel_sweeps_use_joblib_with_one_blas_thread_each(tmp_path):
    command = sweep_command("toy", "full", tmp_path / "s", jobs=2, config_dirs=[tmp_path])
    assert command[1:6] == ["-m", "expressivity", "-m", "+experiment=toy", "profile=full"]
    assert f"hydra.sweep.dir='{tmp_path / 's'}'" in command
    assert f"hydra.searchpath=['file://{tmp_path}']" in command
    assert command[-2:] == ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    assert sweep_environment(2)["OMP_NUM_THREADS"] == "1"
    assert "hydra/launcher=joblib" not in sweep_command("toy", "quick", tmp_path, jobs=1)


def test_tables_over_the_data_budget_are_left_out_and_the_report_says_so(place):
    assert run(place, {"toy": TOY_CLAIM})[0] == 0
    sizes = {p.name: p.stat().st_size for p in (place.out / "data" / "toy").iterdir()}
    largest = max(sizes, key=sizes.get)
    build_report(["toy"], {"toy": TOY_CLAIM}, place.runs / "quick", place.out, "quick",
                 place.conf, data_budget=sum(sizes.values()) - sizes[largest])
    assert sorted(p.name for p in (place.out / "data" / "toy").iterdir()) == \
        sorted(set(sizes) - {largest})
    text = (place.out / "README.md").read_text()
    assert f"Left out of the report folder to keep it small: `data/toy/{largest}`" in text
    assert f"(data/toy/{largest})" not in text
