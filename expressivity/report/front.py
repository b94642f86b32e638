"""The report's front page, for a student with three minutes: per claim one line (what the
essay says, what we found, the numbers that decided it), then the table of outcome words,
then one full-width figure per claim with its caption.

Kept short on purpose (``report/lines.py WORD_BUDGET``): each claim's line links its own page,
where its setup, rule, figures, tables and every deciding number are.
"""
from pathlib import Path

from expressivity.report import words as report   # the report's words: title, verdict meanings
from expressivity.report.lines import details, reader_line
from expressivity.report.pages import claim_page_link, gallery, summary_table


def front_page(outcomes, out_dir, p):
    """The front page's Markdown (``p`` is the provenance dict of ``write_report``)."""
    profile = p.get("profile", "—")
    lines = [
        f"# {report.TITLE}",
        "The essay *A Simple Introduction to Neural Networks* (LessWrong, 2020) makes claims "
        "about neural networks; we tested each one on small feed-forward networks, by "
        "constructions and exact counts (what *exists*) and by training them (what *training "
        "finds*), each decided by a rule written before the run.",
        "## What the essay says and what we found",
        "\n".join(f"{i}. {reader_line(o, claim_page_link(o))}" for i, o in enumerate(outcomes, 1))
        if outcomes else "No claim was analysed (none is registered or selected).",
        "## Outcomes",
        summary_table(outcomes) if outcomes else "No claim, no outcome.",
        details("What the verdict words mean",
                "\n".join(f"- **{v}**: {m}." for v, m in report.VERDICT_MEANING.items())
                + "\n\n" + getattr(report, "OVERALL_RULE", "")),
        "## Headline figures", gallery(outcomes, out_dir),
        "## More", contents_list(outcomes, out_dir),
        f"Profile `{profile}`; generated {p.get('generated', '—')} from commit "
        f"`{report.short(p.get('git_commit'))}` by `{p.get('command', '—')}`."
        + ("" if profile == "full" else
           " A quick profile runs small grids in minutes: its verdicts are a smoke test, "
           "not the committed full report.")
        + f" Re-run everything with `expressivity reproduce --profile {profile}`.",
    ]
    return "\n\n".join(lines)


def contents_list(outcomes, out_dir):
    """Links to the other pages of the report (each claim's page is linked from its line)."""
    items = ["- [The essay's running example, with numbers](explain.md): a forward pass and one "
             "backpropagation step, checked by finite differences",
             "- [Provenance](provenance.md): commit, package versions, wall times"]
    if (Path(out_dir) / "performance.md").exists():
        items.append("- [Performance](performance.md): the trainer timed against scikit-learn, "
                     "PyTorch and NumPy")
    return "\n".join(items)
