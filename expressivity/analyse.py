"""Sweep folders -> every claim's ``Finding`` -> the report (``expressivity report``).

``analyse_claim`` reads a claim's sweep folders, writes their tables into
``<out>/data/<sweep>/``, clears and fills ``<out>/figures/<id>/`` and calls the
claim's ``analyse``. Nothing a claim does can stop the report: an analysis
that raises, a sweep that failed or is missing, all make the claim
``inconclusive`` with the reason shown in its section.
"""
import dataclasses
import shutil
import sys
import time
import traceback
from pathlib import Path

from .claims import Finding
from .collect import DATA_BUDGET_BYTES, over_budget, write_results
from .nonfinite import with_nonfinite_caveat
from .provenance import report_provenance
from .registry import check_profile, claim_block, claim_module, default_registry, select_claims, \
    sweep_names
from .report import ClaimOutcome, write_report
from .results import load_results

FINISHED = "finished"


def sweep_status(folder, run):
    """'finished', 'failed (exit N)' or 'missing', from a sweep folder and its ``SweepRun``."""
    if run is not None and not run.ok:
        return f"failed (exit {run.returncode})"
    return FINISHED if Path(folder).is_dir() else "missing"


class SweepData:
    """Each sweep folder read once and its tables written once, however many claims use it."""

    def __init__(self, runs_root, out_dir):
        self.runs_root, self.out_dir = Path(runs_root), Path(out_dir)
        self.loaded, self.written = {}, {}

    def results(self, sweep):
        if sweep not in self.loaded:
            self.loaded[sweep] = load_results([self.runs_root / sweep])
        return self.loaded[sweep]

    def tables(self, sweep):
        """{table name: path relative to the report} for the sweep's written tables."""
        if sweep not in self.written:
            paths = write_results(self.results(sweep), self.out_dir / "data" / sweep)
            self.written[sweep] = {name: p.relative_to(self.out_dir).as_posix()
                                   for name, p in paths.items() if p is not None}
        return self.written[sweep]


def run_analysis(module, results, claim, figures_dir):
    """The claim's ``Finding``; raises TypeError if ``analyse`` returns anything else."""
    finding = module.analyse(results, claim, figures_dir)
    if not isinstance(finding, Finding):
        raise TypeError(f"analyse returned {type(finding).__name__}, not a Finding")
    return finding


def failed_finding(claim_id, error):
    return Finding(claim_id, "inconclusive", {}, f"Reading or analysing this claim raised "
                   f"`{type(error).__name__}`, so it has no verdict; the error is below.")


def analyse_claim(claim_id, registry, data, out_dir, config_dirs=(), sweep_runs=None):
    """Analyse one claim from its sweep folders; a ``ClaimOutcome`` (never raises)."""
    start, sweep_runs, error = time.monotonic(), sweep_runs or {}, None
    try:
        claim = claim_block(claim_id, config_dirs)
        sweeps = sweep_names(claim, claim_id)
    except Exception as problem:   # a broken claim block is this claim's problem only
        claim, sweeps, error = {"id": claim_id, "title": claim_id}, [], problem
    statuses = {s: sweep_status(data.runs_root / s, sweep_runs.get(s)) for s in sweeps}
    present = [s for s in sweeps if statuses[s] != "missing"]
    results = data.results(present[0]) if len(present) == 1 else \
        load_results([data.runs_root / s for s in present])
    figures_dir = Path(out_dir) / "figures" / claim_id
    shutil.rmtree(figures_dir, ignore_errors=True)   # no stale figures from an earlier run
    figures_dir.mkdir(parents=True)
    if error is None:
        try:
            finding = run_analysis(claim_module(registry, claim_id), results, claim, figures_dir)
        except Exception as problem:
            error = problem
        finally:
            close_figures()
    if error is not None:
        finding, error_text = failed_finding(claim_id, error), "".join(
            traceback.format_exception(error, limit=-3))
    else:
        error_text = None
    reasons = incomplete_reasons(claim_id, statuses, data.runs_root, sweep_runs)
    finding, error_text = mark_incomplete(finding, reasons, error_text)
    finding = with_nonfinite_caveat(finding, results)
    jobs = results.jobs
    return ClaimOutcome(
        claim=claim, finding=finding, sweeps=statuses, jobs=len(jobs),
        cached=int(jobs["cached"].sum()) if "cached" in jobs else 0,
        unreadable=len(results.problems), seconds=time.monotonic() - start,
        data={s: data.tables(s) for s in present}, error=error_text)


def incomplete_reasons(claim_id, statuses, runs_root, sweep_runs):
    """{sweep: why it is not usable} for every sweep that did not finish."""
    reasons = {}
    for sweep, status in statuses.items():
        run = sweep_runs.get(sweep)
        if status == "missing":
            reasons[sweep] = (f"sweep {sweep} missing: no folder {runs_root / sweep}; run it with "
                              f"`expressivity reproduce --claims {claim_id}`")
        elif status != FINISHED:
            tail = f":\n{run.stderr_tail}" if run is not None and run.stderr_tail else ""
            reasons[sweep] = f"sweep {sweep} {status}{tail}"
    return reasons


def mark_incomplete(finding, reasons, error_text):
    """A claim whose sweeps did not all finish gets no verdict: the rule was written for the
    whole grid. What the analysis said on the partial data is kept as a caveat."""
    if not reasons:
        return finding, error_text
    text = "\n\n".join(list(reasons.values()) + ([error_text] if error_text else []))
    said = "raised an error (below)" if error_text else f"returned `{finding.verdict}`"
    caveat = (f"Sweep(s) {', '.join(reasons)} did not complete, so the verdict is withheld; on "
              f"the partial data the analysis {said}.")
    finding = dataclasses.replace(finding, verdict="inconclusive",
                                  caveats=[*finding.caveats, caveat])
    return finding, text


def close_figures():
    """Close every open Matplotlib figure a claim left behind (memory grows otherwise)."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def keep_data_within(outcomes, out_dir, budget):
    """Delete the largest written tables until the rest fit in ``budget`` bytes; each outcome
    then links only what is left and lists what was left out (``omitted``)."""
    sizes = {path: (out_dir / path).stat().st_size
             for o in outcomes for tables in o.data.values() for path in tables.values()}
    dropped = over_budget(sizes, budget)
    for path in dropped:
        (out_dir / path).unlink()
    for o in outcomes:
        o.omitted = {p: sizes[p] for tables in o.data.values() for p in tables.values()
                     if p in dropped}
        o.data = {s: {name: p for name, p in tables.items() if p not in dropped}
                  for s, tables in o.data.items()}


def build_report(claim_ids, registry, runs_root, out_dir, profile, config_dirs=(), sweep_runs=None,
                 sweep_seconds=None, command=None, started=None, data_budget=DATA_BUDGET_BYTES):
    """Analyse ``claim_ids`` from ``runs_root/<sweep>`` folders; write the report into ``out_dir``.

    ``sweep_seconds`` ({claim id: seconds}) adds the time spent running a claim's sweeps;
    ``data_budget`` caps the bytes of tables written into ``out_dir/data``.
    Returns the list of ``ClaimOutcome``.
    """
    started = time.monotonic() if started is None else started
    data, outcomes = SweepData(runs_root, out_dir), []
    for claim_id in claim_ids:
        outcome = analyse_claim(claim_id, registry, data, out_dir, config_dirs, sweep_runs)
        outcome.seconds += (sweep_seconds or {}).get(claim_id, 0.0)
        outcomes.append(outcome)
    keep_data_within(outcomes, Path(out_dir), data_budget)
    problems = sorted({p for s in data.loaded.values() for p in s.problems})
    provenance = report_provenance(profile, runs_root, command, time.monotonic() - started,
                                   problems)
    provenance["nonfinite"] = sorted({x for s in data.loaded.values() for x in s.nonfinite})
    write_report(outcomes, out_dir, provenance)
    return outcomes


def report(runs=None, profile="quick", claims=None, out="reports", registry=None, config_dirs=(),
           stream=None, command=None):
    """``expressivity report``: write the report from existing sweep folders; 0, or 1 if any
    claim's analysis raised or its sweep folder is missing."""
    stream = stream if stream is not None else sys.stderr
    check_profile(profile)
    registry = default_registry() if registry is None else registry
    ids = select_claims(registry, claims)
    runs_root = Path(runs) if runs else Path("runs") / profile
    command = command or f"expressivity report --profile {profile}"
    outcomes = build_report(ids, registry, runs_root, Path(out), profile, config_dirs,
                            command=command)
    return print_summary(outcomes, Path(out), stream)


def print_summary(outcomes, out_dir, stream, failed_sweeps=()):
    """One line per claim, the failures, and where the report is; the exit code (0 or 1)."""
    for o in outcomes:
        print(f"  {o.id}: {o.finding.verdict}" + ("  (error: see report)" if o.error else ""),
              file=stream)
    broken = [o.id for o in outcomes if o.error]
    if failed_sweeps:
        print(f"{len(failed_sweeps)} sweep(s) failed: {', '.join(failed_sweeps)}", file=stream)
    if broken:
        print(f"{len(broken)} claim(s) without a verdict because of an error: {', '.join(broken)}",
              file=stream)
    print(f"report: {out_dir / 'README.md'}", file=stream)
    return 1 if broken or failed_sweeps else 0
