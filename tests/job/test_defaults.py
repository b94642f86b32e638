"""The trainer's defaults are written once (train.SGDSettings); config and YAML derive from it."""
import dataclasses
from pathlib import Path

from omegaconf import OmegaConf

from expressivity.job.conf_files import conf_dir
from expressivity.job.config import JOB_ONLY_TRAINER_KEYS, TrainerConfig, sgd_settings
from expressivity.train import SGDSettings
from tests.support.jobs import compose_job

SGD_YAML = conf_dir() / "trainer" / "sgd.yaml"


def _sgd_defaults():
    return {f.name: f.default for f in dataclasses.fields(SGDSettings) if f.name != "extra"}


def test_the_structured_config_takes_every_trainer_default_from_the_settings():
    config = {f.name: f.default for f in dataclasses.fields(TrainerConfig)}
    job_only = {name: default for name, _, default in JOB_ONLY_TRAINER_KEYS}
    assert config == {**_sgd_defaults(), **job_only}
    types = {f.name: f.type for f in dataclasses.fields(TrainerConfig)}
    assert all(types[f.name] is f.type for f in dataclasses.fields(SGDSettings) if f.name != "extra")


def test_the_composed_job_config_has_the_settings_defaults_and_the_yaml_sets_none():
    # Would fail if a value were written again in conf/trainer/sgd.yaml and differed.
    assert not OmegaConf.load(SGD_YAML)
    trainer = OmegaConf.to_container(compose_job().trainer)
    assert {k: trainer[k] for k in _sgd_defaults()} == _sgd_defaults()


def test_sgd_settings_carry_every_trainer_key_of_a_job_and_drop_the_job_only_ones():
    cfg = compose_job("trainer.lr=0.25", "trainer.batch_size=1", "trainer.restarts=7")
    settings = sgd_settings(cfg.trainer)
    assert settings == SGDSettings(**{**_sgd_defaults(), "lr": 0.25, "batch_size": 1})
    assert not hasattr(settings, "restarts")
