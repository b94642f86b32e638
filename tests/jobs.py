"""Compose job configs the way ``python -m expressivity`` does, without the CLI."""
from pathlib import Path

from hydra import compose, initialize_config_dir

from expressivity.config import register_configs

CONF = Path(__file__).resolve().parents[1] / "expressivity" / "conf"


def compose_job(*overrides):
    register_configs()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return compose(config_name="config", overrides=list(overrides))
