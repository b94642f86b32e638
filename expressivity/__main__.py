"""The Hydra job: ``python -m expressivity [-m] key=value …`` writes one result.json per job.

A thin shell over ``runner.run_job``, which tests call directly. ``expressivity run …``
(cli.py) calls ``hydra_main`` with its arguments unchanged.
"""
import sys

import hydra
from hydra.core.hydra_config import HydraConfig

from expressivity.sweeps import interrupts
from expressivity.job.conf_files import CONF_PATH
from expressivity.job.config import ConfigError, register_configs, single_run_problem
from expressivity.job.experiment_overrides import experiment_file_problem, plugin_overrides, unknown_experiment
from expressivity.job.objective import check_objective, check_sweeper_direction, objective_value
from expressivity.job.runner import run_job
from expressivity.sweeps.listing import list_sweep, wants_listing

register_configs()
# Launchers whose jobs belong to a scheduler and may outlive the submitting process by design.
REMOTE_LAUNCHERS = ("slurm", "submitit_slurm", "ray_cluster")


@hydra.main(version_base="1.3", config_path=CONF_PATH, config_name="config")
def main(cfg):
    """One job; returns the number ``cfg.objective`` names, for sweepers (Optuna, Nevergrad)."""
    try:
        hydra_cfg = HydraConfig.get()
        check_objective(cfg)
        check_sweeper_direction(cfg.objective, hydra_cfg.sweeper)
        record = run_job(cfg, hydra_cfg.runtime.output_dir,
                         launcher=hydra_cfg.runtime.choices.get("hydra/launcher"),
                         task_choice=hydra_cfg.runtime.choices.get("task"))
    except ConfigError as error:
        print(f"expressivity: bad config: {error}", file=sys.stderr)
        sys.exit(2)
    except OSError as error:   # a full disk, a file-size limit, a folder made read-only meanwhile
        where = f" ({error.filename})" if error.filename else ""
        print(f"expressivity: could not write{where}: {error.strerror or error}; nothing of this "
              "job was kept (a finished point stays in the cache)", file=sys.stderr)
        sys.exit(1)
    return objective_value(record, cfg.objective)


def hydra_main(args, prog=None):
    """Run Hydra on ``args`` (a list of str, passed unchanged); ``prog`` is argv[0] for its help
    and shell-completion scripts."""
    # SIGINT/SIGTERM (a user's Ctrl-C or kill, a scheduler's preemption) stop this job or
    # sweep and every worker it started, then exit; finished points are in the cache.
    interrupts.install()
    from expressivity.sweeps.preflight import preflight
    args = [*args, *plugin_overrides(args)]   # experiment files get the plugins they name
    bad = unknown_experiment(args) or experiment_file_problem(args) or single_run_problem(args) \
        or preflight(args)   # every key, Hydra's too, before Hydra makes a folder; any sweeper
    if bad:
        print(f"expressivity: bad config: {bad}", file=sys.stderr)
        sys.exit(2)
    if wants_listing(args):      # --dry-run, or --cfg job with -m: Hydra has neither
        code = list_sweep(args)
        if code:
            sys.exit(code)
        return
    remote = any(a.partition("=")[2] in REMOTE_LAUNCHERS for a in args if a.startswith("hydra/launcher="))
    if ("-m" in args or "--multirun" in args) and not remote:
        interrupts.guard()   # workers die with this process, even when it is killed outright
    sys.argv = [prog or sys.argv[0], *args]
    main()


if __name__ == "__main__":
    hydra_main(sys.argv[1:])
