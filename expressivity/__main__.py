"""The Hydra job: ``python -m expressivity [-m] key=value …`` writes one result.json per job.

A thin shell over ``runner.run_job``, which tests call directly.
"""
import sys

import hydra
from hydra.core.hydra_config import HydraConfig

from . import interrupts
from .config import ConfigError, register_configs, single_run_problem, unknown_experiment
from .runner import run_job

register_configs()


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg):
    try:
        hydra_cfg = HydraConfig.get()
        record = run_job(cfg, hydra_cfg.runtime.output_dir,
                         launcher=hydra_cfg.runtime.choices.get("hydra/launcher"))
    except ConfigError as error:
        print(f"expressivity: bad config: {error}", file=sys.stderr)
        sys.exit(2)
    return record["summary"]


if __name__ == "__main__":
    # SIGINT/SIGTERM (a user's Ctrl-C or kill, a scheduler's preemption) stop this job or
    # sweep and every worker it started, then exit; finished points are in the cache.
    interrupts.install()
    bad_experiment = unknown_experiment(sys.argv[1:]) or single_run_problem(sys.argv[1:])
    if bad_experiment:
        print(f"expressivity: bad config: {bad_experiment}", file=sys.stderr)
        sys.exit(2)
    main()
