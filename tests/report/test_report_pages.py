"""The report as a reader meets it: where it goes, its pages, links and layout."""
import pytest

import expressivity.analyse
import expressivity.reproduce
from expressivity.cli import main
from expressivity.report.pages import contents, default_out, demote, rebase


@pytest.mark.parametrize("command", ["reproduce", "report"])
@pytest.mark.parametrize("profile, folder", [("quick", "runs/quick/report"), ("full", "reports")])
def test_a_quick_run_writes_its_report_beside_the_committed_one(monkeypatch, command, profile,
                                                               folder):
    seen = {}
    module = expressivity.reproduce if command == "reproduce" else expressivity.analyse
    monkeypatch.setattr(module, command, lambda **kw: seen.update(kw) or 0)
    assert main([command, "--profile", profile]) == 0
    assert seen["out"] == folder
    assert main([command, "--profile", profile, "--out", "elsewhere"]) == 0
    assert seen["out"] == "elsewhere"
    assert str(default_out(profile)) == folder


def test_demote_rebase_and_contents():
    page = "## 1. Title\n\n### Claim\n\n```\n## not a heading\n```\n\n![f](figures/a.png) " \
           "[d](data/x.csv) [web](https://x.org) [here](#claim) [up](../README.md)"
    shown = rebase(demote(page))
    assert shown.startswith("# 1. Title\n\n## Claim\n\n```\n## not a heading\n```")
    assert "](../figures/a.png)" in shown and "](../data/x.csv)" in shown
    assert "](https://x.org)" in shown and "](#claim)" in shown and "](../README.md)" in shown
    assert contents("## Claim\n\ntext\n\n## Setup `x`\n\n## Claim") == \
        "- [Claim](#claim)\n- [Setup x](#setup-x)\n- [Claim](#claim-1)"
