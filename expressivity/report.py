"""Assemble the published report: ``reports/README.md`` and ``reports/index.html``.

``write_report(outcomes, out_dir, provenance)`` writes, in this order: a title
and a summary table (claim, title, verdict, its deciding numbers); one section
per claim (statement, setup with the commands that re-run it, the decision
rule as written before the run, what was found, figures, tables, verdict with
every deciding number, caveats); and provenance. The summary shows the first
two entries of ``Finding.numbers``, so a claim lists its deciding numbers first.

Figures of claim ``<id>`` are looked for in ``out_dir/figures/<id>/`` and
linked relative to the report, so the folder can be moved or published as is.
"""
import math
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import OmegaConf

from .html import markdown_to_html
from .mdtext import cell, format_number, slug, table
from .nonfinite import provenance_lines

TITLE = "Does the essay hold up? Its claims, tested"
# Keys of the claim block shown as prose; every other key is one of the rule's numbers.
PROSE_KEYS = ("id", "title", "statement", "rule", "sweeps")
VERDICT_MEANING = {
    "supported": "the data meet the rule's condition for the claim",
    "refuted": "the data meet the rule's condition against the claim",
    "mixed": "the claim holds in some conditions and not in others",
    "inconclusive": "the data could not decide, or the analysis or a sweep failed "
                    "(the claim's section says which)",
}
VERSION_ORDER = ("python", "numpy", "pandas", "hydra", "scikit-learn", "seaborn", "matplotlib")


@dataclass
class ClaimOutcome:
    """Everything the report shows about one claim.

    claim : the ``claim:`` block of expressivity/conf/experiment/<id>.yaml (plain dict)
    finding : the claim's ``Finding``
    sweeps : {sweep name: status text, e.g. "finished", "failed (exit 1)", "missing"}
    jobs, cached, unreadable : records read, of them served by the run cache, records not readable
    seconds : wall time spent on the claim (its sweeps and its analysis)
    data : {sweep name: {table name: path relative to the report}}
    omitted : {path relative to the report: bytes} of tables left out to keep the report small
    error : why the claim is inconclusive when its analysis raised or a sweep failed
    """
    claim: dict
    finding: object
    sweeps: dict = field(default_factory=dict)
    jobs: int = 0
    cached: int = 0
    unreadable: int = 0
    seconds: float = math.nan
    data: dict = field(default_factory=dict)
    omitted: dict = field(default_factory=dict)
    error: str = None

    @property
    def id(self):
        return self.claim.get("id", self.finding.claim_id)

    @property
    def heading(self):
        return f"{self.claim.get('title', self.id)} (`{self.id}`)"


def write_report(outcomes, out_dir, provenance):
    """Write ``out_dir/README.md`` and ``out_dir/index.html``; return the README path.

    Parameters
    ----------
    outcomes : list of ClaimOutcome, in report order
    out_dir : the report folder (figures in ``figures/<id>/``, data in ``data/``)
    provenance : dict with ``profile``, ``command``, ``generated``, ``git_commit``,
        ``versions`` ({package: version}), ``total_seconds``, ``runs`` and
        ``problems`` ([(path, reason)] of unreadable records); missing keys show as —
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown = render_report(outcomes, out_dir, provenance)
    (out_dir / "README.md").write_text(markdown)
    (out_dir / "index.html").write_text(markdown_to_html(markdown, TITLE))
    return out_dir / "README.md"


def render_report(outcomes, out_dir, provenance):
    """The whole report as Markdown text."""
    parts = [header(outcomes, out_dir, provenance)]
    parts += [claim_section(i, o, out_dir, provenance) for i, o in enumerate(outcomes, 1)]
    parts.append(provenance_section(outcomes, out_dir, provenance))
    return "\n\n".join(parts) + "\n"


def section_title(number, outcome):
    return f"{number}. {outcome.heading}"


def deciding(numbers, count=2):
    """The first ``count`` deciding numbers as 'name = value; …'."""
    first = list(numbers.items())[:count]
    return "; ".join(f"{name} = {format_number(value)}" for name, value in first) or "—"


def claim_summary(claim):
    """'**Title**: statement' for the summary table (either part may be missing)."""
    title, statement = claim.get("title"), claim.get("statement")
    return ": ".join(x for x in (f"**{title}**" if title else None,
                                 " ".join(str(statement).split()) if statement else None) if x)


def header(outcomes, out_dir, p):
    profile = p.get("profile", "—")
    rows = [(i, f"[{o.id}](#{slug(section_title(i, o))})", claim_summary(o.claim),
             f"**{o.finding.verdict}**", deciding(o.finding.numbers))
            for i, o in enumerate(outcomes, 1)]
    summary = table(("#", "claim", "what it says (our words)", "verdict", "deciding numbers"), rows)
    legend = "\n".join(f"- **{v}**: {m}" for v, m in VERDICT_MEANING.items())
    lines = [
        f"# {TITLE}",
        "This report puts the claims of the essay *A Simple Introduction to Neural Networks* "
        "(LessWrong, 2020) and of the theory behind it to the test on small feed-forward "
        "networks. Each verdict is computed from the data by a decision rule written into "
        "`expressivity/conf/experiment/<claim>.yaml` before the run.",
        f"Profile `{profile}`; generated {p.get('generated', '—')} from commit "
        f"`{short(p.get('git_commit'))}` by `{p.get('command', '—')}`.",
        "## Summary",
        summary if outcomes else "No claim was analysed (none is registered or selected).",
        "Verdicts:\n\n" + legend,
        f"Re-run everything with `expressivity reproduce --profile {profile}` "
        "(add `--jobs 2` to use two cores); each section gives the commands for one claim.",
    ]
    if (out_dir / "performance.md").exists():
        lines.append("How fast the harness runs: [performance.md](performance.md).")
    return "\n\n".join(lines)


def claim_section(number, o, out_dir, p):
    f, claim = o.finding, o.claim
    parts = [f"## {section_title(number, o)}",
             f"**Verdict: {f.verdict}** ({deciding(f.numbers)})",
             "### Claim", str(claim.get("statement", "(no statement in the claim block)")).strip(),
             "### Setup", setup_text(o, p), "### Decision rule (written before the run)",
             rule_text(claim), "### Result", f.text.strip() or "(no text)"]
    if o.error:
        parts.append("The analysis did not complete:\n\n```text\n" + o.error.strip() + "\n```")
    parts += [figure_markdown(o.id, name, out_dir) for name in f.figures]
    parts += [t.strip() for t in f.tables]
    parts += ["### Verdict", f"**{f.verdict}**: {VERDICT_MEANING[f.verdict]}."]
    if f.numbers:
        parts.append(table(("number", "value"),
                           [(f"`{k}`", format_number(v, 6)) for k, v in f.numbers.items()]))
    if f.caveats:
        parts += ["### Caveats", "\n".join(f"- {cell(c)}" for c in f.caveats)]
    return "\n\n".join(parts)


def setup_text(o, p):
    profile = p.get("profile", "quick")
    if not o.sweeps:
        runs = ("No sweep: this claim is settled by explicit constructions and exact counts "
                f"in `expressivity/claims/{o.id}.py`.")
    else:
        listed = ", ".join(f"`{s}` {status}" for s, status in o.sweeps.items())
        runs = (f"Sweep{'s' if len(o.sweeps) > 1 else ''} {listed}: {o.jobs} job records read "
                f"({o.cached} served by the run cache), {o.unreadable} unreadable. "
                f"Grids are in `expressivity/conf/experiment/<sweep>.yaml`; `reproduce` writes each sweep to "
                f"`{p.get('runs', 'runs/' + profile)}/<sweep>/`.")
    commands = [f"python -m expressivity -m +experiment={s} profile={profile}" for s in o.sweeps]
    commands.append(f"expressivity reproduce --claims {o.id} --profile {profile}")
    text = runs + "\n\nRe-run:\n\n```bash\n" + "\n".join(commands) + "\n```"
    links = [f"[{s}/{name}]({path})" for s, tables in o.data.items()
             for name, path in tables.items() if path]
    if links:
        text += "\n\nData: " + " · ".join(links)
    if o.omitted:
        runs = p.get("runs", "runs/" + profile)
        left_out = ", ".join(f"`{path}` ({size / 1e6:.1f} MB)" for path, size in o.omitted.items())
        text += (f"\n\nLeft out of the report folder to keep it small: {left_out}. Rebuild with "
                 f"`expressivity collect {runs}/<sweep> --out <folder>`.")
    return text


def rule_text(claim):
    rule = claim.get("rule", "(no rule in the claim block)")
    text = str(rule).strip() if not isinstance(rule, dict) else yaml_block(rule)
    numbers = {k: v for k, v in claim.items() if k not in PROSE_KEYS}
    if numbers:
        text += "\n\nThe rule's numbers, as written:\n\n" + yaml_block(numbers)
    return text


def yaml_block(data):
    return "```yaml\n" + OmegaConf.to_yaml(OmegaConf.create(data)).strip() + "\n```"


def figure_markdown(claim_id, name, out_dir):
    relative = f"figures/{claim_id}/{name}"
    if not (out_dir / relative).exists():
        return f"*(figure `{name}` was not written)*"
    return f"![{Path(name).stem.replace('_', ' ')}]({relative})"


def short(commit):
    """The first 12 hex digits of a commit, keeping a '+ uncommitted changes' note."""
    return commit[:12] + commit[40:] if commit else "unknown"


def seconds_text(seconds):
    return "—" if seconds is None or math.isnan(seconds) else f"{seconds:.1f}"


def provenance_section(outcomes, out_dir, p):
    versions = p.get("versions", {})
    names = [n for n in VERSION_ORDER if n in versions] + sorted(set(versions) - set(VERSION_ORDER))
    times = [(o.id, seconds_text(o.seconds)) for o in outcomes]
    times.append(("**total**", seconds_text(p.get("total_seconds"))))
    problems = p.get("problems", [])
    parts = [
        "## Provenance",
        f"- Code: git commit `{p.get('git_commit') or 'unknown'}`\n"
        f"- Profile: `{p.get('profile', '—')}`; sweep folders under `{p.get('runs', '—')}`\n"
        f"- Command: `{p.get('command', '—')}`; generated {p.get('generated', '—')}\n"
        f"- Job records: {sum(o.jobs for o in outcomes)} read, "
        f"{sum(o.cached for o in outcomes)} of them served by the run cache "
        "(computed earlier from the same config hash)",
        "Package versions:", table(("package", "version"), [(n, versions[n]) for n in names]),
        "Wall time per claim (seconds; sweeps and analysis):", table(("claim", "seconds"), times),
        f"Unreadable records: {len(problems)}.", provenance_lines(p.get("nonfinite", []))]
    if problems:
        parts.append("\n".join(f"- `{path}`: {cell(reason)}" for path, reason in problems))
    if (out_dir / "performance.md").exists():
        parts.append("Performance measurements: [performance.md](performance.md).")
    return "\n\n".join(parts)
