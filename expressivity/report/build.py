"""Assemble the published report: a front page, one page per claim, provenance.

``write_report(outcomes, out_dir, provenance)`` writes (``report_pages``), each as
Markdown and HTML: ``README.md``/``index.html``, a short front page for a student
(``report_front``: per claim one line -- what the essay says, what we found, the
deciding number in words with its unit, made by ``report_lines`` from the claim file
and its ``Finding`` --, the table of outcome words, one full-width headline figure
per claim with its caption); ``claims/<id>.md``/``.html``, one page per claim (that
line and the verdict's reason, statement, setup with the commands that re-run it,
the decision rule as numbered steps with its numbers written in (identifiers in a
collapsed block) and its history, what was found, figures with captions, tables,
each verdict with its deciding numbers in words with units, the verdicts under
earlier rules, caveats); ``provenance.md``; and ``explain.md``, the essay's example
with concrete numbers. The lines show the first entry of each side's
``Decision.numbers``, so a claim lists its deciding numbers first.

Figures of claim ``<id>`` are looked for in ``out_dir/figures/<id>/`` and
linked relative to the pages, so the folder can be moved or published as is.
"""
import math
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import OmegaConf

from expressivity.claims.contract import PART_TITLES, PARTS
from expressivity.report.mdtext import cell, table
from expressivity.claims.registry import PROSE_KEYS
from expressivity.report.front import front_page
from expressivity.report.lines import (SIDE_MEANS, details, figure_caption, result_basis,
                                       identifiers_in_words, reader_line, rule_steps,
                                       verdict_reason, without_internal_refs)
from expressivity.report.pages import write_pages
from expressivity.report.words import OVERALL_RULE, TITLE, VERDICT_MEANING, short  # noqa: F401
from expressivity.report.wording import labelled_rows, say
from expressivity.storage.nonfinite import provenance_lines

VERSION_ORDER = ("python", "numpy", "pandas", "hydra", "scikit-learn", "seaborn", "matplotlib")


@dataclass
class ClaimOutcome:
    """Everything the report shows about one claim.

    claim : the claim file expressivity/claims/<id>/claim.yaml (plain dict)
    finding : the claim's ``Finding``
    sweeps : {sweep name: status text, e.g. "finished", "failed (exit 1)", "missing"}
    jobs, cached, unreadable : records read, of them served by the run cache, records not readable
    seconds : wall time spent on the claim (its sweeps and its analysis)
    job_seconds : compute time its job records say they took (cached records included)
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
    job_seconds: float = math.nan
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
    return write_pages(outcomes, out_dir, provenance, front=front_page,
                       section=lambda number, o: claim_section(number, o, out_dir, provenance),
                       provenance_text=lambda: provenance_section(outcomes, out_dir, provenance),
                       title=TITLE)


def section_title(number, outcome):
    return f"{number}. {outcome.heading}"


def deciding(numbers, labels=None, count=2):
    """The first ``count`` deciding numbers in words with their units, '; '-separated."""
    first = list(numbers.items())[:count]
    return "; ".join(say(name, value, labels) for name, value in first) or "—"


def claim_summary(claim):
    """'**Title**: statement' for the summary table (either part may be missing)."""
    title, statement = claim.get("title"), claim.get("statement")
    return ": ".join(x for x in (f"**{title}**" if title else None,
                                 " ".join(str(statement).split()) if statement else None) if x)


def claim_section(number, o, out_dir, p):
    """One claim's section: its reader line and verdict first, then claim, setup, rule
    (as steps), result, figures with captions, tables, each verdict's reason, caveats."""
    f, claim = o.finding, o.claim
    parts = [f"## {section_title(number, o)}", reader_line(o, named=False),
             f"**Verdict: {f.verdict}**: {verdict_reason(f)}.",
             "### Claim", str(claim.get("statement", "(no statement in the claim file)")).strip(),
             "### Setup", setup_text(o, p), "### Decision rule (written before the run)",
             rule_text(claim), "### Result"]
    parts += [line for line in (result_basis(f),) if line]
    parts.append(without_internal_refs(f.text.strip()) or "(no text)")
    if o.error:
        parts.append("The analysis did not complete:\n\n```text\n" + o.error.strip() + "\n```")
    parts += [figure_markdown(o.id, name, out_dir, k, f.captions)
              for k, name in enumerate(f.figures, 1)]
    parts += [without_internal_refs(t.strip()) for t in f.tables]
    parts += ["### Verdict"]
    for part in PARTS:
        parts += decision_lines(f"{PART_TITLES[part]} ({f.basis(part)})", f.decision(part), f.labels)
    parts += versions_block(f)
    if f.caveats:
        parts += ["### Caveats",
                  "\n".join(f"- {cell(without_internal_refs(str(c)))}" for c in f.caveats)]
    return "\n\n".join(parts)


def versions_block(f):
    """Every rule version's verdict on every seed block as one table (confirmatory ones reach
    the summary; exploratory ones are labelled so), each one's deciding numbers collapsed."""
    if not f.registered:
        return []
    intro = ("Every rule version's verdict; only confirmatory ones (rule registered before its "
             "seed block first ran) reach the summary, exploratory ones are labelled so:")
    if not f.versions:
        return [intro] + [line for label, decision in f.registered.items()
                          for line in decision_lines(label, decision, f.labels)]
    rows = [(PART_TITLES.get(v.version.part, v.version.part),
             f"{v.version.version}{' (current)' if v.version.current else ''}, "
             f"{v.version.registered.strftime('%Y-%m-%d %H:%M')}", v.block, v.status,
             f"**{v.decision.verdict}**" if v.confirmatory else v.decision.verdict)
            for v in f.versions]
    numbers = "\n\n".join(line for label, decision in f.registered.items()
                           for line in decision_lines(label, decision, f.labels))
    return [intro, table(("side", "rule, registered (UTC)", "seed block", "status", "verdict"), rows),
            details("Each version's deciding numbers", numbers)]


def decision_lines(label, decision, labels=None):
    """'**label: verdict**', what it means for the claim with its first deciding numbers in
    words, the sensitivity and budget lines of a verdict resting on bounds, and the table of
    all its deciding numbers with units."""
    said = deciding(decision.numbers, labels) if decision.numbers else ""
    lines = [f"**{label}: {decision.verdict}**: {SIDE_MEANS[decision.verdict]}"
             + (f", decided by {said}." if said else ".")]
    if decision.sensitivity:
        lines.append(f"Sensitivity: with every budget-bound number counted against the claim, the "
                     f"rule says **{decision.sensitivity}**.")
    if decision.budget:
        lines.append("Budget: " + "; ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}"
                                            for k, v in decision.budget.items()) + ".")
    if decision.numbers:
        lines.append(table(("deciding number", "value"),
                           labelled_rows(decision.numbers, labels, digits=6)))
    return lines


def setup_text(o, p):
    profile = p.get("profile", "quick")
    if not o.sweeps:
        runs = ("No sweep: this claim is settled by explicit constructions and exact counts "
                f"in `expressivity/claims/{o.id}.py`.")
    else:
        listed = ", ".join(f"`{s}` {status}" for s, status in o.sweeps.items())
        runs = (f"Sweep{'s' if len(o.sweeps) > 1 else ''} {listed}: {o.jobs} job records read "
                f"({o.cached} served by the run cache), {o.unreadable} unreadable. "
                f"Grids are in `experiments/<sweep>.yaml`; `reproduce` writes each "
                f"sweep to "
                f"`{p.get('runs', 'runs/' + profile)}/<sweep>/`.")
    commands = [f"python -m expressivity -m +experiment={s} profile={profile}" for s in o.sweeps]
    commands.append(f"expressivity reproduce --claims {o.id} --profile {profile}")
    text = runs + "\n\nRe-run:\n\n```bash\n" + "\n".join(commands) + "\n```"
    links = [f"[{s}/{name}]({path})" for s, tables in o.data.items()
             for name, path in tables.items() if path]
    if links:   # a list of file names, one click away
        text += "\n\n" + details(f"The data behind this page ({len(links)} tables)", " · ".join(links))
    if o.omitted:
        runs = p.get("runs", "runs/" + profile)
        left_out = ", ".join(f"`{path}` ({size / 1e6:.1f} MB)" for path, size in o.omitted.items())
        text += (f"\n\nLeft out of the report folder to keep it small: {left_out}. Rebuild with "
                 f"`expressivity collect {runs}/<sweep> --out <folder>`.")
    return text


def rule_text(claim):
    """The rule as numbered steps in words (each rule number's value in place of its name),
    what we expected, the changes made after data was seen; the identifiers the code reads
    (the rule's numbers by name, the earlier rules kept as functions) in a collapsed block."""
    rule = claim.get("rule", "(no rule in the claim file)")
    numbers = {k: v for k, v in claim.items() if k not in PROSE_KEYS}
    text = rule_steps(without_internal_refs(" ".join(str(rule).split())), numbers) \
        if not isinstance(rule, dict) else yaml_block(rule)
    if claim.get("rule_earlier"):   # earlier versions still computed: their text collapsed
        text += "\n\n" + details(
            "Earlier rule versions, still computed (their verdicts are listed under Verdict)",
            rule_steps(without_internal_refs(" ".join(str(claim["rule_earlier"]).split())), numbers))
    if claim.get("expect"):   # a long expectation (the literature) is collapsed
        expect = without_internal_refs(" ".join(str(claim["expect"]).split()))
        text += "\n\n" + (f"What we expected beforehand: {expect}" if len(expect.split()) <= 60
                           else details("What we expected beforehand, from the literature", expect))
    history = claim.get("rule_history") or []
    if history:   # the count in view; each change's story collapsed below (the Verdict
        # section lists every rule version's verdict, exploratory ones labelled)
        text += (f"\n\nThe rule or its settings changed {len(history)} time(s) after data was "
                 "seen; every rule version's verdict is listed under Verdict.")
    kept = [f"- {entry.get('part', 'training')} under an earlier rule: `{entry['decide']}`"
            for entry in history if isinstance(entry, dict) and "decide" in entry]
    if numbers or kept:
        inner = ("The rule's numbers, as written:\n\n" + yaml_block(numbers)) if numbers else ""
        if kept:
            inner += "\n\nEarlier rules kept as functions (`rule_history`):\n\n" + "\n".join(kept)
        text += "\n\n" + details("The rule's numbers and functions by name", inner)
    if history:
        text += "\n\n" + details(f"The {len(history)} change(s) after data was seen, in order",
                                  "\n".join(f"- {history_line(entry)}" for entry in history))
    return text


def history_line(entry):
    """One ``rule_history`` entry as a line: its note, and whether its verdict is shown."""
    note = entry.get("note", "") if isinstance(entry, dict) else entry
    kept = (f" (the {entry.get('part', 'training')} verdict under that earlier rule is shown "
            "below)") if isinstance(entry, dict) and "decide" in entry else ""
    return identifiers_in_words(without_internal_refs(" ".join(str(note).split()))) + kept


def yaml_block(data):
    return "```yaml\n" + OmegaConf.to_yaml(OmegaConf.create(data)).strip() + "\n```"


def figure_markdown(claim_id, name, out_dir, number=1, captions=None):
    """A figure at full text width and its caption, what it shows and what to look at
    (``html`` makes the pair a <figure>)."""
    relative = f"figures/{claim_id}/{name}"
    if not (out_dir / relative).exists():
        return f"*(figure `{name}` was not written)*"
    alt = figure_caption(claim_id, name)
    caption = figure_caption(claim_id, name, captions)
    return f"![{alt}]({relative})\n\n*Figure {number}: {caption}" + \
        ("" if caption.endswith((".", "?", "!")) else ".") + "*"


def seconds_text(seconds):
    return "—" if seconds is None or math.isnan(seconds) else f"{seconds:.1f}"


def provenance_section(outcomes, out_dir, p):
    versions = p.get("versions", {})
    names = [n for n in VERSION_ORDER if n in versions] + sorted(set(versions) - set(VERSION_ORDER))
    times = [(o.id, seconds_text(o.seconds), seconds_text(o.job_seconds)) for o in outcomes]
    times.append(("**total**", seconds_text(p.get("total_seconds")),
                  seconds_text(sum(o.job_seconds for o in outcomes if not math.isnan(o.job_seconds)))))
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
        "Time per claim: wall time of this run (sweeps and analysis) and the compute its job records "
        "took when they were made (one job on one core each; records served by the cache count "
        "their original time):",
        table(("claim", "wall seconds, this run", "job seconds, as recorded"), times),
        f"Unreadable records: {len(problems)}.", provenance_lines(p.get("nonfinite", []))]
    if problems:
        parts.append("\n".join(f"- `{path}`: {cell(reason)}" for path, reason in problems))
    if (out_dir / "performance.md").exists():
        parts.append("Performance measurements: [performance.md](performance.md).")
    return "\n\n".join(parts)
