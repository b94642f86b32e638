"""`reproduce` and `report` end to end on a toy claim, with a Hydra search path into tmp_path."""
import io
import json
from types import SimpleNamespace

import pytest

from expressivity.analyse import build_report, report
from expressivity.cli import main
from expressivity.claims.registry import discover
from expressivity.reproduce import reproduce
from expressivity.sweeps.launch import sweep_command, sweep_environment

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
"""
BROKEN = """# @package _global_
experiment: broken
hydra:
  sweeper:
    params:
      model.width: 2,-1
"""
# Claims: <id>.yaml (statement, rule, numbers) + <id>.py (the contract), in a tmp claims folder.
CLAIM_FILES = {
    "toy": ("""order: 2
title: Parity is learnable
statement: A small sigmoid net fits 2- and 3-bit parity.
rule: supported if at least min_rate of all restarts fit exactly, refuted otherwise.
min_rate: 0.25
registered: {version: v1, date: "2026-11-01 10:00", commit: abc1234}
""", """from dataclasses import dataclass
from expressivity.claims.contract import Decision


@dataclass
class Rule:
    min_rate: float


def evidence(tables, rule):
    return {"rate": float(tables.members["fitted"].mean()), "jobs": len(tables.jobs)}


def decide_training(ev, rule):
    return Decision("supported" if ev["rate"] >= rule.min_rate else "refuted",
                    {"success_rate": ev["rate"], "jobs": ev["jobs"]})


def figures(ev, rule, writer):
    fig, axes = writer.figure()
    axes[0, 0].bar([0], [ev["rate"]])
    axes[0, 0].set(xlabel="job (index)", ylabel="success rate (share of restarts)")
    return [writer.save(fig, "rate.png")]


def text(ev, decisions, rule):
    return "Share of restarts that fit."
"""),
    "broken": ("""order: 1
title: A sweep with a bad point
statement: s
rule: r
min_rate: 0.25
sweeps: [broken]
registered: {version: v1, date: "2026-11-01 10:00", commit: abc1234}
""", None),   # same module as toy
    "exact": ("""order: 4
title: Settled by construction
statement: s
rule: r
sweeps: []
registered: {version: v1, date: "2026-11-01 10:00", commit: abc1234}
""", """from dataclasses import dataclass
from expressivity.claims.contract import Decision


@dataclass
class Rule:
    pass


def evidence(tables, rule):
    # A claim with no sweep gets empty tables; its numbers come from a construction.
    return tables.jobs.empty


def decide_exists(ev, rule):
    return Decision("supported" if ev else "refuted", {"error": 0.0})


def figures(ev, rule, writer):
    return []


def text(ev, decisions, rule):
    return "An exact construction."
"""),
    "crashy": ("""order: 3
title: An analysis that raises
statement: s
rule: r
sweeps: [toy]
registered: {version: v1, date: "2026-11-01 10:00", commit: abc1234}
""", """from dataclasses import dataclass


@dataclass
class Rule:
    pass


def evidence(tables, rule):
    raise RuntimeError("boom in the analysis")


def decide_training(ev, rule):
    raise AssertionError("never reached")
"""),
}


def registry_of(place, *ids):
    """The discovered claims ``ids`` of the tmp claims folder, in their order."""
    found = discover([place.claims])
    return {cid: claim for cid, claim in found.items() if cid in ids}


@pytest.fixture
def place(tmp_path, monkeypatch):
    conf = tmp_path / "conf" / "experiment"
    conf.mkdir(parents=True)
    for name, text in (("toy", TOY), ("broken", BROKEN)):
        (conf / f"{name}.yaml").write_text(text)
    claims = tmp_path / "claims"
    claims.mkdir()
    for name, (meta, module) in CLAIM_FILES.items():
        (claims / name).mkdir()
        (claims / name / "claim.yaml").write_text(meta)
        (claims / name / "claim.py").write_text(module or CLAIM_FILES["toy"][1])
    monkeypatch.setenv("EXPRESSIVITY_CACHE", str(tmp_path / "cache"))
    return SimpleNamespace(root=tmp_path, conf=[tmp_path / "conf"], runs=tmp_path / "runs",
                           out=tmp_path / "reports", claims=claims)


def run(place, registry, out=None, **kw):
    stream = io.StringIO()
    code = reproduce(registry=registry, config_dirs=place.conf, runs_dir=place.runs,
                     out=out or place.out, stream=stream, **kw)
    return code, stream.getvalue(), (out or place.out) / "README.md"


def claim_page(out, claim_id):
    """The Markdown page of one claim in the report folder ``out``."""
    return (out / "claims" / f"{claim_id}.md").read_text()


def records(folder):
    return [json.loads(p.read_text()) for p in sorted(folder.rglob("result.json"))]


def test_reproduce_runs_reports_and_a_second_run_comes_from_the_cache(place):
    code, log, readme = run(place, registry_of(place, "toy", "exact"))
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
    assert f"| 1 | [Parity is learnable](claims/toy.md) | not tested | {verdict} | " \
           f"**{verdict}** |" in text
    toy = claim_page(place.out, "toy")
    assert "![rate](../figures/toy/rate.png)" in toy and (place.out / "figures/toy/rate.png").exists()
    assert (place.out / "data" / "toy" / "members.csv").exists()
    assert (place.out / "index.html").exists() and (place.out / "claims" / "toy.html").exists()
    exact = claim_page(place.out, "exact")
    assert "**Verdict: supported**: only one side is tested here (constructions), so its " \
           "verdict is the claim's." in exact and "No sweep: this claim" in exact
    assert "*We found:* constructions: it holds (error: 0). **Supported.**" in exact
    assert "![rate](../figures/toy/rate.png)\n\n*Figure 1: rate.*" in toy

    code, log, readme = run(place, registry_of(place, "toy"))
    second = records(place.runs / "quick" / "toy")
    assert code == 0 and len(second) == 2 and all(r["timing"]["cached"] for r in second)
    assert "2 job records read (2 served by the run cache)" in claim_page(place.out, "toy")


def test_a_failing_sweep_and_a_raising_analysis_do_not_stop_the_rest(place):
    code, log, readme = run(place, registry_of(place, "broken", "toy", "crashy"))
    assert code == 1
    assert "sweep broken FAILED (exit 2)" in log and "model.width=-1" in log
    assert log.count("sweep toy\n") == 1          # shared by toy and crashy: run once
    assert "[3/3] crashy: sweep toy (already run)" in log
    text = readme.read_text()
    summary = text.split("## Outcomes")[1].split("\n## ")[0]
    assert "| 1 | [A sweep with a bad point](claims/broken.md)" \
           " | not tested | inconclusive | **inconclusive** |" in summary
    assert "| 3 | [An analysis that raises](claims/crashy.md)" \
           " | inconclusive | inconclusive | **inconclusive** |" in summary
    assert "**inconclusive**" not in summary.split("(claims/toy.md)")[1].split("\n")[0]
    broken = claim_page(place.out, "broken")
    assert "sweep broken failed (exit 2)" in broken and "model.width=-1" in broken
    # The whole sweep is validated before any job: its good points were not computed either.
    assert "did not complete, so the verdict is withheld" in broken
    assert "on the partial data the analysis" in broken
    assert not list((place.runs / "quick" / "broken").rglob("result.json"))
    assert "RuntimeError: boom in the analysis" in claim_page(place.out, "crashy")


def test_report_reads_existing_sweeps_and_flags_a_missing_one(place):
    assert run(place, registry_of(place, "toy"))[0] == 0
    stream = io.StringIO()
    code = report(runs=place.runs / "quick", registry=registry_of(place, "toy"),
                  out=place.root / "again", stream=stream)
    assert code == 0, stream.getvalue()
    again = (place.root / "again" / "README.md").read_text()
    original = (place.out / "README.md").read_text()
    row = next(line for line in original.splitlines() if line.startswith("| 1 |"))
    assert row in again   # same records, same verdict and numbers

    code = report(runs=place.root / "empty", registry=registry_of(place, "toy"),
                  out=place.root / "none", stream=stream)
    text = claim_page(place.root / "none", "toy")
    assert code == 1 and "Sweep `toy` missing:" in text
    assert "**inconclusive**" in (place.root / "none" / "README.md").read_text()
    assert f"no folder {place.root / 'empty' / 'toy'}; run it with " \
           "`expressivity reproduce --claims toy`" in text
    assert "on the partial data the analysis found no data" in text


def test_an_unknown_claim_is_one_error_before_any_work(place, capsys):
    every = registry_of(place, "broken", "toy", "crashy")
    with pytest.raises(ValueError, match=r"--claims=nope,zilch .*allowed: broken, toy, crashy"):
        run(place, every, claims=["toy", "nope", "zilch"])
    assert not place.runs.exists() and not place.out.exists()
    assert main(["reproduce", "--claims", "nope", "--out", str(place.out)]) == 2
    assert "--claims=nope is not a registered claim; allowed:" in capsys.readouterr().err
    assert main(["report", "--claims", "nope", "--out", str(place.out)]) == 2
    assert "--claims=nope is not a registered claim; allowed:" in capsys.readouterr().err
    with pytest.raises(ValueError, match="--jobs=0"):
        run(place, every, jobs=0)
    with pytest.raises(ValueError, match="--profile='huge'"):
        run(place, every, profile="huge")


def test_parallel_sweeps_use_joblib_with_one_blas_thread_each(tmp_path):
    command = sweep_command("toy", "full", tmp_path / "s", jobs=2, config_dirs=[tmp_path])
    assert command[1:6] == ["-m", "expressivity", "-m", "+experiment=toy", "profile=full"]
    assert f"hydra.sweep.dir='{tmp_path / 's'}'" in command
    assert f"hydra.searchpath=['file://{tmp_path}']" in command
    assert command[-2:] == ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    assert sweep_environment(2)["OMP_NUM_THREADS"] == "1"
    assert "hydra/launcher=joblib" not in sweep_command("toy", "quick", tmp_path, jobs=1)


def test_tables_over_the_data_budget_are_left_out_and_the_report_says_so(place):
    assert run(place, registry_of(place, "toy"))[0] == 0
    sizes = {p.name: p.stat().st_size for p in (place.out / "data" / "toy").iterdir()}
    largest = max(sizes, key=sizes.get)
    build_report(["toy"], registry_of(place, "toy"), place.runs / "quick", place.out, "quick",
                 data_budget=sum(sizes.values()) - sizes[largest])
    assert sorted(p.name for p in (place.out / "data" / "toy").iterdir()) == \
        sorted(set(sizes) - {largest})
    text = claim_page(place.out, "toy")
    assert f"Left out of the report folder to keep it small: `data/toy/{largest}`" in text
    assert f"(../data/toy/{largest})" not in text and f"(data/toy/{largest})" not in text
