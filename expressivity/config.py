"""Structured-config schemas (registered in Hydra's ConfigStore) and validation.

OmegaConf checks types against these dataclasses; ``validate`` checks ranges
and names, before any work, with one message that names the key, the value
and what is allowed.
"""
import math
import os
from pathlib import Path
from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any, List, Optional

from hydra.core.config_store import ConfigStore
from omegaconf import OmegaConf

from .consistency import bool_keys, bool_override_problems, consistency_problem
from .nn import ACTIVATIONS, INITIALISERS, LOSSES, TRAINABLE
from .tasks import MAX_BITS, TASK_NAMES
from .train import SCHEDULES, SGDSettings


MAX_DEPTH = 1000   # hidden layers; deeper nets are far outside this project


class ConfigError(ValueError):
    """A config value outside what is allowed."""


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
# takes every other field, type and default from it (tests/test_defaults.py).
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
    # converged_width only (expressivity/converged_search.py)
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
    """The tuning protocol (expressivity/tuning.py); off unless ``enabled``."""
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
    """Classify how failed restarts ended (expressivity/diagnose.py); off unless ``enabled``."""
    enabled: bool = False
    max_members: int = 16
    grad_tol: float = 1e-4
    hess_tol: float = 1e-6
    sat_tol: float = 1e-3
    step: float = 1e-5


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


def _fail(key, value, allowed):
    raise ConfigError(f"{key}={value!r} is not allowed; allowed: {allowed}")


def _one_of(key, value, names):
    if value not in names:
        _fail(key, value, "one of " + ", ".join(sorted(names)))


def _positive(key, value, integer=True):
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok or not value > 0 or not math.isfinite(value):
        _fail(key, value, "a positive " + ("integer" if integer else "number"))


def _at_least(key, value, low, allowed):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        _fail(key, value, allowed)


def _within(key, value, low, high, allowed, high_open=False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < low or value > high or (high_open and value == high):
        _fail(key, value, allowed)


def hidden_widths(model):
    """The hidden layer widths a model config asks for."""
    return list(model.widths) if model.widths is not None else [model.width] * model.depth


def validate(cfg):
    """Raise ``ConfigError`` on the first value out of range; return None when all is well.

    Types are already checked by OmegaConf against the dataclasses above;
    this checks names, ranges and the memory a job would need.
    """
    if cfg.get("construction") is not None:
        from .constructions import construction_problem
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
    from .tuning import validate_tune
    validate_tune(cfg.tune, _fail)
    _at_least("diagnose.max_members", cfg.diagnose.max_members, 0, "an integer >= 0")
    for key in ("grad_tol", "hess_tol", "sat_tol", "step"):
        _positive(f"diagnose.{key}", getattr(cfg.diagnose, key), integer=False)
    if cfg.task.name == "teacher_student":
        if cfg.model.depth != 1 or cfg.model.widths is not None:
            _fail("model.depth", cfg.model.depth, "1 (and no model.widths) for task.name=teacher_student")
        if not cfg.trainer.tol > 0:
            _fail("trainer.tol", cfg.trainer.tol, "a number > 0 for task.name=teacher_student (the fit)")
        if cfg.search.kind != "none":
            _fail("search.kind", cfg.search.kind, "none for task.name=teacher_student")
    if cfg.tune.enabled and cfg.search.kind != "none":
        _fail("tune.enabled", True, "false when search.kind is not none (tune one width at a time)")
    problem = consistency_problem(cfg, Config)
    if problem:
        raise ConfigError(problem)
    from .memory import memory_problem   # memory imports train, which must not import config
    problem = memory_problem(cfg)
    if problem:
        raise ConfigError(problem)


def _validate_ladder(s):
    _positive("search.start_width", s.start_width)
    _one_of("search.shape", s.shape, ("uniform", "halving"))
    epochs, restarts = list(s.budget_epochs), list(s.budget_restarts)
    if not epochs or len(epochs) != len(restarts):
        _fail("search.budget_epochs", epochs, f"a non-empty list as long as search.budget_restarts={restarts}")
    for key, values in (("search.budget_epochs", epochs), ("search.budget_restarts", restarts)):
        for i, v in enumerate(values):
            _positive(f"{key}[{i}]", v)
        if any(b < a for a, b in zip(values, values[1:])):
            _fail(key, values, "a non-decreasing list (budgets only grow)")


def _validate_task(t):
    _one_of("task.name", t.name, TASK_NAMES)
    if not isinstance(t.n, int) or not 1 <= t.n <= MAX_BITS:
        _fail("task.n", t.n, f"an integer 1..{MAX_BITS} (a truth table has 2^n rows)")
    _one_of("task.encoding", t.encoding, ("01", "pm1"))
    _at_least("task.seed", t.seed, 0, "an integer >= 0")
    _positive("task.terms", t.terms)
    _positive("task.points", t.points)
    _one_of("task.sampling", t.sampling, ("grid", "uniform"))
    _positive("task.L", t.L)
    _one_of("task.distribution", t.distribution, ("lognormal", "outliers", "point"))
    _within("task.outlier_fraction", t.outlier_fraction, 0, 1, "a number in [0, 1]")


def _validate_model(m):
    _at_least("model.depth", m.depth, 0, "an integer >= 0 (hidden layers)")
    if m.depth > MAX_DEPTH:   # before building a list of widths that long
        _fail("model.depth", m.depth, f"an integer 0..{MAX_DEPTH} (hidden layers)")
    for i, w in enumerate(hidden_widths(m)):
        _positive("model.width" if m.widths is None else f"model.widths[{i}]", w)
    _one_of("model.activation", m.activation, TRAINABLE)
    _one_of("model.output_activation", m.output_activation, ("auto", *TRAINABLE))
    _one_of("model.init", m.init, INITIALISERS)
    _positive("model.init_scale", m.init_scale, integer=False)
    _one_of("model.dtype", m.dtype, ("float64", "float32"))


def _validate_trainer(tr):
    _one_of("trainer.loss", tr.loss, LOSSES)
    _positive("trainer.lr", tr.lr, integer=False)
    _one_of("trainer.schedule", tr.schedule, SCHEDULES)
    _positive("trainer.tau", tr.tau, integer=False)
    _within("trainer.gamma", tr.gamma, 0, 1, "a number in (0, 1]")
    if tr.gamma == 0:
        _fail("trainer.gamma", tr.gamma, "a number in (0, 1]")
    _positive("trainer.step_every", tr.step_every)
    _within("trainer.momentum", tr.momentum, 0, 1, "a number in [0, 1)", high_open=True)
    _at_least("trainer.batch_size", tr.batch_size, 0, "0 (full batch) or a positive integer")
    _at_least("trainer.max_epochs", tr.max_epochs, 0, "an integer >= 0")
    _within("trainer.tol", tr.tol, 0, math.inf, "a number >= 0 (0: no loss target)")
    for key in ("restarts", "record_every", "threads"):
        _positive(f"trainer.{key}", getattr(tr, key))
    _at_least("trainer.chunk_size", tr.chunk_size, 0, "0 (automatic) or a positive integer")
    _positive("trainer.memory_budget_gb", tr.memory_budget_gb, integer=False)
    _one_of("trainer.backend", tr.backend, ("numpy", "torch"))


EXPERIMENTS = Path(__file__).resolve().parent / "conf" / "experiment"


USER_CONFIG_FLAGS = ("-cd", "--config-dir", "-cp", "--config-path")


def unknown_experiment(overrides, folder=EXPERIMENTS):
    """The message for an ``+experiment=<name>`` override naming no experiment file, or None.

    Hydra says "could not find experiment/<name>" only while ``expressivity/conf/experiment/``
    holds at least one file; otherwise it complains that a key ``experiment``
    already exists, which names neither the value nor what is allowed.
    """
    if any(o.lstrip("+").startswith("hydra.searchpath") or o.split("=")[0] in USER_CONFIG_FLAGS
           for o in overrides):
        return None   # extra config folders may hold the experiment: Hydra decides
    known = sorted(p.stem for p in Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []
    for override in overrides:
        key, _, value = override.lstrip("+").partition("=")
        if key != "experiment" or not override.startswith("+"):
            continue
        for name in value.split(","):
            if name not in known:
                allowed = ("one of " + ", ".join(known) + " (files in expressivity/conf/experiment/)" if known
                           else "none yet: expressivity/conf/experiment/ holds no <id>.yaml")
                return f"experiment={name!r} is not allowed; allowed: {allowed}"
    return None
