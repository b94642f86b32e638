"""The claim engine: one claim's tables -> its two ``Decision``s -> the ``Finding``.

Every ``Finding`` is built here, once. The engine owns the guards a claim
module never repeats: a sweep that left no usable rows, a sweep that did
not finish (the verdicts are withheld: the rule was written for the whole
grid), and a module that raises (``failed_finding``). It also runs the
registered ``decide`` functions named in ``rule_history`` so the report
shows the verdict under each earlier rule beside the current one, on each
evaluation seed block the data holds, and labels each verdict confirmatory
or exploratory (``claims.confirmation``); the ``Finding``'s two sides are the
summary's: confirmatory verdicts only.
"""
from dataclasses import replace

from expressivity.claims.confirmation import VersionVerdict, first_run, part_block, read_ledger, \
    rule_versions, summarise
from expressivity.claims.contract import NOT_TESTED, NOT_TESTED_DECISION, PARTS, VERIFIED, Decision, Finding, \
    overall
from expressivity.claims.plots import FigureWriter


def tested_parts(module):
    """The sides a claim module decides: those it defines ``decide_<part>`` for."""
    return [part for part in PARTS if callable(getattr(module, f"decide_{part}", None))]


def data_gap(claim, module, results):
    """Why the claim's sweeps give nothing to analyse, or None (claims without sweeps never gap)."""
    if not claim.sweeps:
        return None
    members, jobs = results.members, results.jobs
    if members.empty and jobs.empty:
        return (f"The {', '.join(claim.sweeps)} sweep(s) left no records "
                f"({len(results.problems)} unreadable), so the rule could not be applied.")
    absent = [c for c in getattr(module, "COLUMNS", ()) if c not in members.columns] + \
        [c for c in getattr(module, "JOB_COLUMNS", ()) if c not in jobs.columns]
    if absent:
        return (f"The records of {', '.join(claim.sweeps)} lack the columns {absent} the "
                "analysis reads, so the rule could not be applied.")
    return None


def _withheld(decision, tested):
    """The decision turned inconclusive (numbers kept) when the side is tested."""
    if not tested or decision.verdict == NOT_TESTED:
        return decision
    return Decision("inconclusive", decision.numbers)


def _decide(module, part, evidence, rule):
    function = getattr(module, f"decide_{part}", None)
    if function is None:
        return NOT_TESTED_DECISION
    decision = function(evidence, rule)
    if not isinstance(decision, Decision):
        raise TypeError(f"decide_{part} returned {type(decision).__name__}, not a Decision")
    return decision


def training_blocks(results):
    """The evaluation seed blocks of the training records, in order ([] for none). Training
    rows without a block (tables not read from records) are block ``unknown``: not in the
    ledger, so exploratory."""
    members = results.members
    if members.empty:
        return []
    if "seed_block" not in members:
        return ["unknown"]
    return sorted({int(b) for b in members["seed_block"].dropna().unique()}) or ["unknown"]


def block_results(results, block):
    """``results`` with only the training records of ``block`` (construction rows kept)."""
    def keep(frame):
        if "seed_block" not in frame:
            return frame
        return frame[frame["seed_block"].isna() | (frame["seed_block"] == block)]
    return replace(results, members=keep(results.members), curves=keep(results.curves),
                   jobs=keep(results.jobs))


def worded(module, part, decision):
    """The decision in the outcome word of its kind of evidence: a part the module lists in
    ``VERIFIED`` (constructions and exact computations, which only a bug can fail) says
    ``verified`` where its rule says supported; every other word is the rule's own."""
    if decision.verdict == "supported" and part in getattr(module, "VERIFIED", ()):
        return replace(decision, verdict=VERIFIED)
    return decision


def _apply(claim, module, version, evidence, rule):
    function = getattr(module, version.decide, None)
    if not callable(function):
        raise ValueError(f"claim {claim.id}: rule_history decide={version.decide!r} is not "
                         f"allowed; allowed: a function of {claim.id}.py")
    decision = function(evidence, rule)
    if not isinstance(decision, Decision):
        raise TypeError(f"{version.decide} returned {type(decision).__name__}, not a Decision")
    return decision


def version_verdicts(claim, module, results, rule, parts, ledger=None):
    """(every ``VersionVerdict``, the evidence and current decisions of the newest block).

    Each rule version (``rule_versions``) is applied to each training seed block's data
    separately (constructions go with every block); its first run is the ledger's for the
    block the part rests on (``part_block``), None when the block is not declared."""
    ledger = read_ledger() if ledger is None else ledger
    versions = rule_versions(claim.id, claim.meta, parts)
    blocks = training_blocks(results)
    verdicts, evidence, current = [], None, {}
    for block in blocks or [None]:
        data = results if len(blocks) <= 1 else block_results(results, block)   # pragma: no branch
        evidence = module.evidence(data, rule)
        current = {part: worded(module, part, _decide(module, part, evidence, rule)) for part in PARTS}
        for version in versions:
            decision = current[version.part] if version.current else \
                worded(module, version.part, _apply(claim, module, version, evidence, rule))
            where = part_block(version.part, block, block is not None)
            verdicts.append(VersionVerdict(version, where, first_run(ledger, where, claim.sweeps),
                                           decision))
    return verdicts, evidence, current


def figure_captions(meta):
    """{figure file name: (what it shows, what to look at)} from the claim file's ``captions``."""
    return {name: (c, "") if isinstance(c, str) else (str(c.get("shows", "")), str(c.get("look", "")))
            for name, c in dict(meta.get("captions") or {}).items()}


def registered_decisions(verdicts):
    """{label: Decision} of every version's verdict, each labelled confirmatory or exploratory."""
    return {v.label: v.decision for v in verdicts}


def evaluate(claim, results, figures_dir, unfinished=None, ledger=None):
    """The ``Finding`` of one ``Claim`` from its ``Results``; figures go to ``figures_dir``.

    ``unfinished`` ({sweep: reason}) lists sweeps that did not complete: the analysis
    still runs on what there is, but every tested side is withheld (inconclusive).
    ``ledger`` (``confirmation.read_ledger``) defaults to ``claims/seed_blocks.py``.
    The Finding's two sides are the summary's (confirmatory verdicts only); ``current``
    holds the current rule's decisions on the newest block, ``versions`` every verdict.
    """
    module, rule = claim.module(), claim.rule()
    parts = tested_parts(module)
    gap = data_gap(claim, module, results)
    if gap is not None:
        rule_versions(claim.id, claim.meta, parts)   # a claim file without registrations stops here too
        undecided = {p: Decision("inconclusive") if p in parts else NOT_TESTED_DECISION for p in PARTS}
        return Finding(claim.id, undecided["exists"], undecided["training"],
                       gap + " Verdict: **inconclusive**.", caveats=_unfinished(unfinished, "found no data"),
                       current=undecided)
    verdicts, evidence, decisions = version_verdicts(claim, module, results, rule, parts, ledger)
    summary = summarise(verdicts, parts)
    figures = list(module.figures(evidence, rule, FigureWriter(figures_dir)) or [])
    text = module.text(evidence, decisions, rule)
    tables = list(module.tables(evidence)) if hasattr(module, "tables") else []
    caveats = list(module.caveats(evidence, decisions)) if hasattr(module, "caveats") else []
    shown = {p: summary[p][0] if p in summary else NOT_TESTED_DECISION for p in PARTS}
    if unfinished:   # the rule was written for the whole grid: withhold, say what it said
        caveats += _unfinished(unfinished, f"returned `{overall(*shown.values())}`")
        shown = {p: _withheld(d, p in parts) for p, d in shown.items()}
    return Finding(claim.id, shown["exists"], shown["training"], text, figures, tables,
                   caveats, registered_decisions(verdicts),
                   labels=dict(getattr(module, "NUMBER_LABELS", {})),
                   captions=figure_captions(claim.meta), current=decisions,
                   versions=verdicts, chosen={p: summary[p][1] for p in summary})


def _unfinished(unfinished, said):
    """The caveat of a claim whose sweeps did not all complete (none when they did)."""
    if not unfinished:
        return []
    return [f"Sweep(s) {', '.join(unfinished)} did not complete, so the verdict is withheld; "
            f"on the partial data the analysis {said}."]


def failed_finding(claim, error, unfinished=None):
    """The Finding of a claim whose module could not be read or raised: every side inconclusive."""
    return Finding(claim.id, Decision("inconclusive"), Decision("inconclusive"),
                   f"Reading or analysing this claim raised `{type(error).__name__}`, so it has "
                   f"no verdict; the error is below.",
                   caveats=_unfinished(unfinished, "raised an error (below)"))
