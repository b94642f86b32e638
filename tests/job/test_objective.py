"""The job's return value for sweepers: chosen by `objective`, checked before any work."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from omegaconf import OmegaConf

from expressivity.job.config import ConfigError
from expressivity.job.objective import check_objective, check_sweeper_direction, objective_value

ROOT = Path(__file__).resolve().parents[2]
RECORD = {"summary": {"success_rate": 0.25, "best_loss": None, "median_fit_epoch": 12.0},
          "probes": [{"summary": {"restarts": 4}}], "timing": {"member_epochs": 130}}


def _objective(metric, direction="minimize", if_undefined=None):
    return OmegaConf.create({"metric": metric, "direction": direction, "if_undefined": if_undefined})


def test_the_value_is_the_named_metric_as_a_float():
    assert objective_value(RECORD, _objective("success_rate", "maximize")) == 0.25
    assert objective_value(RECORD, _objective("median_fit_epoch")) == 12.0
    # 130 member-epochs over 4 members.
    assert objective_value(RECORD, _objective("epochs_per_member")) == 32.5


def test_an_undefined_metric_is_nan_or_the_configured_fallback():
    assert math.isnan(objective_value(RECORD, _objective("best_loss")))
    assert objective_value(RECORD, _objective("best_loss", if_undefined=1e9)) == 1e9


def _cfg(metric, direction="maximize", kind="none"):
    return OmegaConf.create({"objective": {"metric": metric, "direction": direction},
                             "search": {"kind": kind}})


def test_a_metric_the_job_does_not_define_is_refused_with_the_allowed_ones():
    check_objective(_cfg("success_rate"))
    check_objective(_cfg("min_width", "minimize", kind="min_width"))
    with pytest.raises(ConfigError, match=r"objective.metric='min_width' is not allowed for "
                                          r"search.kind=none; allowed: one of best_loss, "
                                          r"diverged_rate, epochs_per_member"):
        check_objective(_cfg("min_width"))
    with pytest.raises(ConfigError, match="objective.metric=.success_rate.*epochs_per_member, min_parameters, min_width"):
        check_objective(_cfg("success_rate", kind="min_width"))
    with pytest.raises(ConfigError, match="objective.direction='up' is not allowed; allowed: "
                                          "one of maximize, minimize"):
        check_objective(_cfg("success_rate", "up"))


def test_a_sweeper_optimising_the_other_way_is_refused():
    objective = _objective("success_rate", "maximize")
    check_sweeper_direction(objective, OmegaConf.create({"direction": "maximize"}))
    check_sweeper_direction(objective, OmegaConf.create({"params": None}))    # basic sweeper
    check_sweeper_direction(objective, OmegaConf.create({"optim": {"maximize": True}}))
    with pytest.raises(ConfigError, match="direction='minimize' disagrees with "
                                          "objective.direction='maximize'"):
        check_sweeper_direction(objective, OmegaConf.create({"direction": "minimize"}))
    with pytest.raises(ConfigError, match="disagrees"):
        check_sweeper_direction(objective, OmegaConf.create({"optim": {"maximize": False}}))


def test_a_job_with_a_bad_objective_stops_before_any_work(tmp_path):
    done = subprocess.run([sys.executable, "-m", "expressivity", "objective.metric=speed",
                           "hydra.run.dir=out"], cwd=tmp_path, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert done.returncode == 2
    assert "expressivity: bad config: objective.metric='speed' is not allowed" in done.stderr
    assert not (tmp_path / "out" / "result.json").exists()


def test_four_optuna_trials_of_the_shipped_search(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper",
                        reason="the Optuna sweeper is not installed: pip install hydra-optuna-sweeper")
    subprocess.run([sys.executable, "-m", "expressivity", "-m", "+experiment=parity_optuna", "hydra/sweeper=optuna",
                    "hydra.sweeper.n_trials=4", "trainer.restarts=8", "trainer.max_epochs=200",
                    "cache_dir=null", "hydra.sweep.dir=sweep"], cwd=tmp_path, check=True,
                   capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=180)
    records = [json.loads(p.read_text()) for p in (tmp_path / "sweep").glob("*/result.json")]
    assert len(records) == 4
    values = [r["timing"]["member_epochs"] / r["summary"]["restarts"] for r in records]
    tried = {(r["config"]["trainer"]["lr"], r["config"]["model"]["width"]) for r in records}
    assert len(tried) == 4 and all(1 <= lr <= 30 and 2 <= w <= 16 for lr, w in tried)
    best = yaml.safe_load((tmp_path / "sweep" / "optimization_results.yaml").read_text())
    assert best["best_value"] == min(values)   # Optuna minimised what the jobs returned
