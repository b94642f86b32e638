"""Hydra's basic sweeper, with every job of a multirun checked before the first one starts.

Selected by ``conf/config.yaml`` (``override hydra/sweeper:
validating``). Hydra only instantiates plugins from the ``hydra_plugins``
namespace package, so this lives here (and ships in the wheel beside
``expressivity``); the checks themselves are ``expressivity.sweeps.validation``.
"""
from dataclasses import dataclass
from typing import Any, Optional

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore


class ValidatingSweeper(BasicSweeper):
    """``BasicSweeper`` that composes and validates every job first, then sweeps.

    Any bad point stops the multirun with one message listing every bad point
    and exit status 2; no job runs and nothing is written.
    """

    def sweep(self, arguments):
        from expressivity.sweeps.validation import check_whole_sweep
        params = self._parse_config() + list(arguments)
        check_whole_sweep(self, params)
        from expressivity.sweeps.plan import write_plan
        write_plan(self.config)   # the job total, for progress (after the checks: none if refused)
        from expressivity.sweeps import interrupts
        interrupts.watch(self.config.hydra.sweep.dir)   # an interrupt cleans its temp files
        return super().sweep(arguments)


@dataclass
class ValidatingSweeperConf:
    _target_: str = "hydra_plugins.expressivity_sweeper.ValidatingSweeper"
    max_batch_size: Optional[int] = None
    params: Optional[Any] = None


ConfigStore.instance().store(group="hydra/sweeper", name="validating",
                             node=ValidatingSweeperConf, provider="expressivity")
