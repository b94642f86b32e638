"""Sweep folders -> every claim's ``Finding`` -> the report (``expressivity report``).

``analyse_claim`` reads a claim's sweep folders, writes their tables into
``<out>/data/<sweep>/``, clears ``<out>/figures/<id>/`` and hands the tables
to the engine (``expressivity.claims.engine.evaluate``), which builds the claim's
``Finding``. Nothing a claim does can stop the report: an analysis that
raises, a sweep that failed or is missing, all make the claim
``inconclusive`` with the reason shown in its section.
"""
import math
import shutil
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from expressivity.storage.collect import DATA_BUDGET_BYTES, over_budget, write_results
from expressivity.claims.engine import evaluate, failed_finding
from expressivity.storage.nonfinite import with_nonfinite_caveat
from expressivity.storage.provenance import report_provenance
from expressivity.claims.registry import check_profile, default_registry, select_claims
from expressivity.report.build import ClaimOutcome, write_report
from expressivity.report.pages import default_out
from expressivity.storage.results import load_results


@dataclass(frozen=True)
class SweepStatus:
    """How a sweep ended: ``state`` is "finished", "failed" or "missing"."""
    name: str
    state: str
    returncode: int = None
    stderr_tail: str = None

    @property
    def present(self):
        return self.state != "missing"

    def __str__(self):
        return f"failed (exit {self.returncode})" if self.state == "failed" else self.state


def sweep_status(name, folder, run):
    """The ``SweepStatus`` of a sweep from its folder and its ``SweepRun`` (None: not run now)."""
    if run is not None and not run.ok:
        return SweepStatus(name, "failed", run.returncode, run.stderr_tail)
    return SweepStatus(name, "finished" if Path(folder).is_dir() else "missing")


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

    def combined(self, sweeps):
        """The ``Results`` of the sweeps together (one sweep: its cached tables)."""
        if len(sweeps) == 1:
            return self.results(sweeps[0])
        return load_results([self.runs_root / s for s in sweeps])


def analyse_claim(claim, data, out_dir, sweep_runs=None):
    """Analyse one ``Claim`` from its sweep folders; a ``ClaimOutcome`` (never raises)."""
    start, sweep_runs, error = time.monotonic(), sweep_runs or {}, None
    try:
        sweeps = claim.sweeps
    except Exception as problem:   # a broken claim file is this claim's problem only
        sweeps, error = [], problem
    statuses = [sweep_status(s, data.runs_root / s, sweep_runs.get(s)) for s in sweeps]
    present = [s.name for s in statuses if s.present]
    results = data.combined(present)
    figures_dir = Path(out_dir) / "figures" / claim.id
    shutil.rmtree(figures_dir, ignore_errors=True)   # no stale figures from an earlier run
    figures_dir.mkdir(parents=True)
    unfinished = incomplete_reasons(claim.id, statuses, data.runs_root)
    finding, error_text = None, None
    if error is None:
        try:
            finding = evaluate(claim, results, figures_dir, unfinished)
        except Exception as problem:
            error = problem
        finally:
            close_figures()
    if error is not None:
        error_text = "".join(traceback.format_exception(error, limit=-3))
        finding = failed_finding(claim, error, unfinished)
    if unfinished:
        error_text = "\n\n".join(list(unfinished.values()) + ([error_text] if error_text else []))
    finding = with_nonfinite_caveat(finding, results)
    jobs = results.jobs
    return ClaimOutcome(
        claim=claim.meta, finding=finding, sweeps={s.name: str(s) for s in statuses},
        jobs=len(jobs), cached=int(jobs["cached"].sum()) if "cached" in jobs else 0,
        job_seconds=float(jobs["seconds"].sum()) if "seconds" in jobs else math.nan,
        unreadable=len(results.problems), seconds=time.monotonic() - start,
        data={s: data.tables(s) for s in present}, error=error_text)


def incomplete_reasons(claim_id, statuses, runs_root):
    """{sweep: why it is not usable} for every sweep that did not finish."""
    reasons = {}
    for status in statuses:
        if status.state == "missing":
            reasons[status.name] = (f"sweep {status.name} missing: no folder "
                                    f"{runs_root / status.name}; run it with "
                                    f"`expressivity reproduce --claims {claim_id}`")
        elif status.state == "failed":
            tail = f":\n{status.stderr_tail}" if status.stderr_tail else ""
            reasons[status.name] = f"sweep {status.name} {status}{tail}"
    return reasons


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


def build_report(claim_ids, registry, runs_root, out_dir, profile, sweep_runs=None,
                 sweep_seconds=None, command=None, started=None, data_budget=DATA_BUDGET_BYTES):
    """Analyse ``claim_ids`` from ``runs_root/<sweep>`` folders; write the report into ``out_dir``.

    ``sweep_seconds`` ({claim id: seconds}) adds the time spent running a claim's sweeps;
    ``data_budget`` caps the bytes of tables written into ``out_dir/data``.
    Returns the list of ``ClaimOutcome``.
    """
    started = time.monotonic() if started is None else started
    data, outcomes = SweepData(runs_root, out_dir), []
    for claim_id in claim_ids:
        outcome = analyse_claim(registry[claim_id], data, out_dir, sweep_runs)
        outcome.seconds += (sweep_seconds or {}).get(claim_id, 0.0)
        outcomes.append(outcome)
    keep_data_within(outcomes, Path(out_dir), data_budget)
    problems = sorted({p for s in data.loaded.values() for p in s.problems})
    provenance = report_provenance(profile, runs_root, command, time.monotonic() - started,
                                   problems)
    provenance["nonfinite"] = sorted({x for s in data.loaded.values() for x in s.nonfinite})
    write_report(outcomes, out_dir, provenance)
    return outcomes


def report(runs=None, profile="quick", claims=None, out=None, registry=None, stream=None,
           command=None):
    """``expressivity report``: write the report from existing sweep folders; 0, or 1 if any
    claim's analysis raised or its sweep folder is missing. ``out`` None: reports/ for the
    full profile, runs/<profile>/report/ otherwise (``report_pages.default_out``)."""
    out = default_out(profile) if out is None else out
    stream = stream if stream is not None else sys.stderr
    check_profile(profile)
    registry = default_registry() if registry is None else registry
    ids = select_claims(registry, claims)
    runs_root = Path(runs) if runs else Path("runs") / profile
    command = command or f"expressivity report --profile {profile}"
    outcomes = build_report(ids, registry, runs_root, Path(out), profile, command=command)
    return print_summary(outcomes, Path(out), stream)


def print_summary(outcomes, out_dir, stream, failed_sweeps=()):
    """One line per claim, the failures, and where the report is; the exit code (0 or 1)."""
    for o in outcomes:
        f = o.finding
        print(f"  {o.id}: {f.verdict} (exists: {f.exists.verdict}; training finds: "
              f"{f.training.verdict})" + ("  (error: see report)" if o.error else ""), file=stream)
    broken = [o.id for o in outcomes if o.error]
    if failed_sweeps:
        print(f"{len(failed_sweeps)} sweep(s) failed: {', '.join(failed_sweeps)}", file=stream)
    if broken:
        print(f"{len(broken)} claim(s) without a verdict because of an error: {', '.join(broken)}",
              file=stream)
    print(f"report: {out_dir / 'README.md'}", file=stream)
    return 1 if broken or failed_sweeps else 0
