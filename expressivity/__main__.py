"""The Hydra job: ``python -m expressivity [-m] key=value …`` writes one result.json per job.

A thin shell over ``runner.run_job``, which tests call directly.
"""
import sys

import hydra
from hydra.core.hydra_config import HydraConfig

from .config import ConfigError, register_configs
from .runner import run_job

register_configs()


@hydra.main(version_base="1.3", config_path="../conf", config_name="config")
def main(cfg):
    try:
        record = run_job(cfg, HydraConfig.get().runtime.output_dir)
    except ConfigError as error:
        print(f"expressivity: bad config: {error}", file=sys.stderr)
        sys.exit(2)
    return record["summary"]


if __name__ == "__main__":
    main()
