"""The pre-flight: ``python -m expressivity``'s arguments checked before Hydra starts.

``preflight`` runs the whole-sweep checks of ``sweeps.validation`` before Hydra
creates any folder, whatever the sweeper: a single run is composed and checked
before Hydra creates its run folder; a sweep under another sweeper
(``hydra/sweeper=basic``, Optuna, Nevergrad) has its points checked here (every
job for the basic sweeper; for a searching sweeper, each listed value and both
ends of each interval). Under the validating sweeper only the logging keys are
checked here: the sweeper checks every point itself.
"""
import os

from omegaconf import OmegaConf

from expressivity.sweeps.validation import (VALIDATING, error_text, job_problem, logging_problems,
                                            points_problems, sweep_message)


# Hydra's flags: those that run no job (help, info, printing a config, completion), those
# that take a value, and the modes of which only one may be given.
NO_JOB_FLAGS = ("-h", "--help", "--hydra-help", "--version", "-i", "--info", "-c", "--cfg",
                "-sc", "--shell-completion", "--experimental-rerun")
VALUE_FLAGS = ("-c", "--cfg", "-p", "--package", "-cp", "--config-path", "-cn", "--config-name",
               "-cd", "--config-dir", "-sc", "--shell-completion", "--experimental-rerun")
OTHER_CONFIG_FLAGS = ("-cp", "--config-path", "-cn", "--config-name")
CONFIG_DIR_FLAGS = ("-cd", "--config-dir")   # one more config folder: searched like hydra.searchpath
MODES = {"-m": "--multirun", "--multirun": "--multirun", "-c": "--cfg", "--cfg": "--cfg",
         "-i": "--info", "--info": "--info", "-sc": "--shell-completion",
         "--shell-completion": "--shell-completion"}


def split_args(args):
    """(flags, overrides, config dir or None) of a Hydra command line."""
    flags, overrides, config_dir, i = [], [], None, 0
    while i < len(args):
        arg = args[i]
        flag = arg.split("=")[0] if arg.startswith("--") else arg
        if arg.startswith("-"):
            flags.append(flag)
            value = arg.partition("=")[2] if "=" in arg else None
            if flag in VALUE_FLAGS and value is None and i + 1 < len(args):
                i, value = i + 1, args[i + 1]
            if flag in CONFIG_DIR_FLAGS:
                config_dir = value
        else:
            overrides.append(arg)
        i += 1
    return flags, overrides, config_dir


def user_config_folders(overrides):
    """The ``file://`` folders of a ``hydra.searchpath=[…]`` override."""
    import re
    folders = []
    for override in overrides:
        key, _, value = override.lstrip("+").partition("=")
        if key == "hydra.searchpath":
            folders += re.findall(r"file://([^,'\]\s]+)", value)
    return folders


def sweep_values(override):
    """The values to check of one sweep override: every listed one, both ends of an interval."""
    from hydra.core.override_parser.types import IntervalSweep
    value = override.value()
    if isinstance(value, IntervalSweep):
        ends = [value.start, value.end]
        return [str(v) if isinstance(v, int) else repr(float(v)) for v in ends]   # as Optuna reads them
    return list(override.sweep_string_iterator())


def preflight(args):
    """The one message that refuses ``python -m expressivity args`` before Hydra starts, or None.

    Composition errors Hydra reports well (an unknown group option, a type) are left to it,
    and so is anything this check itself cannot handle (Hydra and the sweeper check again).
    """
    try:
        return check_before_hydra(args)
    except Exception:   # never stop a run on a fault of this check: the later checks still run
        return None


def check_before_hydra(args):
    """``preflight``, raising on a fault of its own (the fuzz tests call this)."""
    from expressivity.job.paths import hydra_quoted
    flags, overrides, config_dir = split_args(args)
    modes = sorted({MODES[f] for f in flags if f in MODES})
    if modes == ["--cfg", "--multirun"]:
        modes = ["--multirun"]   # a sweep's configs, listed (sweeps.listing): check its points
        flags = [f for f in flags if MODES.get(f) != "--cfg"]
    if len(modes) > 1:
        return (f"{' and '.join(modes)} together are not allowed; allowed: one of --multirun, "
                "--cfg, --info, --shell-completion (a sweep's configs: drop -m, or run the sweep)")
    if any(f in NO_JOB_FLAGS or f in OTHER_CONFIG_FLAGS for f in flags):
        return None   # nothing runs, or another primary config: Hydra decides
    if config_dir:
        if any(o.lstrip("+").startswith("hydra.searchpath") for o in overrides):
            return None   # both: Hydra decides how they combine
        overrides = overrides + [f"hydra.searchpath=[{hydra_quoted('file://' + os.path.abspath(config_dir))}]"]
    from expressivity.job.experiment_overrides import experiment_file_problem
    for folder in user_config_folders(overrides):   # their experiment files, read raw as well
        problem = experiment_file_problem(overrides, os.path.join(folder, "experiment"))
        if problem:
            return problem
    from hydra import compose, initialize_config_module
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser
    if GlobalHydra.instance().is_initialized():
        return None   # inside a Hydra app already (tests): its own checks run
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception:
        return None   # a syntax error: Hydra says where
    multirun = "--multirun" in modes
    fixed = [o.input_line for o in parsed if not (multirun and o.is_sweep_override())]
    with initialize_config_module("expressivity.conf", version_base="1.3"):
        def composed(extra):
            return compose(config_name="config", overrides=fixed + list(extra),
                           return_hydra_config=True)
        try:
            base = composed([])
        except Exception:
            return None   # Hydra reports its own composition errors, with the options
        if not multirun:
            problem, cfg = job_problem(composed, [])
            from expressivity.job.paths import writable_problem
            if problem is None and cfg.get("cache_dir"):
                problem = writable_problem("cache_dir", cfg.cache_dir, keep=False)
            if problem is None:
                try:
                    run_dir = OmegaConf.select(base, "hydra.run.dir")
                except Exception:
                    run_dir = None   # resolved by Hydra when the job starts
                problem = run_dir and writable_problem("hydra.run.dir", run_dir, keep=False)
            return problem
        target = str(base.hydra.sweeper.get("_target_", ""))
        if target.endswith(VALIDATING):
            # The sweeper lists every bad point itself; Hydra configures its own logging first.
            problems = logging_problems(base.hydra)
            return sweep_message(problems, None) if problems else None
        params = [f"{k}={v}" for k, v in (base.hydra.sweeper.get("params") or {}).items()]
        try:
            swept = OverridesParser.create().parse_overrides(params) + [o for o in parsed
                                                                        if o.is_sweep_override()]
            if target.endswith("BasicSweeper"):
                from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
                jobs = [list(job) for batch in BasicSweeper.split_arguments(swept, None)
                        for job in batch]
            else:   # a searching sweeper: every value it may pick, one key at a time
                jobs = [[]] + [[f"{o.get_key_element()}={v}"] for o in swept
                               for v in sweep_values(o)]
        except Exception as error:
            return sweep_message([f"the sweep cannot be split into jobs: {error_text(error)}"], None)
        problems, _ = points_problems(composed, jobs, base)
        return sweep_message(problems, len(jobs)) if problems else None
