"""The Hydra job: ``python -m expressivity [-m] key=value …`` writes one result.json per job.

A thin shell over ``runner.run_job``, which tests call directly.
"""
import signal
import sys

import hydra
from hydra.core.hydra_config import HydraConfig

from .config import ConfigError, register_configs, single_run_problem, unknown_experiment
from .runner import run_job

register_configs()


def _exit_on_sigterm(signum, frame):
    # SIGTERM (a scheduler's preemption, a user's kill) becomes SystemExit, so
    # ``finally`` blocks run and no half-written temp file is left behind;
    # finished points are in the cache and a re-run skips them.
    raise SystemExit(128 + signum)


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
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    bad_experiment = unknown_experiment(sys.argv[1:]) or single_run_problem(sys.argv[1:])
    if bad_experiment:
        print(f"expressivity: bad config: {bad_experiment}", file=sys.stderr)
        sys.exit(2)
    main()
