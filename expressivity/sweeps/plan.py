"""How many jobs a sweep will run, written by a Hydra callback where ``expressivity reproduce``
(and anyone else) can read it: ``<sweep dir>/.expressivity/plan.json``.

Progress is then records over plan: ``result.json`` files written so far (each by
an atomic rename) against the planned total, whatever the launcher prints.
"""
import json
from pathlib import Path

from hydra.experimental.callback import Callback

PLAN_FILE = Path(".expressivity") / "plan.json"
VALIDATING = "ValidatingSweeper"   # hydra_plugins/expressivity_sweeper: writes the plan itself


def planned_total(config):
    """Jobs the sweep in ``config`` (a composed config with its ``hydra`` node) will launch:
    the product of the swept values for the basic sweeper, ``n_trials`` for Optuna and
    Nevergrad (``optim.budget``); None when the sweeper is not one of these."""
    sweeper = config.hydra.sweeper
    target = str(sweeper.get("_target_", ""))
    if target.endswith(("BasicSweeper", VALIDATING)):   # the validating one is a basic sweeper
        from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
        from hydra.core.override_parser.overrides_parser import OverridesParser
        params = [f"{k}={v}" for k, v in (sweeper.get("params") or {}).items()]
        overrides = OverridesParser.create().parse_overrides(
            params + list(config.hydra.overrides.task))
        return sum(len(batch) for batch in BasicSweeper.split_arguments(overrides, None))
    if sweeper.get("n_trials") is not None:
        return int(sweeper.n_trials)
    if sweeper.get("optim") is not None and sweeper.optim.get("budget") is not None:
        return int(sweeper.optim.budget)
    return None


def read_plan(sweep_dir):
    """The planned job total of the sweep in ``sweep_dir`` (None before its callback ran, or
    when the total is unknown)."""
    try:
        return json.loads((Path(sweep_dir) / PLAN_FILE).read_text())["jobs"]
    except (OSError, ValueError, KeyError):
        return None


def write_plan(config):
    """Write the planned job total of the multirun in ``config`` into its sweep folder."""
    try:
        total = planned_total(config)
    except Exception:   # a sweep this cannot count still runs; progress shows "?"
        total = None
    path = Path(config.hydra.sweep.dir) / PLAN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"jobs": total}))


class SweepPlan(Callback):
    """Hydra callback (``hydra.callbacks.sweep_plan`` in conf/config.yaml): at the start of a
    multirun, write the planned job total into the sweep folder. Under the validating sweeper
    it does nothing: that sweeper writes the plan once every point has passed its checks, so
    a refused sweep leaves no folder behind."""

    def on_multirun_start(self, config, **kwargs):
        if not str(config.hydra.sweeper.get("_target_", "")).endswith(VALIDATING):
            write_plan(config)
