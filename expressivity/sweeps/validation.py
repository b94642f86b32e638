"""Whole-sweep validation: every job of a multirun composed and checked before any runs.

``check_whole_sweep`` is called by the ``validating`` Hydra sweeper
(``hydra_plugins/expressivity_sweeper``) with the sweep's overrides. It splits
them into jobs exactly as Hydra's basic sweeper does, composes each job's
config, and runs the checks a job runs (``config.validate``, the boolean
override check, the objective), plus Hydra's own keys that decide where and how
jobs run (``hydra_problems``: launcher and sweeper settings against this
machine's cores, logging levels, ``hydra.run.dir``/``sweep.dir``/``subdir``
that climb out with ``..``) and the writability of the sweep and cache folders.
Any problem: one message listing every bad point on stderr, exit status 2,
before any job starts or any file is written.

The same point checks run before Hydra starts from ``sweeps.preflight``.
"""
import logging
import os
import sys

from omegaconf import OmegaConf

MAX_LISTED = 50   # bad points named in the message; the rest are counted
MAX_JOBS_PER_CORE = 4   # parallel jobs on one machine: more only swap and starve (issue 21)
VALIDATING = "ValidatingSweeper"


def max_parallel_jobs():
    return (os.cpu_count() or 1) * MAX_JOBS_PER_CORE


def sweep_jobs(sweeper, params):
    """[[override str, …] per job] for a sweep's params, as ``BasicSweeper`` splits them."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    parser = OverridesParser.create(config_loader=sweeper.hydra_context.config_loader)
    batches = sweeper.split_arguments(parser.parse_overrides(params), None)
    return [list(job) for batch in batches for job in batch]


def error_text(error):
    """One line for a Hydra/OmegaConf error: its type, first line and the key it names."""
    first = str(error).splitlines()[0] if str(error) else ""
    key = getattr(error, "full_key", None)
    return f"{type(error).__name__}: {first}" + (f" (key {key})" if key and key not in first else "")


def job_problem(compose, overrides, known=()):
    """(message, None) for one job's overrides, or (None, job config) when it would run.

    ``compose(overrides)`` returns the job's composed config with its ``hydra`` node;
    ``known``: problems of the sweep's own Hydra keys, not repeated for each job.
    """
    from expressivity.job.config import Config, ConfigError, validate
    from expressivity.job.consistency import bool_keys, bool_override_problems
    from expressivity.job.objective import check_objective, check_sweeper_direction
    bad_bools = bool_override_problems(overrides, bool_keys(Config))
    if bad_bools:
        return bad_bools[0], None
    try:
        composed = compose(list(overrides))
        job_keys = [k for k in composed if k != "hydra"]
        cfg = OmegaConf.create(OmegaConf.to_container(
            OmegaConf.masked_copy(composed, job_keys), resolve=True))
        validate(cfg)
        check_objective(cfg)
        check_sweeper_direction(cfg.objective, composed.hydra.sweeper)
        problems = [p for p in hydra_problems(composed) if p not in known]
        if problems:
            return problems[0], None
    except ConfigError as error:
        return str(error), None
    except Exception as error:   # composition, type and interpolation errors from Hydra / OmegaConf
        return error_text(error), None
    return None, cfg


def _number_problem(key, value, low=1, integer=True, none_ok=True, high=None, allowed=None):
    if value is None and none_ok:
        return None
    kind = int if integer else (int, float)
    ok = isinstance(value, kind) and not isinstance(value, bool) and value >= low
    if ok and high is not None and value > high:
        ok = False
    if ok:
        return None
    allowed = allowed or (("an integer" if integer else "a number") + f" >= {low}"
                          + (f" and at most {high}" if high is not None else ""))
    return f"{key}={value!r} is not allowed; allowed: {allowed}"


def _choice_problem(key, value, names):
    if value is None or value in names:
        return None
    return f"{key}={value!r} is not allowed; allowed: one of {', '.join(names)} (or null)"


JOBLIB_CHOICES = {"backend": ("loky", "multiprocessing", "threading"),
                  "prefer": ("processes", "threads"), "require": ("sharedmem",)}
SUBMITIT_COUNTS = ("timeout_min", "tasks_per_node", "nodes", "cpus_per_task",
                   "array_parallelism")


def launcher_problems(hydra):
    """Launcher settings that would fail at launch or swamp this machine: [message]."""
    launcher = hydra.get("launcher") or {}
    target, problems, cap = str(launcher.get("_target_", "")), [], max_parallel_jobs()
    if "n_jobs" in launcher:
        n = launcher.n_jobs
        if isinstance(n, bool) or not isinstance(n, int) or n == 0 or n < -1:
            problems.append(f"hydra.launcher.n_jobs={n!r} is not allowed; "
                            "allowed: a positive integer, or -1 (all cores)")
        elif n > cap:
            problems.append(f"hydra.launcher.n_jobs={n!r} is not allowed; allowed: -1 (all cores) "
                            f"or 1..{cap} ({os.cpu_count()} cores x {MAX_JOBS_PER_CORE})")
    if "joblib" in target:
        problems += [_choice_problem(f"hydra.launcher.{k}", launcher.get(k), names)
                     for k, names in JOBLIB_CHOICES.items()]
        problems.append(_number_problem("hydra.launcher.timeout", launcher.get("timeout"), 0,
                                        integer=False, allowed="null or a number > 0"))
        batch = launcher.get("batch_size")
        if batch != "auto":
            problems.append(_number_problem("hydra.launcher.batch_size", batch,
                                            allowed="auto or a positive integer"))
    if "submitit" in target:
        local = "LocalLauncher" in target   # every task of a local job runs on this machine
        problems += [_number_problem(f"hydra.launcher.{k}", launcher.get(k),
                                     high=max_parallel_jobs() if local and k == "tasks_per_node" else None)
                     for k in SUBMITIT_COUNTS]
        problems.append(_number_problem("hydra.launcher.mem_gb", launcher.get("mem_gb"), 1e-9,
                                        integer=False, allowed="null or a number > 0"))
        problems.append(_number_problem("hydra.launcher.gpus_per_node",
                                        launcher.get("gpus_per_node"), 0))
    return [p for p in problems if p]


def sweeper_problems(hydra):
    sweeper = hydra.get("sweeper") or {}
    problems = [_number_problem("hydra.sweeper.max_batch_size", sweeper.get("max_batch_size"),
                                allowed="null or a positive integer")]
    if "n_trials" in sweeper:
        problems.append(_number_problem("hydra.sweeper.n_trials", sweeper.get("n_trials")))
    if "n_jobs" in sweeper:
        problems.append(_number_problem("hydra.sweeper.n_jobs", sweeper.get("n_jobs"),
                                        high=max_parallel_jobs()))
    return [p for p in problems if p]


LEVELS = tuple(logging.getLevelNamesMapping())   # CRITICAL, FATAL, ERROR, WARN, WARNING, INFO, ...


def logging_problems(hydra):
    """Every ``level`` below ``hydra.job_logging`` and ``hydra.hydra_logging`` must be a level."""
    problems = []

    def walk(prefix, node):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(f"{prefix}.{k}", v)
            level = node.get("level", "INFO")
            if "level" in node and not (isinstance(level, str) and level in LEVELS
                    or isinstance(level, int) and not isinstance(level, bool) and level >= 0):
                problems.append(f"{prefix}.level={level!r} is not allowed; allowed: one of "
                                f"{', '.join(LEVELS)} or an integer >= 0")

    for section in ("job_logging", "hydra_logging"):
        node = hydra.get(section)
        if node is not None:
            walk(f"hydra.{section}", OmegaConf.to_container(node, resolve=False))
    return problems


def place_problems(hydra):
    """Output folders that climb out with ``..`` (absolute run/sweep folders are allowed)."""
    from expressivity.job.paths import containment_problem
    raw = {k: OmegaConf.to_container(hydra[k], resolve=False) if hydra.get(k) is not None else {}
           for k in ("run", "sweep")}
    problems = [containment_problem("hydra.run.dir", raw["run"].get("dir"), absolute_ok=True),
                containment_problem("hydra.sweep.dir", raw["sweep"].get("dir"), absolute_ok=True),
                containment_problem("hydra.sweep.subdir", raw["sweep"].get("subdir")),
                # inside the job's folder: its .hydra/ configs and <job name>.log
                containment_problem("hydra.output_subdir", hydra.get("output_subdir"), within="the job folder"),
                containment_problem("hydra.job.name", (hydra.get("job") or {}).get("name"),
                                    within="the job folder")]
    for section in ("job_logging", "hydra_logging"):   # log files a handler writes
        node = hydra.get(section)
        handlers = (OmegaConf.to_container(node, resolve=False) or {}).get("handlers") if node else None
        for name, handler in (handlers or {}).items():
            if isinstance(handler, dict) and handler.get("filename") is not None:
                problems.append(containment_problem(f"hydra.{section}.handlers.{name}.filename",
                                                    handler["filename"], absolute_ok=True))
    return [p for p in problems if p]


def hydra_problems(config):
    """Problems of the Hydra keys of a composed config (``config.hydra``): [message]."""
    hydra = config.get("hydra") if hasattr(config, "get") else None
    if hydra is None:
        return []
    return (launcher_problems(hydra) + sweeper_problems(hydra) + logging_problems(hydra)
            + place_problems(hydra))


def points_problems(compose, jobs, master):
    """Every problem of the jobs ``jobs`` ([[override]]), their Hydra keys and folders: (problems,
    bad jobs). Folder checks leave nothing behind."""
    from expressivity.job.paths import writable_problem
    problems, caches = hydra_problems(master), {}
    for number, overrides in enumerate(jobs):
        problem, cfg = job_problem(compose, overrides, known=problems)
        if problem:
            problems.append(f"job {number} ({' '.join(overrides)}): {problem}")
        elif cfg.get("cache_dir"):
            caches.setdefault(str(cfg.cache_dir), number)
    bad_jobs = len(problems)
    if not problems:
        sweep_dir = OmegaConf.select(master, "hydra.sweep.dir")
        folders = ([("hydra.sweep.dir", sweep_dir)] if sweep_dir else []) + [
            (f"cache_dir (job {number})" if len(caches) > 1 else "cache_dir", folder)
            for folder, number in caches.items()]
        problems += [p for p in (writable_problem(key, folder, keep=False) for key, folder in folders)
                     if p]
    return problems, bad_jobs


def sweep_problems(sweeper, params):
    """Every problem of a sweep: ([str], jobs, bad jobs); no problems when every job would run."""
    loader = sweeper.hydra_context.config_loader
    try:
        jobs = sweep_jobs(sweeper, params)
    except Exception as error:   # e.g. interval(1,3), which only a searching sweeper samples
        return [f"the sweep cannot be split into jobs: {error_text(error)}"], 0, 1
    problems, bad_jobs = points_problems(
        lambda overrides: loader.load_sweep_config(master_config=sweeper.config,
                                                   sweep_overrides=overrides),
        jobs, sweeper.config)
    return problems, len(jobs), bad_jobs


def report(problems, total, stream=None):
    """Print the one message for a refused sweep and exit with status 2."""
    stream = stream if stream is not None else sys.stderr
    text = f"expressivity: bad config: {sweep_message(problems, total)}"
    if len(problems) > MAX_LISTED:
        text += f"\n  … and {len(problems) - MAX_LISTED} more"
    print(text, file=stream, flush=True)
    sys.exit(2)


def check_whole_sweep(sweeper, params, stream=None):
    """Exit with status 2 and one message if any job of the sweep is bad; else return."""
    problems, total, _ = sweep_problems(sweeper, params)
    if problems:
        report(problems, total, stream)


def sweep_message(problems, total):
    """The one message for a refused sweep: the count, then the first ``MAX_LISTED`` problems."""
    head = f"{len(problems)} problem(s) in a sweep" + (f" of {total} job(s)" if total else "")
    return "\n  ".join([f"{head}; no job was run:", *problems[:MAX_LISTED]])
