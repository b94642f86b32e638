"""A sweep's jobs without running them: ``run -m … --dry-run`` and ``run -m … --cfg job``.

Hydra refuses ``--cfg`` together with ``-m`` ("Only one of --run, --multirun, --cfg
…"), and has no dry run. ``list_sweep(args)`` composes the sweep as the basic
sweeper would split it (the command line's sweep overrides and the experiment
file's ``hydra.sweeper.params``), then for every job: its overrides, its config
hash and whether the run cache already holds it; with ``--cfg job`` also the
job's whole config as YAML. Nothing runs and nothing is written.
"""
import sys

from omegaconf import OmegaConf

DRY_RUN = "--dry-run"
CFG_FLAGS = ("--cfg", "-c")
MULTIRUN_FLAGS = ("-m", "--multirun")


def wants_listing(args):
    """Whether ``args`` (the words after ``expressivity run``) ask for a listing: a dry run,
    or ``--cfg job`` (or ``--cfg all``) with ``-m``."""
    if DRY_RUN in args:
        return True
    return any(a in MULTIRUN_FLAGS for a in args) and any(a in CFG_FLAGS for a in args)


def split_args(args):
    """(overrides, what ``--cfg`` asked for or None) of ``args``; flags dropped."""
    overrides, cfg_part, skip = [], None, False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg in CFG_FLAGS:
            cfg_part = args[i + 1] if i + 1 < len(args) else "job"
            skip = True
        elif arg in MULTIRUN_FLAGS or arg == DRY_RUN:
            continue
        elif not arg.startswith("-"):
            overrides.append(arg)
    return overrides, cfg_part


def compose(overrides):
    """The composed config (with its ``hydra`` node) of one set of overrides."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from expressivity.job.conf_files import conf_dir
    from expressivity.job.config import register_configs
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        return hydra_compose(config_name="config", overrides=list(overrides),
                             return_hydra_config=True)


def sweep_jobs(overrides):
    """[[override, …] per job] of the sweep that ``overrides`` describe, as the basic sweeper
    splits it; raises ValueError for a sweeper that picks its jobs as it runs (Optuna)."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser
    parser = OverridesParser.create()
    parsed = parser.parse_overrides(overrides)
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    base = compose(fixed)
    sweeper = base.hydra.sweeper
    target = str(sweeper.get("_target_", ""))
    if not target.endswith(("BasicSweeper", "ValidatingSweeper")):
        raise ValueError(f"hydra/sweeper {target.rsplit('.', 1)[-1]} chooses its jobs as it "
                         "runs (n_trials), so they cannot be listed beforehand; allowed: the "
                         "default sweeper's grids")
    params = [f"{k}={v}" for k, v in (sweeper.get("params") or {}).items()]
    batches = BasicSweeper.split_arguments(parser.parse_overrides(params + overrides), None)
    return [list(job) for batch in batches for job in batch]


def job_config(overrides):
    """(the job's config as the job sees it, its hash, its cache path or None)."""
    from expressivity.job.runner import job_part
    from expressivity.storage.records import cache_path, config_hash
    composed = compose(overrides)
    config = OmegaConf.to_container(OmegaConf.masked_copy(
        composed, [k for k in composed if k != "hydra"]), resolve=True)
    config = {k: v for k, v in config.items() if k != "grids"}
    digest = config_hash(job_part(config))
    cache_dir = config.get("cache_dir")
    return config, digest, cache_path(cache_dir, digest) if cache_dir else None


def list_sweep(args, stream=None):
    """Print every job of the sweep in ``args``: overrides, hash, cached or to run (and its
    config with ``--cfg job``). Returns the exit code: 0, or 2 when the sweep cannot be listed;
    a sweep with a bad job is refused with the validating sweeper's message (exit 2)."""
    stream = stream or sys.stdout
    overrides, cfg_part = split_args(args)
    from expressivity.sweeps.validation import error_text
    try:
        jobs = sweep_jobs(overrides)
    except ValueError as error:
        print(f"expressivity: cannot list the sweep: {error}", file=sys.stderr)
        return 2
    except Exception as error:   # an override Hydra cannot parse or compose
        print(f"expressivity: bad config: {error_text(error)}", file=sys.stderr)
        return 2
    from expressivity.sweeps.validation import job_problem, report
    problems = [f"job {number} ({' '.join(job)}): {problem}"
                for number, job in enumerate(jobs)
                for problem in [job_problem(compose, job)[0]] if problem]
    if problems:
        report(problems, len(jobs))   # the validating sweeper's one message; exits with 2
    cached = 0
    lines = []
    for number, job in enumerate(jobs):
        config, digest, path = job_config(job)
        hit = path is not None and path.exists()
        cached += hit
        lines.append(f"job {number}: {' '.join(job) or '(no overrides)'}  "
                     f"[{'in the cache' if hit else 'to run'}; config hash {digest[:12]}]")
        if cfg_part in ("job", "all"):
            lines.append("\n".join("    " + line for line in
                                   OmegaConf.to_yaml(OmegaConf.create(config)).splitlines()))
    lines.append(f"{len(jobs)} job(s): {cached} in the cache, {len(jobs) - cached} to run "
                 "(nothing was run)")
    print("\n".join(lines), file=stream)
    return 0
