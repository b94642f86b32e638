"""The sweep_plan callback's job total, which reproduce's progress reads (not Hydra's output)."""
from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.types import RunMode

from expressivity.job.config import register_configs
from expressivity.sweeps.plan import SweepPlan, planned_total, read_plan, write_plan
from tests.support.jobs import CONF


def _compose(*overrides):
    """The config a multirun (-m) with these overrides starts from, as the callback gets it."""
    register_configs()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return GlobalHydra.instance().config_loader().load_configuration(
            "config", list(overrides), run_mode=RunMode.MULTIRUN)


def test_the_total_is_the_product_of_the_swept_values():
    # restarts.yaml, quick grid: n in {3} x 4 widths x {sigmoid, relu} x 3 loss/output arms.
    assert planned_total(_compose("+experiment=restarts", "profile=quick")) == 1 * 4 * 2 * 3
    # A command-line sweep replaces the file's n and adds a seed axis.
    assert planned_total(_compose("+experiment=restarts", "task.n=2,3", "seed=0,1,2")) == 2 * 4 * 2 * 3 * 3
    assert planned_total(_compose("task=xor,and", "model.width=2")) == 2


def test_the_callback_writes_the_plan_into_the_sweep_folder(tmp_path):
    basic = tmp_path / "basic"
    assert read_plan(basic) is None
    cfg = _compose("task=xor,and,or", f"hydra.sweep.dir={basic}", "hydra/sweeper=basic")
    SweepPlan().on_multirun_start(cfg)
    assert read_plan(basic) == 3


def test_under_the_validating_sweeper_the_plan_is_written_only_after_the_checks(tmp_path):
    # The callback runs before the sweeper: it must leave nothing behind for a sweep that the
    # validating sweeper (the default) will refuse; the sweeper calls write_plan itself.
    cfg = _compose("task=xor,and,or", f"hydra.sweep.dir={tmp_path / 'v'}")
    SweepPlan().on_multirun_start(cfg)
    assert not (tmp_path / "v").exists()
    write_plan(cfg)
    assert read_plan(tmp_path / "v") == 3
