"""Report assembly from hand-made Findings: summary first, one section per claim, provenance."""
import re

import pytest

from expressivity.claims import Decision, Finding
from expressivity.report import ClaimOutcome, write_report

PROVENANCE = {"profile": "quick", "command": "expressivity reproduce --profile quick",
              "generated": "2026-01-01 00:00 UTC", "git_commit": "a" * 40, "runs": "runs/quick",
              "versions": {"python": "3.11.7", "numpy": "2.0", "pandas": "2.2", "hydra": "1.3.2",
                           "scikit-learn": "1.5", "seaborn": "0.13"},
              "total_seconds": 12.34, "problems": [("runs/quick/width/3/result.json", "bad JSON")]}


def outcome(claim_id, verdict, numbers, exists=("not tested", {}), **extra):
    claim = {"id": claim_id, "title": f"Title of {claim_id}", "statement": f"{claim_id} holds.",
             "rule": f"supported if {claim_id} > 0.5", "threshold": 0.5, "sweeps": [claim_id],
             "rule_history": extra.pop("history", [])}
    finding = Finding(claim_id, Decision(*exists), Decision(verdict, numbers),
                      f"Found text for {claim_id}.",
                      figures=extra.pop("figures", []), tables=extra.pop("tables", []),
                      caveats=extra.pop("caveats", []), registered=extra.pop("registered", {}))
    return ClaimOutcome(claim=claim, finding=finding, sweeps={claim_id: "finished"}, jobs=4, cached=1,
                        seconds=3.5, **extra)


@pytest.fixture
def report(tmp_path):
    (tmp_path / "figures" / "depth").mkdir(parents=True)
    (tmp_path / "figures" / "depth" / "growth.png").write_bytes(b"png")
    (tmp_path / "performance.md").write_text("# perf")
    outcomes = [
        outcome("depth", "supported", {"r2": 0.9512345, "slope": 0.69, "third": 7},
                figures=["growth.png", "never_written.png"],
                tables=["Minimal width\n\n| n | width |\n| --- | --- |\n| 3 | 2 |"],
                caveats=["representable is not learnable"]),
        outcome("relu", "refuted", {"gap": -0.25}, exists=("supported", {"error": 1e-9}),
                history=[{"note": "ties no longer count", "decide": "decide_training_registered",
                          "part": "training"}, "grid widened"],
                registered={"training as first registered (`decide_training_registered`)":
                            Decision("mixed", {"gap": 0.1})}),
        outcome("loss", "mixed", {"median_ok": True, "rate": float("nan")}),
        outcome("restarts", "inconclusive", {}, error="Traceback\nRuntimeError: boom"),
    ]
    path = write_report(outcomes, tmp_path, PROVENANCE)
    return path.read_text(), (tmp_path / "index.html").read_text()


def test_the_summary_table_comes_first_with_each_verdict_and_its_deciding_numbers(report):
    markdown, _ = report
    summary = markdown.split("## Summary")[1].split("\n## ")[0]
    assert markdown.index("## Summary") < markdown.index("## 1. ")
    rows = [line for line in summary.splitlines() if re.match(r"\| \d ", line)]
    assert rows == [
        "| 1 | [depth](#1-title-of-depth-depth) | **Title of depth**: depth holds. "
        "| not tested | supported | **supported** | r2 = 0.9512; slope = 0.69 |",
        "| 2 | [relu](#2-title-of-relu-relu) | **Title of relu**: relu holds. "
        "| supported | refuted | **mixed** | error = 1e-09; gap = -0.25 |",
        "| 3 | [loss](#3-title-of-loss-loss) | **Title of loss**: loss holds. "
        "| not tested | mixed | **mixed** | median_ok = yes; rate = n/a |",
        "| 4 | [restarts](#4-title-of-restarts-restarts) | **Title of restarts**: restarts holds. "
        "| not tested | inconclusive | **inconclusive** | — |",
    ]


def test_both_verdicts_the_registered_one_and_the_rule_history_are_shown(report):
    markdown, _ = report
    relu = markdown.split("## 2. ")[1].split("\n## ")[0]
    assert "**Verdict: mixed** (exists: supported; training finds: refuted;" in relu
    assert "**exists: supported**" in relu and "**training finds: refuted**" in relu
    assert "**training as first registered (`decide_training_registered`): mixed**" in relu
    assert "| `gap` | 0.1 |" in relu and "| `error` | 1e-09 |" in relu
    assert "- ties no longer count (the rule as first registered is kept as " \
           "`decide_training_registered`" in relu and "- grid widened" in relu
    assert "rule_history" not in relu.split("The rule's numbers, as written")[1].split("```")[1]


def test_each_claim_has_a_section_with_statement_commands_rule_and_verdict(report):
    markdown, _ = report
    sections = markdown.split("\n## ")[2:-1]
    assert [s.splitlines()[0] for s in sections] == [
        "1. Title of depth (`depth`)", "2. Title of relu (`relu`)", "3. Title of loss (`loss`)",
        "4. Title of restarts (`restarts`)"]
    depth = sections[0]
    for text in ("depth holds.", "python -m expressivity -m +experiment=depth profile=quick",
                 "expressivity reproduce --claims depth --profile quick",
                 "supported if depth > 0.5", "threshold: 0.5", "Found text for depth.",
                 "| 3 | 2 |", "- representable is not learnable", "| `r2` | 0.951234 |",
                 "| `third` | 7 |", "4 job records read (1 served by the run cache)"):
        assert text in depth, text
    order = [depth.index(h) for h in ("### Claim", "### Setup", "### Decision rule",
                                      "### Result", "### Verdict", "### Caveats")]
    assert order == sorted(order)
    assert "RuntimeError: boom" in sections[3]


def test_figures_are_relative_links_and_a_missing_figure_is_said_not_hidden(report):
    markdown, html = report
    assert "![growth](figures/depth/growth.png)" in markdown
    assert "*(figure `never_written.png` was not written)*" in markdown
    assert '<img alt="growth" src="figures/depth/growth.png">' in html


def test_provenance_lists_commit_versions_times_and_unreadable_records(report):
    markdown, _ = report
    provenance = markdown.split("## Provenance")[1]
    assert "a" * 40 in provenance and "| seaborn | 0.13 |" in provenance
    assert provenance.index("| python |") < provenance.index("| numpy |") \
        < provenance.index("| scikit-learn |")
    assert "| depth | 3.5 |" in provenance
    assert "| **total** | 12.3 |" in provenance
    assert "Unreadable records: 1." in provenance
    assert "`runs/quick/width/3/result.json`: bad JSON" in provenance
    assert "[performance.md](performance.md)" in markdown


def test_the_html_page_links_the_summary_to_each_section(report):
    _, html = report
    for anchor in ("1-title-of-depth-depth", "4-title-of-restarts-restarts"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))   # repeated subheadings get unique ids


def test_a_report_with_no_claims_says_so(tmp_path):
    text = write_report([], tmp_path, PROVENANCE).read_text()
    assert "No claim was analysed" in text and "## Provenance" in text
