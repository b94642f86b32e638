"""Experiment files get the sweeper they name, and Optuna its direction from the objective."""
import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from expressivity.job.config import register_configs
from expressivity.job.experiment_overrides import plugin_overrides
from tests.support.jobs import CONF


def test_an_experiment_file_that_names_a_sweeper_gets_it_and_the_command_line_wins():
    assert plugin_overrides(["-m", "+experiment=parity_optuna"]) == [
        "hydra/sweeper=optuna", "hydra.sweeper.direction=${objective.direction}"]
    assert plugin_overrides(["-m", "+experiment=parity_optuna", "hydra/sweeper=basic"]) == []
    assert plugin_overrides(["-m", "+experiment=depth_vs_width"]) == []
    assert plugin_overrides(["-m", "+experiment=no_such_file"]) == []


def test_optuna_takes_its_direction_from_the_objective_unless_given():
    assert plugin_overrides(["-m", "hydra/sweeper=optuna"]) == \
        ["hydra.sweeper.direction=${objective.direction}"]
    assert plugin_overrides(["-m", "hydra/sweeper=optuna", "hydra.sweeper.direction=minimize"]) \
        == []


@pytest.mark.parametrize("args, direction", [
    (["+experiment=parity_optuna"], "minimize"),          # the file's objective: epochs, lower
    (["hydra/sweeper=optuna"], "maximize"),               # the default objective: success rate
])
def test_the_composed_sweep_is_optuna_with_the_objectives_direction(args, direction):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    register_configs()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        cfg = compose(config_name="config", overrides=args + plugin_overrides(args),
                      return_hydra_config=True)
    assert cfg.hydra.sweeper._target_.endswith("OptunaSweeper")
    assert OmegaConf.select(cfg, "hydra.sweeper.direction") == direction


def test_the_ray_plugins_own_launcher_passes_no_object_store_size():
    store = "hydra.launcher.ray.init.object_store_memory"
    assert plugin_overrides(["-m", "hydra/launcher=ray"]) == [f"++{store}=null"]
    assert plugin_overrides(["-m", "hydra/launcher=ray", f"{store}=100000000"]) == []
    assert plugin_overrides(["-m", "hydra/launcher=ray_cluster"]) == []     # sets it itself
