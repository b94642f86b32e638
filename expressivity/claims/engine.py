"""The claim engine: one claim's tables -> its two ``Decision``s -> the ``Finding``.

Every ``Finding`` is built here, once. The engine owns the guards a claim
module never repeats: a sweep that left no usable rows, a sweep that did
not finish (the verdicts are withheld: the rule was written for the whole
grid), and a module that raises (``failed_finding``). It also runs the
registered ``decide`` functions named in ``rule_history`` so the report
shows the verdict under each earlier rule beside the current one.
"""
from expressivity.claims.contract import NOT_TESTED, NOT_TESTED_DECISION, PARTS, Decision, Finding, \
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


def registered_decisions(claim, module, evidence, rule):
    """{"<part> under an earlier rule (<function>)": Decision} for ``rule_history`` entries naming
    a registered ``decide`` function; a named function the module lacks is an error."""
    out = {}
    for entry in claim.meta.get("rule_history") or []:
        if not isinstance(entry, dict) or "decide" not in entry:
            continue
        name, part = entry["decide"], entry.get("part", "training")
        if part not in PARTS:
            raise ValueError(f"claim {claim.id}: rule_history part={part!r} is not allowed; "
                             f"allowed: {', '.join(PARTS)}")
        function = getattr(module, name, None)
        if not callable(function):
            raise ValueError(f"claim {claim.id}: rule_history decide={name!r} is not allowed; "
                             f"allowed: a function of {claim.id}.py")
        out[f"{part} under an earlier rule (`{name}`)"] = function(evidence, rule)
    return out


def evaluate(claim, results, figures_dir, unfinished=None):
    """The ``Finding`` of one ``Claim`` from its ``Results``; figures go to ``figures_dir``.

    ``unfinished`` ({sweep: reason}) lists sweeps that did not complete: the analysis
    still runs on what there is, but every tested side is withheld (inconclusive).
    """
    module, rule = claim.module(), claim.rule()
    parts = tested_parts(module)
    gap = data_gap(claim, module, results)
    if gap is not None:
        undecided = {p: Decision("inconclusive") if p in parts else NOT_TESTED_DECISION for p in PARTS}
        return Finding(claim.id, undecided["exists"], undecided["training"],
                       gap + " Verdict: **inconclusive**.", caveats=_unfinished(unfinished, "found no data"))
    evidence = module.evidence(results, rule)
    decisions = {part: _decide(module, part, evidence, rule) for part in PARTS}
    registered = registered_decisions(claim, module, evidence, rule)
    figures = list(module.figures(evidence, rule, FigureWriter(figures_dir)) or [])
    text = module.text(evidence, decisions, rule)
    tables = list(module.tables(evidence)) if hasattr(module, "tables") else []
    caveats = list(module.caveats(evidence, decisions)) if hasattr(module, "caveats") else []
    if unfinished:   # the rule was written for the whole grid: withhold, say what it said
        caveats += _unfinished(unfinished, f"returned `{overall(*decisions.values())}`")
        decisions = {p: _withheld(d, p in parts) for p, d in decisions.items()}
    return Finding(claim.id, decisions["exists"], decisions["training"], text, figures, tables,
                   caveats, registered, labels=dict(getattr(module, "NUMBER_LABELS", {})))


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
