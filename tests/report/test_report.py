"""Report assembly from hand-made Findings: a short front page, one page per claim, provenance."""
import re
from types import SimpleNamespace

import pytest

from expressivity.claims import Decision, Finding
from expressivity.report.build import ClaimOutcome, write_report

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
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "gone.md").write_text("a page of a claim no longer reported")
    outcomes = [
        outcome("depth", "supported", {"r2": 0.9512345, "slope": 0.69, "third": 7},
                figures=["growth.png", "never_written.png"],
                tables=["Minimal width\n\n| n | width |\n| --- | --- |\n| 3 | 2 |"],
                caveats=["representable is not learnable"]),
        outcome("relu", "refuted", {"gap": -0.25}, exists=("supported", {"error": 1e-9}),
                history=[{"note": "ties no longer count", "decide": "decide_training_registered",
                          "part": "training"}, "grid widened"],
                registered={"training under an earlier rule (`decide_training_registered`)":
                            Decision("mixed", {"gap": 0.1})}),
        outcome("loss", "mixed", {"median_ok": True, "rate": float("nan")}, job_seconds=40.25),
        outcome("restarts", "inconclusive", {}, error="Traceback\nRuntimeError: boom"),
    ]
    path = write_report(outcomes, tmp_path, PROVENANCE)
    assert path == tmp_path / "README.md"

    def page(name):
        return (tmp_path / name).read_text()

    return SimpleNamespace(folder=tmp_path, page=page, front=page("README.md"),
                           html=page("index.html"))


def test_the_front_page_is_a_summary_of_both_verdicts_in_words(report):
    front = report.front
    said = front.split("## What the essay says and what we found")[1].split("\n## ")[0]
    assert said.strip().splitlines() == [
        "1. **[Title of depth](claims/depth.md)**. *The essay:* Depth holds. *We found:* "
        "training: it holds (r2: 0.9512). **Supported.**",
        "2. **[Title of relu](claims/relu.md)**. *The essay:* Relu holds. *We found:* "
        "constructions: it holds (error: 1 × 10⁻⁹); training: it does not hold (gap: −0.25). "
        "**Mixed.**",
        "3. **[Title of loss](claims/loss.md)**. *The essay:* Loss holds. *We found:* "
        "training: it holds in some conditions, not in others (median ok: yes). **Mixed.**",
        "4. **[Title of restarts](claims/restarts.md)**. *The essay:* Restarts holds. "
        "*We found:* training: the data could not decide. **Inconclusive.**",
    ]
    summary = front.split("## Outcomes")[1].split("\n## ")[0]
    rows = [line for line in summary.splitlines() if re.match(r"\| \d ", line)]
    # (these Findings come from no engine run, so no rule version or seed block: a dash)
    assert rows == [
        "| 1 | [Title of depth](claims/depth.md) | not tested | supported | **supported** | — | — |",
        "| 2 | [Title of relu](claims/relu.md) | supported | refuted | **mixed** | — | — |",
        "| 3 | [Title of loss](claims/loss.md) | not tested | mixed | **mixed** | — | — |",
        "| 4 | [Title of restarts](claims/restarts.md) | not tested | inconclusive | **inconclusive** | — | — |",
    ]
    assert front.index("## What the essay says") < front.index("## Outcomes") \
        < front.index("## Headline") < front.index("## More")
    assert "[![Title of depth: supported](figures/depth/growth.png)](claims/depth.md)\n\n" \
           "*Figure 1 (claim 1): growth.*" in front
    assert "Found text for" not in front and "## Provenance" not in front   # short: on other pages
    for raw in ("nan", "n/a", "median_ok"):
        assert raw not in said and raw not in summary


def test_both_verdicts_the_registered_one_and_the_rule_history_are_shown(report):
    relu = report.page("claims/relu.md")
    assert "**Verdict: mixed**: the sides disagree (constructions: supported; training: " \
           "refuted), so the claim holds only in part." in relu
    assert "**exists (—): supported**: it holds, decided by error: 1 × 10⁻⁹." in relu
    assert "**training finds (—): refuted**: it does not hold, decided by gap: −0.25." in relu
    assert "**training under an earlier rule (`decide_training_registered`): mixed**" in relu
    assert "| gap | 0.1 |" in relu and "| error | 1 × 10⁻⁹ |" in relu
    assert "- ties no longer count (the training verdict under that earlier rule is shown " \
           "below)" in relu and "- grid widened" in relu
    # The changes are counted in view and told in a collapsed block of their own.
    assert "The rule or its settings changed 2 time(s) after data was seen" in relu
    changes = relu.split("<summary>The 2 change(s) after data was seen, in order</summary>")[1]
    assert "- ties no longer count" in changes.split("</details>")[0]
    # The identifiers the code reads are in the collapsed block only.
    collapsed = relu.split("<details>")[1].split("</details>")[0]
    assert "training under an earlier rule: `decide_training_registered`" in collapsed
    assert "rule_history" not in collapsed.split("The rule's numbers, as written")[1].split("```")[1]


def test_each_claim_has_a_page_with_statement_commands_rule_and_verdict(report):
    depth = report.page("claims/depth.md")
    assert depth.splitlines()[0] == "[← all claims](../README.md) · [2. Title of relu →](relu.md)"
    assert "\n# 1. Title of depth (`depth`)\n" in depth
    for text in ("depth holds.", "python -m expressivity -m +experiment=depth profile=quick",
                 "expressivity reproduce --claims depth --profile quick",
                 "1. Supported if depth > 0.5.", "threshold: 0.5", "Found text for depth.",
                 "| 3 | 2 |", "- representable is not learnable", "| r2 | 0.951234 |",
                 "| third | 7 |", "4 job records read (1 served by the run cache)",
                 "- [Decision rule (written before the run)](#decision-rule-written-before-the-run)"):
        assert text in depth, text
    order = [depth.index(h) for h in ("\n## Claim", "\n## Setup", "\n## Decision rule",
                                      "\n## Result", "\n## Verdict", "\n## Caveats")]
    assert order == sorted(order)
    assert "RuntimeError: boom" in report.page("claims/restarts.md")
    assert "| rate | not measured |" in report.page("claims/loss.md")
    assert not (report.folder / "claims" / "gone.md").exists()    # stale pages are removed


def test_figures_are_relative_links_and_a_missing_figure_is_said_not_hidden(report):
    depth = report.page("claims/depth.md")
    assert "![growth](../figures/depth/growth.png)" in depth
    assert "*(figure `never_written.png` was not written)*" in depth
    assert '<img src="../figures/depth/growth.png" alt="growth" />' in report.page("claims/depth.html")


def test_provenance_lists_commit_versions_times_and_unreadable_records(report):
    provenance = report.page("provenance.md")
    assert "a" * 40 in provenance and "| seaborn | 0.13 |" in provenance
    assert provenance.index("| python |") < provenance.index("| numpy |") \
        < provenance.index("| scikit-learn |")
    assert "| depth | 3.5 | — |" in provenance                 # no job seconds: said, not 0
    assert "| loss | 3.5 | 40.2 |" in provenance               # recorded compute, cache or not
    assert "| **total** | 12.3 | 40.2 |" in provenance
    assert "Unreadable records: 1." in provenance
    assert "`runs/quick/width/3/result.json`: bad JSON" in provenance
    assert "[Performance](performance.md)" in report.front
    assert "[Provenance](provenance.md)" in report.front


def test_the_html_pages_link_each_other_and_have_unique_ids(report):
    html = report.html
    for claim_id in ("depth", "restarts"):
        assert f'href="claims/{claim_id}.html"' in html
    assert 'href="provenance.html"' in html and 'href="explain.html"' in html
    depth = report.page("claims/depth.html")
    assert 'href="../index.html"' in depth and 'href="relu.html"' in depth
    for name in ("index.html", "claims/depth.html", "claims/relu.html", "provenance.html"):
        ids = re.findall(r' id="([^"]+)"', report.page(name))
        assert len(ids) == len(set(ids)), name   # repeated subheadings get unique ids


def test_the_report_carries_the_essays_example_with_numbers(report):
    explain = report.page("explain.md")
    assert explain.startswith("[← all claims](README.md)")
    assert "All 12 gradients agree" in explain


def test_a_report_with_no_claims_says_so(tmp_path):
    text = write_report([], tmp_path, PROVENANCE).read_text()
    assert "No claim was analysed" in text
    assert "## Provenance" not in text and (tmp_path / "provenance.md").exists()
