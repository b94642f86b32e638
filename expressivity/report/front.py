"""The report's front page: what was tested, every claim's verdicts, one figure per claim.

Kept short on purpose: the summary table links each claim's own page, where
its setup, rule, figures, tables and deciding numbers are.
"""
from pathlib import Path

from expressivity.report import words as report   # the report's words: title, verdict meanings
from expressivity.report.pages import claim_page_link, gallery, summary_table


def front_page(outcomes, out_dir, p):
    """The front page's Markdown (``p`` is the provenance dict of ``write_report``)."""
    profile = p.get("profile", "—")
    lines = [
        f"# {report.TITLE}",
        "This report puts the claims of the essay *A Simple Introduction to Neural Networks* "
        "(LessWrong, 2020) and of the theory behind it to the test on small feed-forward "
        "networks. Each claim has two verdicts, computed from the data by rules written "
        "before the run: what *exists* (constructions, exact counts, proved bounds) and what "
        "*training finds* (gradient descent with a stated budget); neither stands for the other.",
        f"Profile `{profile}`; generated {p.get('generated', '—')} from commit "
        f"`{report.short(p.get('git_commit'))}` by `{p.get('command', '—')}`."
        + ("" if profile == "full" else
           " A quick profile runs small grids in minutes: its verdicts are a smoke test, not "
           "the committed full report."),
        "## Contents", contents_list(outcomes, out_dir),
        "## Summary",
        summary_table(outcomes) if outcomes else
        "No claim was analysed (none is registered or selected).",
        "Verdicts: " + "; ".join(f"**{v}**: {m}" for v, m in report.VERDICT_MEANING.items()) + ".",
    ]
    overall_rule = getattr(report, "OVERALL_RULE", None)
    if overall_rule:
        lines.append(overall_rule)
    lines += [f"Re-run everything with `expressivity reproduce --profile {profile}` "
              "(add `--jobs 2` to use two cores); each claim's page gives the commands for it.",
              "## Headline figures",
              "One figure per claim; each links to the claim's page.",
              gallery(outcomes, out_dir)]
    return "\n\n".join(lines)


def contents_list(outcomes, out_dir):
    """Links to the summary, every claim's page and the other pages of the report."""
    items = ["- [Summary](#summary) and [headline figures](#headline-figures)",
             "- Claims, one page each: " + " · ".join(
                 f"[{i}. {o.claim.get('title', o.id)}]({claim_page_link(o)})"
                 for i, o in enumerate(outcomes, 1)),
             "- [The essay's running example, with numbers](explain.md): a forward pass and one "
             "backpropagation step, every delta and gradient, checked by finite differences",
             "- [Provenance](provenance.md): commit, package versions, wall times, unreadable "
             "records"]
    if (Path(out_dir) / "performance.md").exists():
        items.append("- [Performance](performance.md): the trainer timed against scikit-learn, "
                     "PyTorch and NumPy's matmul")
    return "\n".join(items)
