"""Range and name checks of one job's config sections, each failing with one message.

``ConfigError`` names the key, the value and what is allowed. ``config.validate``
runs these checks (and the whole-config ones) before any work.
"""
import math
import os

from expressivity.nn import INITIALISERS, LOSSES, TRAINABLE
from expressivity.tasks import MAX_BITS, TASK_NAMES
from expressivity.train import SCHEDULES

MAX_DEPTH = 1000   # hidden layers; deeper nets are far outside this project
INT64_MAX = 2 ** 63 - 1   # counts become NumPy int64 arrays and products of them (member-epochs)
MAX_TERMS = 4096   # DNF terms: each is one pass over the 2^n rows; more than 3^n are repeats anyway
MAX_SAWTOOTH_L = 52   # 2^L pieces on [0, 1]: float64 resolves no more than 2^52


def machine_memory_gb():
    """This machine's physical memory in GiB (None where the OS does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    except (ValueError, OSError, AttributeError):
        return None


class ConfigError(ValueError):
    """A config value outside what is allowed."""


def _fail(key, value, allowed):
    raise ConfigError(f"{key}={value!r} is not allowed; allowed: {allowed}")


def _one_of(key, value, names):
    if value not in names:
        _fail(key, value, "one of " + ", ".join(sorted(names)))


def _positive(key, value, integer=True):
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    _fits_int64(key, value)
    if isinstance(value, bool) or not ok or not value > 0 or not math.isfinite(value):
        _fail(key, value, "a positive " + ("integer" if integer else "number"))


def _at_least(key, value, low, allowed):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        _fail(key, value, allowed)
    _fits_int64(key, value)


def _fits_int64(key, value):
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64_MAX:
        _fail(key, value, f"an integer that fits int64 (at most {INT64_MAX})")


def _at_most(key, value, high, allowed):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > high:
        _fail(key, value, allowed)


def _within(key, value, low, high, allowed, high_open=False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < low or value > high or (high_open and value == high):
        _fail(key, value, allowed)


def hidden_widths(model):
    """The hidden layer widths a model config asks for."""
    return list(model.widths) if model.widths is not None else [model.width] * model.depth


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
    _at_most("task.terms", t.terms, MAX_TERMS, f"an integer 1..{MAX_TERMS} (random conjunctions)")
    _positive("task.points", t.points)
    _one_of("task.sampling", t.sampling, ("grid", "uniform"))
    _positive("task.L", t.L)
    _at_most("task.L", t.L, MAX_SAWTOOTH_L,
             f"an integer 1..{MAX_SAWTOOTH_L} (2^L pieces; float64 resolves at most 2^52)")
    _one_of("task.distribution", t.distribution, ("lognormal", "outliers", "point"))
    _within("task.outlier_fraction", t.outlier_fraction, 0, 1, "a number in [0, 1]")


def _validate_model(m):
    _at_least("model.depth", m.depth, 0, "an integer >= 0 (hidden layers)")
    if m.depth > MAX_DEPTH:   # before building a list of widths that long
        _fail("model.depth", m.depth, f"an integer 0..{MAX_DEPTH} (hidden layers)")
    _positive("model.width", m.width)   # checked with model.widths too: the record keeps it
    if m.widths is not None:
        for i, w in enumerate(m.widths):
            _positive(f"model.widths[{i}]", w)
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
    machine = machine_memory_gb()
    if machine is not None:
        _at_most("trainer.memory_budget_gb", tr.memory_budget_gb, machine,
                 f"a positive number at most this machine's memory ({machine:.1f} GiB)")
    _one_of("trainer.backend", tr.backend, ("numpy", "torch"))
    if tr.backend == "torch":
        import importlib.util
        if importlib.util.find_spec("torch") is None:
            _fail("trainer.backend", tr.backend,
                  "numpy, or torch once PyTorch is installed (pip install \"expressivity[torch]\")")
