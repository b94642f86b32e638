"""Structured-config schemas (registered in Hydra's ConfigStore) and validation.

OmegaConf checks types against these dataclasses; ``validate`` checks ranges
and names, before any work, with one message that names the key, the value
and what is allowed (the per-section checks are in ``config_checks``).
"""
import os
from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any, List, Optional

from hydra.core.config_store import ConfigStore
from omegaconf import OmegaConf

from expressivity.job.conf_files import register_experiments
from expressivity.job.consistency import bool_keys, bool_override_problems, consistency_problem
from expressivity.tasks import BOOLEAN_FUNCTIONS as BOOLEAN_TASKS
from expressivity.train import SGDSettings
from expressivity.job.config_checks import (MAX_DEPTH, ConfigError, _at_least, _fail, _one_of, _positive,  # noqa: F401
                            _validate_ladder, _validate_model, _validate_task, _validate_trainer,
                            hidden_widths)


@dataclass
class TaskConfig:
    name: str = "parity"
    n: int = 4
    encoding: str = "01"
    seed: int = 0
    terms: int = 3
    points: int = 256
    sampling: str = "grid"
    L: int = 3
    distribution: str = "lognormal"
    outlier_fraction: float = 0.1


@dataclass
class ModelConfig:
    depth: int = 1
    width: int = 8
    widths: Optional[List[int]] = None
    activation: str = "sigmoid"
    output_activation: str = "auto"
    init: str = "xavier"
    init_scale: float = 1.0
    bias: bool = True
    dtype: str = "float64"


# The trainer's defaults are written once, in ``train.SGDSettings``; the
# structured config adds the two keys the job (not the trainer) uses and
# takes every other field, type and default from it (tests/job/test_defaults.py).
JOB_ONLY_TRAINER_KEYS = (("restarts", int, 100), ("memory_budget_gb", float, 4.0))
TrainerConfig = make_dataclass(
    "TrainerConfig",
    [(f.name, f.type, field(default=f.default)) for f in fields(SGDSettings) if f.name != "extra"]
    + [(name, kind, field(default=default)) for name, kind, default in JOB_ONLY_TRAINER_KEYS])


def sgd_settings(trainer):
    """The ``SGDSettings`` for a trainer config node (its job-only keys dropped)."""
    return SGDSettings(**{f.name: getattr(trainer, f.name) for f in fields(SGDSettings)
                          if f.name != "extra"})


@dataclass
class SearchConfig:
    kind: str = "none"
    max_width: int = 256
    # converged_width only (expressivity/job/converged_search.py)
    start_width: int = 1
    shape: str = "uniform"
    budget_epochs: List[int] = field(default_factory=list)
    budget_restarts: List[int] = field(default_factory=list)


@dataclass
class ObjectiveConfig:
    """What the job returns to a sweeper (objective.py): a metric and its direction."""
    metric: str = "success_rate"
    direction: str = "maximize"
    if_undefined: Optional[float] = None


@dataclass
class TuneConfig:
    """The tuning protocol (expressivity/job/tuning.py); off unless ``enabled``."""
    enabled: bool = False
    params: List[str] = field(default_factory=lambda: ["trainer.lr"])
    grids: List[Any] = field(default_factory=lambda: [[0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]])
    criterion: str = "success"
    restarts: int = 8
    eta: int = 3
    resource: str = "restarts"
    max_epochs: Optional[int] = None
    seed_offset: int = 1000003


@dataclass
class DiagnoseConfig:
    """Classify how failed restarts ended (expressivity/job/diagnose.py); off unless ``enabled``."""
    enabled: bool = False
    max_members: int = 16
    grad_tol: float = 1e-4
    hess_tol: float = 1e-6
    sat_tol: float = 1e-3
    step: float = 1e-5
    # The plateau class (issue 19); null = off, and then not hashed (records.config_hash), so
    # every existing diagnosed job keeps its config hash and cache entry.
    plateau_grad_tol: Optional[float] = None
    plateau_drop: Optional[float] = None


@dataclass
class Config:
    task: TaskConfig = field(default_factory=TaskConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    trainer: TrainerConfig = field(default_factory=TrainerConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    objective: ObjectiveConfig = field(default_factory=ObjectiveConfig)
    tune: TuneConfig = field(default_factory=TuneConfig)
    diagnose: DiagnoseConfig = field(default_factory=DiagnoseConfig)
    # A construction job (conf/construction/<name>.yaml; expressivity/constructions/): no training,
    # rows from a registered function. None (the default) for every training job.
    construction: Any = None
    seed: int = 0
    experiment: str = "adhoc"
    profile: str = "quick"
    cache_dir: Optional[str] = ".cache/expressivity"
    grids: Any = None      # an experiment file's grids: read while composing, not kept in the record


def register_configs():
    ConfigStore.instance().store(name="config_schema", node=Config)
    register_experiments()
    if not OmegaConf.has_resolver("sweep_id"):
        # Part of the default sweep folder's name, so two sweeps started in the same
        # second never share one; cached like ${now:}, so every job of a sweep agrees.
        OmegaConf.register_new_resolver("sweep_id", lambda: f"{os.getpid()}", use_cache=True)


def single_run_problem(argv):
    """The message for a non-boolean value given to a boolean key in a single run, or None.

    (A multirun's jobs are checked by the validating sweeper.)
    """
    if "-m" in argv or "--multirun" in argv:
        return None
    problems = bool_override_problems([a for a in argv if not a.startswith("-")], bool_keys(Config))
    return problems[0] if problems else None


def validate(cfg):
    """Raise ``ConfigError`` on the first value out of range; return None when all is well.

    Types are already checked by OmegaConf against the dataclasses above;
    this checks names, ranges and the memory a job would need.
    """
    if cfg.get("construction") is not None:
        from expressivity.constructions import construction_problem
        problem = construction_problem(OmegaConf.to_container(cfg.construction)
                                       if OmegaConf.is_config(cfg.construction) else cfg.construction)
        if problem:
            raise ConfigError(problem)
    _validate_task(cfg.task)
    _validate_model(cfg.model)
    _validate_trainer(cfg.trainer)
    _at_least("seed", cfg.seed, 0, "an integer >= 0 (it seeds numpy.random.SeedSequence)")
    _one_of("search.kind", cfg.search.kind, ("none", "min_width", "converged_width"))
    _positive("search.max_width", cfg.search.max_width)
    if cfg.search.kind == "converged_width":
        _validate_ladder(cfg.search)
    from expressivity.job.tuning import validate_tune
    validate_tune(cfg.tune, _fail)
    _at_least("diagnose.max_members", cfg.diagnose.max_members, 0, "an integer >= 0")
    for key in ("grad_tol", "hess_tol", "sat_tol", "step"):
        _positive(f"diagnose.{key}", getattr(cfg.diagnose, key), integer=False)
    plateau = [cfg.diagnose.plateau_grad_tol, cfg.diagnose.plateau_drop]
    if (plateau[0] is None) != (plateau[1] is None):
        _fail("diagnose.plateau_drop", plateau[1], "set together with diagnose.plateau_grad_tol "
              "(both null: no plateau class)")
    for key, value in zip(("plateau_grad_tol", "plateau_drop"), plateau):
        if value is not None:
            _positive(f"diagnose.{key}", value, integer=False)
    if cfg.task.name == "teacher_student":
        if cfg.model.depth != 1 or cfg.model.widths is not None:
            _fail("model.depth", cfg.model.depth, "1 (and no model.widths) for task.name=teacher_student")
        if not cfg.trainer.tol > 0:
            _fail("trainer.tol", cfg.trainer.tol, "a number > 0 for task.name=teacher_student (the fit)")
        if cfg.search.kind != "none":
            _fail("search.kind", cfg.search.kind, "none for task.name=teacher_student")
    if cfg.trainer.loss == "bce" and cfg.task.encoding == "pm1" and cfg.task.name in BOOLEAN_TASKS:
        # bce's targets are probabilities: a -1 target gives a negative loss and no fit
        _fail("trainer.loss", "bce", "squared or absolute with task.encoding=pm1 "
              "(bce needs 0/1 targets: task.encoding=01)")
    if cfg.tune.enabled and cfg.search.kind != "none":
        _fail("tune.enabled", True, "false when search.kind is not none (tune one width at a time)")
    problem = consistency_problem(cfg, Config)
    if problem:
        raise ConfigError(problem)
    from expressivity.job.memory import file_size_problem, memory_problem   # memory imports train, not config
    problem = memory_problem(cfg) or file_size_problem(cfg)
    if problem:
        raise ConfigError(problem)
