"""Structured-config schemas (registered in Hydra's ConfigStore) and validation.

OmegaConf checks types against these dataclasses; ``validate`` checks ranges
and names, before any work, with one message that names the key, the value
and what is allowed.
"""
from dataclasses import dataclass, field
from typing import Any, List, Optional

from hydra.core.config_store import ConfigStore

from .nn import ACTIVATIONS, INITIALISERS, LOSSES, TRAINABLE
from .tasks import MAX_BITS, TASK_NAMES
from .train import SCHEDULES


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


@dataclass
class TrainerConfig:
    loss: str = "squared"
    lr: float = 0.5
    schedule: str = "constant"
    tau: float = 100.0
    gamma: float = 0.99
    step_every: int = 100
    momentum: float = 0.0
    batch_size: int = 0
    max_epochs: int = 1000
    tol: float = 0.0
    stop_on_fit: bool = True
    restarts: int = 100
    record_every: int = 10
    chunk_size: int = 0
    threads: int = 1
    memory_budget_gb: float = 4.0


@dataclass
class SearchConfig:
    kind: str = "none"
    max_width: int = 256


@dataclass
class Config:
    task: TaskConfig = field(default_factory=TaskConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    trainer: TrainerConfig = field(default_factory=TrainerConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    seed: int = 0
    experiment: str = "adhoc"
    profile: str = "quick"
    cache_dir: Optional[str] = ".cache/expressivity"
    claim: Any = None
    grids: Any = None


def register_configs():
    ConfigStore.instance().store(name="config_schema", node=Config)


def _fail(key, value, allowed):
    raise ConfigError(f"{key}={value!r} is not allowed; allowed: {allowed}")


def _one_of(key, value, names):
    if value not in names:
        _fail(key, value, "one of " + ", ".join(sorted(names)))


def _positive(key, value, integer=True):
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok or not value > 0:
        _fail(key, value, "a positive " + ("integer" if integer else "number"))


def hidden_widths(model):
    """The hidden layer widths a model config asks for."""
    return list(model.widths) if model.widths is not None else [model.width] * model.depth


def validate(cfg):
    """Raise ``ConfigError`` on the first value out of range; return None when all is well."""
    t, m, tr = cfg.task, cfg.model, cfg.trainer
    _one_of("task.name", t.name, TASK_NAMES)
    if not isinstance(t.n, int) or not 1 <= t.n <= MAX_BITS:
        _fail("task.n", t.n, f"an integer 1..{MAX_BITS} (2^n truth-table rows)")
    _one_of("task.encoding", t.encoding, ("01", "pm1"))
    if m.depth < 0:
        _fail("model.depth", m.depth, "an integer >= 0 (hidden layers)")
    for i, w in enumerate(hidden_widths(m)):
        _positive("model.width" if m.widths is None else f"model.widths[{i}]", w)
    _one_of("model.activation", m.activation, TRAINABLE)
    _one_of("model.output_activation", m.output_activation, ("auto", *TRAINABLE))
    _one_of("model.init", m.init, INITIALISERS)
    _one_of("model.dtype", m.dtype, ("float64", "float32"))
    _one_of("trainer.loss", tr.loss, LOSSES)
    _positive("trainer.lr", tr.lr, integer=False)
    _one_of("trainer.schedule", tr.schedule, SCHEDULES)
    if not 0 <= tr.momentum < 1:
        _fail("trainer.momentum", tr.momentum, "a number in [0, 1)")
    if tr.batch_size < 0:
        _fail("trainer.batch_size", tr.batch_size, "0 (full batch) or a positive integer")
    if tr.max_epochs < 0:
        _fail("trainer.max_epochs", tr.max_epochs, "an integer >= 0")
    for key in ("restarts", "record_every", "threads"):
        _positive(f"trainer.{key}", getattr(tr, key))
    if not isinstance(tr.chunk_size, int) or tr.chunk_size < 0:
        _fail("trainer.chunk_size", tr.chunk_size, "0 (automatic) or a positive integer")
    _one_of("search.kind", cfg.search.kind, ("none", "min_width"))
    _check_memory(cfg)


def estimate_memory_gb(cfg, rows):
    """Bytes one chunk of the population needs while training, in GiB (a rough upper bound)."""
    units = cfg.task.n + sum(hidden_widths(cfg.model)) + 1
    if cfg.search.kind == "min_width":
        units += cfg.search.max_width * max(cfg.model.depth, 1)
    itemsize = 8 if cfg.model.dtype == "float64" else 4
    chunk = min(cfg.trainer.chunk_size, cfg.trainer.restarts)
    # z, a and delta per layer, plus a few temporaries: about 6 arrays of (chunk, rows, units).
    return 6 * chunk * rows * units * itemsize / 2 ** 30


def _check_memory(cfg):
    rows = 2 ** cfg.task.n if cfg.task.name not in ("square", "sin", "product", "sawtooth",
                                                    "constant") else cfg.task.points
    need = estimate_memory_gb(cfg, rows)
    if need > cfg.trainer.memory_budget_gb:
        raise ConfigError(
            f"this job needs about {need:.1f} GiB per chunk of members, over "
            f"trainer.memory_budget_gb={cfg.trainer.memory_budget_gb}; lower trainer.chunk_size "
            f"(now {cfg.trainer.chunk_size}), model.width or task.n, or raise the budget")
