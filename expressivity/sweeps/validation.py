"""Whole-sweep validation: every job of a multirun composed and checked before any runs.

``check_whole_sweep`` is called by the ``validating`` Hydra sweeper
(``hydra_plugins/expressivity_sweeper``) with the sweep's overrides. It splits
them into jobs exactly as Hydra's basic sweeper does, composes each job's
config, and runs the checks a job runs (``config.validate``, the boolean
override check), plus the launcher's ``n_jobs`` and the writability of the
sweep and cache folders. Any problem: one message listing every bad point on
stderr, exit status 2, before any job starts or any file is written.
"""
import sys

from omegaconf import OmegaConf

MAX_LISTED = 50   # bad points named in the message; the rest are counted


def sweep_jobs(sweeper, params):
    """[[override str, …] per job] for a sweep's params, as ``BasicSweeper`` splits them."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    parser = OverridesParser.create(config_loader=sweeper.hydra_context.config_loader)
    batches = sweeper.split_arguments(parser.parse_overrides(params), None)
    return [list(job) for batch in batches for job in batch]


def job_problem(sweeper, overrides):
    """The message for one job's overrides, or None when it would run."""
    from expressivity.job.config import Config, ConfigError, validate
    from expressivity.job.consistency import bool_keys, bool_override_problems
    bad_bools = bool_override_problems(overrides, bool_keys(Config))
    if bad_bools:
        return bad_bools[0]
    try:
        composed = sweeper.hydra_context.config_loader.load_sweep_config(
            master_config=sweeper.config, sweep_overrides=list(overrides))
        job_keys = [k for k in composed if k != "hydra"]
        cfg = OmegaConf.create(OmegaConf.to_container(
            OmegaConf.masked_copy(composed, job_keys), resolve=True))
        validate(cfg)
    except ConfigError as error:
        return str(error)
    except Exception as error:   # composition and type errors from Hydra / OmegaConf
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    return None


def launcher_problem(config):
    """The message for a launcher setting that would fail at launch (joblib n_jobs), or None."""
    launcher = config.hydra.get("launcher") or {}
    if "n_jobs" in launcher:
        n = launcher.n_jobs
        if isinstance(n, bool) or not isinstance(n, int) or n == 0 or n < -1:
            return (f"hydra.launcher.n_jobs={n!r} is not allowed; "
                    "allowed: a positive integer, or -1 (all cores)")
    return None


def folder_problems(sweeper, jobs_ok):
    from expressivity.job.paths import writable_problem
    problems = [writable_problem("hydra.sweep.dir", sweeper.config.hydra.sweep.dir)]
    cache = OmegaConf.select(sweeper.config, "cache_dir")
    if cache and jobs_ok:
        problems.append(writable_problem("cache_dir", cache))
    return [p for p in problems if p]


def sweep_problems(sweeper, params):
    """Every problem of a sweep: [str], empty when every job would run."""
    problems = [p for p in [launcher_problem(sweeper.config)] if p]
    jobs = sweep_jobs(sweeper, params)
    for number, overrides in enumerate(jobs):
        problem = job_problem(sweeper, overrides)
        if problem:
            problems.append(f"job {number} ({' '.join(overrides)}): {problem}")
    bad_jobs = len(problems)
    if not problems:
        problems += folder_problems(sweeper, True)
    return problems, len(jobs), bad_jobs


def check_whole_sweep(sweeper, params, stream=None):
    """Exit with status 2 and one message if any job of the sweep is bad; else return."""
    problems, total, _ = sweep_problems(sweeper, params)
    if not problems:
        return
    stream = stream if stream is not None else sys.stderr
    lines = [f"expressivity: bad config: {len(problems)} problem(s) in a sweep of {total} job(s); "
             "no job was run:"]
    lines += [f"  {p}" for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"  … and {len(problems) - MAX_LISTED} more")
    print("\n".join(lines), file=stream, flush=True)
    sys.exit(2)
