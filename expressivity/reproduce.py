"""``expressivity reproduce``: run every claim's sweeps, collect, analyse, write the report.

For each selected claim (report order), each sweep named in its claim file
(``sweeps`` of ``claims/<id>/claim.yaml``) runs as ``python -m expressivity -m +experiment=<sweep> profile=<profile>
hydra.sweep.dir=<runs>/<profile>/<sweep>`` (a sweep shared by two claims runs
once). Finished points come from the run cache, so a repeated reproduce
recomputes nothing. A failing sweep is reported and the rest go on; the exit
code is 1 at the end if any sweep failed or any analysis raised.
"""
import sys
import time
from pathlib import Path

from expressivity.analyse import build_report, print_summary
from expressivity.job.progress import clock
from expressivity.claims.registry import check_jobs, check_profile, default_registry, select_claims
from expressivity.sweeps.launch import run_sweep


def planned_sweeps(claims):
    """[(claim id, [its sweeps])] in order, for a list of ``Claim``.

    A claim whose ``sweeps`` cannot be read is planned with its default sweep ``[id]``; its
    analysis then reports the broken claim file.
    """
    plan = []
    for claim in claims:
        try:
            sweeps = claim.sweeps
        except Exception:
            sweeps = [claim.id]
        plan.append((claim.id, sweeps))
    return plan


def report_failure(run, stream):
    print(f"sweep {run.name} FAILED (exit {run.returncode}) after {clock(run.seconds)}; "
          f"last lines of its stderr:", file=stream)
    for line in (run.stderr_tail or "(empty)").splitlines():
        print(f"    {line}", file=stream)
    print(f"    full log: {run.folder / 'sweep.stderr.log'}", file=stream)


def run_all_sweeps(plan, profile, runs_root, jobs, config_dirs, stream):
    """Run the planned sweeps, each once; ({sweep: SweepRun}, {claim id: seconds on its sweeps})."""
    runs, seconds = {}, {}
    for number, (claim_id, sweeps) in enumerate(plan, 1):
        seconds[claim_id] = 0.0
        for sweep in sweeps:
            step = f"[{number}/{len(plan)}] {claim_id}: sweep {sweep}"
            if sweep in runs:   # shared with an earlier claim
                print(f"{step} (already run)", file=stream, flush=True)
                continue
            print(step, file=stream, flush=True)
            run = run_sweep(sweep, profile, runs_root / sweep, jobs, config_dirs, stream)
            runs[sweep], seconds[claim_id] = run, seconds[claim_id] + run.seconds
            if not run.ok:
                report_failure(run, stream)
        if not sweeps:
            print(f"[{number}/{len(plan)}] {claim_id}: no sweep", file=stream, flush=True)
    return runs, seconds


def reproduce(profile="quick", jobs=1, claims=None, out=None, runs_dir="runs",
              registry=None, config_dirs=(), stream=None, command=None):
    """Run, collect and report the selected claims; the exit code (0, or 1 after any failure).

    Parameters
    ----------
    profile : "quick" or "full": which grid of each experiment file to run
    jobs : parallel jobs per sweep (> 1 uses Hydra's joblib launcher, one BLAS thread each)
    claims : claim ids to run (None: all registered), kept in registry order
    out : report folder; tables go to ``out/data/``, figures to ``out/figures/``; None:
        reports/ for the full profile, ``runs_dir/<profile>/report/`` otherwise
    runs_dir : sweeps go to ``runs_dir/<profile>/<sweep>/``
    registry : {claim id: Claim} (``registry.discover``); None for the built-in claims
    config_dirs : extra Hydra config folders holding ``experiment/<sweep>.yaml``
    stream : where progress goes (default stderr)
    """
    stream = stream if stream is not None else sys.stderr
    check_profile(profile)
    check_jobs(jobs)
    registry = default_registry() if registry is None else registry
    claim_ids = select_claims(registry, claims)   # an unknown id stops here, before any work
    started = time.monotonic()
    runs_root = Path(runs_dir) / profile
    out = ("reports" if profile == "full" else runs_root / "report") if out is None else out
    plan = planned_sweeps([registry[c] for c in claim_ids])
    runs, sweep_seconds = run_all_sweeps(plan, profile, runs_root, jobs, config_dirs, stream)
    command = command or f"expressivity reproduce --profile {profile}" + \
        (f" --jobs {jobs}" if jobs > 1 else "")
    print(f"analysing {len(claim_ids)} claim(s) and writing the report", file=stream, flush=True)
    outcomes = build_report(claim_ids, registry, runs_root, Path(out), profile,
                            sweep_runs=runs, sweep_seconds=sweep_seconds, command=command,
                            started=started)
    failed = [name for name, run in runs.items() if not run.ok]
    code = print_summary(outcomes, Path(out), stream, failed)
    print(f"total {clock(time.monotonic() - started)}", file=stream)
    return code
