"""The report's words for a student: each claim's line, rules as steps, reasons, word budgets."""
import itertools
import re
from pathlib import Path

import pytest

from expressivity.claims.contract import Decision, Finding, overall
from expressivity.claims.registry import PROSE_KEYS, discover
from expressivity.report.build import ClaimOutcome, write_report
from expressivity.report.lines import (budget, essay_says, found, identifiers_in_words,
                                       over_budget, reader_line, rule_steps, verdict_reason,
                                       warn_over_budget, without_internal_refs, word_count)

VERDICTS = ("supported", "refuted", "mixed", "inconclusive", "not tested")


def claim_outcome(claim, exists=("not tested", {}), training=("supported", {}), **finding):
    return ClaimOutcome(claim=claim, finding=Finding(claim.get("id", "c"), Decision(*exists),
                                                     Decision(*training), "Text.", **finding))


def test_essay_says_takes_the_in_our_words_sentence_without_asides():
    claim = {"statement": "A long preamble (with a citation, 1998). In our words: sigmoid "
                          "gradients shrink (about x1/4) per layer. Then more."}
    assert essay_says(claim) == "Sigmoid gradients shrink per layer"
    assert essay_says({"statement": "It holds. Really."}) == "It holds"
    assert essay_says({"title": "Only a title"}) == "Only a title"


def test_essay_says_keeps_formulas_and_cuts_long_sentences_at_a_clause():
    claim = {"statement": "A deep network multiplies n numbers with about 4(n-1) neurons in "
                          "ceil(log2 n) layers, while a network with a single hidden layer "
                          "needs 2^n neurons for the same products of many numbers"}
    said = essay_says(claim)
    assert "4(n-1)" in said and "ceil(log2 n)" in said
    assert said.endswith(" …") and len(said.split()) <= 23
    assert said.count("(") == said.count(")")


def test_the_found_line_is_made_from_each_sides_verdict_and_first_number():
    labels = {"fit_share": ("share of ReLU restarts that fit at depth 8", "%")}
    f = Finding("a", Decision("supported", {"error": 1e-9}),
                Decision("refuted", {"fit_share": 84, "other": 1}), "", labels=labels)
    assert found(f) == ("constructions: it holds (error: 1 × 10⁻⁹); training: it does not "
                        "hold (share of ReLU restarts that fit at depth 8: 84%)")
    changed = Finding("a", Decision("not tested"), Decision("refuted", {"fit_share": 97}), "",
                      labels=labels)
    assert found(changed) == "training: it does not hold (share of ReLU restarts that fit " \
                             "at depth 8: 97%)"
    assert found(Finding("a", Decision("not tested"), Decision("not tested"), "")) == \
        "nothing was tested"


def test_reader_line_says_the_claim_the_essay_and_the_finding_and_links_the_page():
    o = claim_outcome({"id": "x", "title": "Sigmoid versus ReLU",
                       "statement": "Deep sigmoid nets train slowly."},
                      training=("mixed", {"deep_cells": 9}))
    assert reader_line(o, "claims/x.md") == (
        "**[Sigmoid versus ReLU](claims/x.md)**. *The essay:* Deep sigmoid nets train slowly. "
        "*We found:* training: it holds in some conditions, not in others (deep cells: 9). "
        "**Mixed.**")


WORDS = list(VERDICTS) + ["verified", "inconclusive: budget", "inconclusive: awaiting confirmation"]


@pytest.mark.parametrize("exists, training", list(itertools.product(WORDS, WORDS)))
def test_the_verdict_reason_follows_the_overall_rule(exists, training):
    f = Finding("a", Decision(exists), Decision(training), "")
    reason = verdict_reason(f)
    verdict = overall(exists, training)
    tested = [v for v in (exists, training) if v != "not tested"]
    if not tested:
        assert reason == "neither side is tested"
    elif len(tested) == 1:
        assert reason.startswith("only one side is tested")
    elif exists == training:
        assert reason == f"both sides say {verdict}"
    elif verdict.startswith("inconclusive"):
        assert "could not decide yet" in reason and f"({verdict})" in reason
        assert "disagree" not in reason
    elif verdict in ("supported", "verified"):   # verified beside supported: it holds
        assert reason.startswith("both sides say it holds")
    else:
        assert verdict == "mixed" and "the sides disagree" in reason


@pytest.mark.parametrize("text, expected", [
    ("Issue 10 (after the full run of 2026-11-28, which said supported): the step was one.",
     "After the full run of 2026-11-28, which said supported: the step was one."),
    ("Issue 10, before its runs: counts extended.", "Before its runs: counts extended."),
    ("Issue 10, 2026-12-03 (after the run): a ladder.", "2026-12-03 (after the run): a ladder."),
    ("Added before any run (issue 8: the claim checked the reference).",
     "Added before any run (the claim checked the reference)."),
    ("Replaced for issue 10 before its runs. The rule.", "Replaced before its runs. The rule."),
    ("See the rule (#12) and issues 3 and 4 for more.", "See the rule and for more."),
    ("No reference here: x_y (n = 2).", "No reference here: x_y (n = 2)."),
])
def test_internal_references_are_taken_out(text, expected):
    assert without_internal_refs(text) == expected


def test_rule_steps_are_numbered_sentences_with_the_numbers_in_place_of_their_names():
    rule = ("A cell is free if its lower bound >= free_low; stuck if <= stuck_high. Cells "
            "on `matched_arms` count, see restarts_ladder.yaml and expressivity/diagnose.py. "
            "Failures end in a local_minimum (e.g. saddles). Supported if share >= band")
    steps = rule_steps(rule, {"free_low": 0.85, "stuck_high": 0.5, "matched_arms": ["bce", "linear"],
                              "band": [0.15, 0.4]})
    assert steps.split("\n") == [
        "1. A cell is free if its lower bound >= 0.85; stuck if <= 0.5.",
        "2. Cells on bce and linear count, see restarts_ladder.yaml and expressivity/diagnose.py.",
        "3. Failures end in a local minimum (e.g. saddles).",
        "4. Supported if share >= band.",
    ]
    assert rule_steps("x if a_b.", {"a_b": [0.15, 0.4]}) == "1. X if 0.15 to 0.4."
    assert rule_steps("depths 1..`max_depth` and trainer.stop_on_fit", {"max_depth": 8}) == \
        "1. Depths 1..8 and trainer.stop_on_fit."


def test_word_count_counts_what_a_reader_sees():
    markdown = ("# Two words\n\nThree more words.\n\n| a | table row |\n| --- | --- |\n\n"
                "```bash\nnot counted at all\n```\n\n<details><summary>Hidden</summary>\n\n"
                "many hidden words here\n\n</details>\n\n- [a link](x.md) and `code`\n\n"
                "[![an image's alt text](f.png)](claims/a.md)")
    assert word_count(markdown) == 2 + 3 + 5
    assert over_budget("word " * 1801, "claim") == (1801, 1800)
    assert over_budget("word " * 1800, "claim") is None
    assert budget("front", 12) == 250 + 60 * 12


def test_a_page_over_its_budget_is_said(capsys):
    assert warn_over_budget("claims/x.md", "word " * 2000, "claim")
    assert "claims/x.md has 2,000 words" in capsys.readouterr().err
    assert not warn_over_budget("README.md", "short", "front", 1)


def real_claims_report(out):
    """A report of every real claim file (statement, rule, history) with made-up decisions."""
    outcomes = []
    for i, c in enumerate(discover().values()):
        exists = Decision(VERDICTS[i % 5], {"max_relative_error": 1.5e-8}) if i % 2 else \
            Decision("not tested")
        training = Decision(VERDICTS[(i + 1) % 4], {"deep_cells": 9, "fit_share": 0.84})
        finding = Finding(c.id, exists, training, "What the analysis found, in two sentences. "
                          "It cites Issue 10 as its reason.", caveats=["a caveat (issue 12)"],
                          tables=["A table's caption, as in issue 10.\n\n| a |\n| --- |\n| 1 |"])
        outcomes.append(ClaimOutcome(claim=dict(c.meta), finding=finding,
                                     sweeps={c.id: "finished"}, jobs=4, seconds=1.0))
    write_report(outcomes, out, {"profile": "quick"})
    return outcomes


def test_every_page_of_a_report_of_the_real_claims_keeps_its_word_budget(tmp_path, capsys):
    outcomes = real_claims_report(tmp_path)
    front = (tmp_path / "README.md").read_text()
    assert word_count(front) <= budget("front", len(outcomes))
    for o in outcomes:
        page = (tmp_path / "claims" / f"{o.id}.md").read_text()
        assert word_count(page) <= budget("claim"), o.id
    assert "over its budget" not in capsys.readouterr().err


def test_no_internal_reference_reaches_any_page(tmp_path):
    real_claims_report(tmp_path)
    for page in [tmp_path / "README.md", *sorted((tmp_path / "claims").glob("*.md"))]:
        text = page.read_text()
        assert "Issue 1" not in text and "issue 1" not in text, page.name


def test_claim_pages_open_with_the_readers_line_and_keep_identifiers_collapsed(tmp_path):
    outcomes = real_claims_report(tmp_path)
    restarts = next(o for o in outcomes if o.id == "restarts")
    page = (tmp_path / "claims" / "restarts.md").read_text()
    blocks = page.split("\n\n")
    assert blocks[2] == reader_line(restarts, named=False)
    assert blocks[2].startswith("*The essay:* ")          # the heading above names the claim
    assert blocks[3].startswith("**Verdict: ")
    rule = page.split("## Decision rule (written before the run)")[1].split("\n## ")[0]
    visible = rule.split("<details>")[0]
    numbers = {k for k in restarts.claim if k not in PROSE_KEYS and "_" in k}   # identifiers
    assert numbers and not [k for k in numbers if k in visible]
    by_name = next(b for b in rule.split("<details>") if "The rule's numbers and functions" in b)
    assert "1. " in visible and all(k in by_name for k in numbers)
    assert "*Figure" not in page or "*Figure 1:" in page
    # three collapsed blocks: the literature's expectation (long), the rule's identifiers, and
    # the changes made after data was seen
    assert Path(tmp_path / "claims" / "restarts.html").read_text().count("<details>") == 3


def test_text_about_an_earlier_rule_gets_names_in_words_but_not_todays_values():
    assert identifiers_in_words("the old `max_depth` and local_minimum") == \
        "the old max depth and local minimum"
    assert identifiers_in_words("below max_depth", {"max_depth": 8}) == "below 8"


def test_a_figure_caption_says_what_it_shows_then_what_to_look_at():
    from expressivity.report.lines import figure_caption
    captions = {"r_rate.png": ("Success rate against width.", "Look at the largest width.")}
    assert figure_caption("r", "r_rate.png", captions) == \
        "Success rate against width. Look at the largest width."
    assert figure_caption("r", "r_rate.png", captions, short=True) == "Success rate against width."
    assert figure_caption("r", "r_other_plot.png", captions) == "other plot"   # no entry: the name


def test_captions_come_from_the_claim_file_and_every_real_claim_has_some():
    from expressivity.claims.engine import figure_captions
    assert figure_captions({"captions": {"a.png": {"shows": "S.", "look": "L."}, "b.png": "B."}}) \
        == {"a.png": ("S.", "L."), "b.png": ("B.", "")}
    assert figure_captions({}) == {}
    for c in discover().values():
        shown = figure_captions(c.meta)
        assert shown and all(s.endswith(".") and len(s.split()) <= 25 for s, _ in shown.values()), c.id


def test_the_result_says_when_it_is_the_current_rules_exploratory_analysis():
    from datetime import datetime
    from expressivity.claims.confirmation import RuleVersion, VersionVerdict
    from expressivity.report.lines import result_basis
    old = RuleVersion("training", "v1", datetime(2026, 1, 1), "a", "decide_v1")
    new = RuleVersion("training", "v2", datetime(2026, 3, 1), "b", "decide", current=True)
    run = datetime(2026, 2, 1)
    v1 = VersionVerdict(old, "0", run, Decision("supported"))
    v2 = VersionVerdict(new, "0", run, Decision("refuted"))
    finding = Finding("c", Decision("not tested"), Decision("supported"), "T.",
                      versions=[v1, v2], chosen={"training": v1})
    said = result_basis(finding)
    assert "rule v2 says refuted here, exploratory on seed block 0" in said
    assert "the summary's verdict is rule v1's" in said
    later = VersionVerdict(new, "1", datetime(2026, 4, 1), Decision("refuted"))
    assert result_basis(Finding("c", Decision("not tested"), Decision("refuted"), "T.",
                                versions=[v1, later], chosen={"training": later})) == ""
    none = Finding("c", Decision("not tested"), Decision("inconclusive"), "T.", versions=[v2],
                   chosen={"training": None})
    assert "no rule has a confirmatory verdict yet" in result_basis(none)


def test_an_earlier_rules_text_is_collapsed_on_the_claim_page(tmp_path):
    from expressivity.report.build import rule_text
    text = rule_text({"rule": "Supported if x exceeds upper_limit.", "rule_earlier": "Rule v1: if "
                      "x exceeds twice upper_limit.", "upper_limit": 3})
    visible, collapsed = text.split("<details>", 1)
    assert "1. Supported if x exceeds 3." in visible and "Rule v1" not in visible
    assert "1. Rule v1: if x exceeds twice 3." in collapsed.split("</details>")[0]


def test_the_committed_report_keeps_every_pages_word_budget():
    """The real pages of the committed full report, not only synthetic ones."""
    reports = Path(__file__).resolve().parents[2] / "reports"
    if not (reports / "claims").is_dir() or \
            "<figcaption>" not in (reports / "index.html").read_text(encoding="utf-8"):
        pytest.skip("the committed reports/ predate the page layout; `expressivity reproduce "
                    "--profile full` regenerates them")
    pages = sorted((reports / "claims").glob("*.md"))
    assert len(pages) >= 12
    front = (reports / "README.md").read_text(encoding="utf-8")
    assert word_count(front) <= budget("front", len(pages))
    for page in pages:
        assert word_count(page.read_text(encoding="utf-8")) <= budget("claim"), page.name
    for page in [reports / "README.md", reports / "performance.md", *pages]:   # no issue numbers
        assert not re.search(r"\b[Ii]ssues? #?\d", page.read_text(encoding="utf-8")), page.name
