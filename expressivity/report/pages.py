"""The report as a reader meets it: a short front page and one page per claim.

``write_pages(outcomes, out_dir, provenance)`` writes, each as Markdown and HTML:

- ``README.md`` / ``index.html``: the front page — contents, the summary table
  (each claim's two verdicts and the overall one, in words, and its leading
  deciding number with its label and unit), the verdict legend, and one
  headline figure per claim, each linking to the claim's page;
- ``claims/<id>.md`` / ``.html``: the claim's full section, with a line of
  navigation and a table of contents of its own;
- ``provenance.md`` / ``.html`` and ``explain.md`` / ``.html`` (the essay's
  example with concrete numbers).

Tables wider than the text column are split, and long ones linked as CSV
(``data/tables/``), by ``mdtables.fit_tables``.
"""
import os
import re
from pathlib import Path

from expressivity.report.explain import walkthrough
from expressivity.report.explain_page import explain_markdown
from expressivity.report.html import markdown_to_html
from expressivity.report.lines import figure_caption, warn_over_budget
from expressivity.report.mdtables import fit_tables
from expressivity.report.mdtext import plain_text, slug, table

HEADING = re.compile(r"^(#{1,6})(\s+.*)$")
RELATIVE_LINK = re.compile(r"(!?\[[^\]]*\]\()(?![a-z]+:|#|/|\.\./)([^)\s]+\))")


def default_out(profile):
    """Where a report goes when no folder is named: the committed ``reports/`` for the
    full profile; beside the runs for any other, so a quick run never overwrites it."""
    return Path("reports") if profile == "full" else Path("runs") / profile / "report"


def claim_page_link(o, suffix="md"):
    return f"claims/{o.id}.{suffix}"


def write_page(out_dir, relative, markdown, title, twins):
    """Write ``relative`` (a .md path below ``out_dir``) and its HTML twin beside it.

    ``twins``: pages (below ``out_dir``, without ``.md``) that have an HTML twin;
    the HTML links to those point at the twin.
    """
    path = Path(out_dir) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown, encoding="utf-8")
    here = str(Path(relative).parent)
    local = {os.path.relpath(t, here): os.path.relpath(t, here) for t in twins}
    front = os.path.relpath("README", here)
    local[front] = front[:-len("README")] + "index"
    html = markdown_to_html(markdown, title, twins=local)
    html_name = "index.html" if relative == "README.md" else Path(relative).with_suffix(".html").name
    (path.parent / html_name).write_text(html, encoding="utf-8")
    return path


def demote(markdown, levels=1):
    """Headings ``levels`` higher (## -> #), outside code blocks."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match and len(match.group(1)) > levels:
            line = match.group(1)[levels:] + match.group(2)
        out.append(line)
    return "\n".join(out)


def rebase(markdown, prefix="../"):
    """Relative link and image targets seen from a page ``prefix`` deeper."""
    return RELATIVE_LINK.sub(lambda m: m.group(1) + prefix + m.group(2), markdown)


def contents(markdown):
    """A bullet list linking the ``##`` headings of a page."""
    used, items = {}, []
    for line in markdown.split("\n"):
        if line.startswith("## "):
            text = line[3:].strip()
            anchor = slug(text)
            count = used.get(anchor, 0)
            used[anchor] = count + 1
            items.append(f"- [{plain_text(text)}](#{anchor}{'-' + str(count) if count else ''})")
    return "\n".join(items)


def nav(o_index, outcomes, prefix="../"):
    """'← all claims · ← previous · next →' for claim page ``o_index`` (0-based)."""
    links = [f"[← all claims]({prefix}README.md)"]
    if o_index > 0:
        prev = outcomes[o_index - 1]
        links.append(f"[← {o_index}. {prev.claim.get('title', prev.id)}]({prev.id}.md)")
    if o_index + 1 < len(outcomes):
        nxt = outcomes[o_index + 1]
        links.append(f"[{o_index + 2}. {nxt.claim.get('title', nxt.id)} →]({nxt.id}.md)")
    return " · ".join(links)


def claim_page(index, outcomes, out_dir, provenance, section):
    """One claim's page: navigation, its section one heading level up (its heading, the
    reader's line and the verdict first), then its own contents."""
    body = rebase(demote(section))
    head, _, rest = body.partition("\n\n")
    line, _, rest = rest.partition("\n\n")
    verdict, _, rest = rest.partition("\n\n")
    page = "\n\n".join([nav(index, outcomes), head, line, verdict, "**On this page**",
                        contents(rest), rest])
    o = outcomes[index]
    return fit_tables(page, csv_dir=Path(out_dir) / "data" / "tables",
                      csv_prefix="../data/tables/", name=o.id) + "\n"


def headline_figure(number, o, out_dir):
    """The claim's first written figure at full width, linked to its page, with its caption;
    or None."""
    for name in o.finding.figures:
        relative = f"figures/{o.id}/{name}"
        if (Path(out_dir) / relative).exists():
            title = o.claim.get("title", o.id)
            caption = figure_caption(o.id, name, o.finding.captions, short=True).rstrip(".")
            return (f"[![{title}: {o.finding.verdict}]({relative})]({claim_page_link(o)})\n\n"
                    f"*Figure {number} (claim {number}): {caption}.*")
    return None


def write_pages(outcomes, out_dir, provenance, front, section, provenance_text, title):
    """Write every page; ``front``, ``section`` and ``provenance_text`` make their Markdown.

    front(outcomes, out_dir, provenance) -> str; section(number, outcome) -> str;
    provenance_text() -> str. Returns the front page's path.
    """
    out_dir = Path(out_dir)
    clear_generated(out_dir)
    twins = {f"claims/{o.id}" for o in outcomes} | {"provenance", "explain"}
    for i, o in enumerate(outcomes):
        markdown = claim_page(i, outcomes, out_dir, provenance, section(i + 1, o))
        warn_over_budget(claim_page_link(o), markdown, "claim")
        write_page(out_dir, claim_page_link(o), markdown, o.claim.get("title", o.id), twins)
    back = "[← all claims](README.md)"
    write_page(out_dir, "provenance.md", back + "\n\n" + demote(provenance_text()) + "\n",
               "Provenance", twins)
    write_page(out_dir, "explain.md", back + "\n\n" + explain_markdown(
        walkthrough(), command="expressivity explain"), "The essay's example, with numbers", twins)
    markdown = fit_tables(front(outcomes, out_dir, provenance), csv_dir=out_dir / "data" / "tables",
                          csv_prefix="data/tables/", name="summary") + "\n"
    warn_over_budget("README.md", markdown, "front", len(outcomes))
    return write_page(out_dir, "README.md", markdown, title, twins)


def clear_generated(out_dir):
    """Remove the claim pages and split-off tables of an earlier report in ``out_dir``."""
    for pattern in ("claims/*.md", "claims/*.html", "data/tables/*.csv"):
        for path in Path(out_dir).glob(pattern):
            path.unlink()


def summary_rows(outcomes):
    """(#, claim link, exists, training finds, overall, rule version, seed block) per claim:
    the outcome words of confirmatory verdicts only (the claim page has the exploratory ones)."""
    return [(i, f"[{o.claim.get('title', o.id)}]({claim_page_link(o)})",
             o.finding.exists.verdict, o.finding.training.verdict, f"**{o.finding.verdict}**",
             *_basis(o.finding)) for i, o in enumerate(outcomes, 1)]


def _basis(finding):
    """('exists v1; training v3', 'exists construction; training 0'): the rule version and seed
    block of each side the summary shows ('—' for a side awaiting confirmation)."""
    chosen = {p: c for p, c in (getattr(finding, "chosen", None) or {}).items()}
    versions = "; ".join(f"{p} {c.version.version if c else '—'}" for p, c in chosen.items())
    blocks = "; ".join(f"{p} {c.block if c else '—'}" for p, c in chosen.items())
    return versions or "—", blocks or "—"


def summary_table(outcomes):
    return table(("#", "claim", "exists", "training finds", "overall", "rule version", "seed block"),
                 summary_rows(outcomes))


def gallery(outcomes, out_dir):
    """Every claim's headline figure, one after another at full text width, with captions."""
    items = [headline_figure(i, o, out_dir) for i, o in enumerate(outcomes, 1)]
    return "\n\n".join(i for i in items if i) or "No figures were written."
