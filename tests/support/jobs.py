"""Compose job configs the way ``python -m expressivity`` does, without the CLI."""
from pathlib import Path

from hydra import compose, initialize_config_dir

from expressivity.job.conf_files import conf_dir
from expressivity.job.config import register_configs

CONF = conf_dir()


def compose_job(*overrides):
    register_configs()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return compose(config_name="config", overrides=list(overrides))


def construction_results(folder, *jobs):
    """The ``Results`` of construction jobs run into ``folder`` (a fresh cache there).

    Each job is ``(name, {parameter: value})``: ``conf/construction/<name>.yaml`` with those
    parameters replaced, run through ``runner.run_job`` as ``python -m expressivity`` would.
    """
    from omegaconf import OmegaConf

    from expressivity.storage.results import load_results
    from expressivity.job.runner import run_job
    folder = Path(folder)
    for index, (name, params) in enumerate(jobs):
        cfg = compose_job(f"construction={name}", f"cache_dir={folder / 'cache'}")
        for key, value in params.items():
            OmegaConf.update(cfg, f"construction.{key}", value, merge=False)
        run_job(cfg, folder / "runs" / str(index))
    return load_results([folder / "runs"])
