"""The estimators' parameters: one clear error per bad value, the memory check, the trainer's settings."""
import numpy as np

from expressivity.job.config_checks import machine_memory_gb
from expressivity.job.consistency import MAX_INIT_SCALE
from expressivity.nn import INITIALISERS, TRAINABLE
from expressivity.train import SCHEDULES, SGDSettings

MAX_INT = 2 ** 63 - 1          # counts and sizes become int64
PARAMETER_COPIES = 6           # population, chunk copies, gradients, velocities (memory.py)
LAYER_COPIES = 6               # z, a, delta and scratch per layer
# scikit-learn's names for the activations that mean the same as the core's.
ACTIVATION_ALIASES = {"logistic": "sigmoid"}
# batch_size="auto" as in scikit-learn: min(AUTO_BATCH, n_samples).
AUTO_BATCH = 200


def _integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _real(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


class ParameterChecks:
    """The parameter checks and the trainer's settings of ``population._PopulationMLP`` (its ``_losses``)."""

    def _check_params(self):
        """One clear error naming the parameter, its value and what is allowed."""
        activation = ACTIVATION_ALIASES.get(self.activation, self.activation)
        choices = {"activation": (activation, TRAINABLE + tuple(ACTIVATION_ALIASES)),
                   "loss": (self.loss, self._losses),
                   "schedule": (self.schedule, tuple(SCHEDULES)),
                   "init": (self.init, tuple(INITIALISERS))}
        for key, (value, allowed) in choices.items():
            if value not in allowed:
                raise ValueError(f"{key}={getattr(self, key)!r} is not known; "
                                 f"allowed: {', '.join(allowed)}")
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if _integer(sizes) else tuple(sizes) if isinstance(sizes, (list, tuple)) else None
        if sizes is None or not all(_integer(s) and 0 < s <= MAX_INT for s in sizes):
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r}; "
                             "allowed: positive integers, one per hidden layer")
        for key in ("n_restarts", "max_iter", "n_iter_no_change"):
            value = getattr(self, key)
            if not _integer(value) or not 1 <= value <= MAX_INT:
                raise ValueError(f"{key}={value!r}; allowed: an integer >= 1 (not a bool) "
                                 "that fits int64")
        if self.batch_size != "auto" and (not _integer(self.batch_size)
                                          or not 0 <= self.batch_size <= MAX_INT):
            raise ValueError(f"batch_size={self.batch_size!r}; allowed: 0 (full batch), "
                             "'auto' (min(200, n_samples)) or a positive integer")
        for key in ("learning_rate_init",):
            value = getattr(self, key)
            if not _real(value) or not np.isfinite(value) or value <= 0:
                raise ValueError(f"{key}={value!r}; allowed: a positive finite number")
        if not _real(self.tol) or not (np.isfinite(self.tol) and self.tol >= 0):
            raise ValueError(f"tol={self.tol!r}; allowed: a finite number >= 0")
        if not _real(self.validation_fraction) or not 0 < self.validation_fraction < 1:
            raise ValueError(f"validation_fraction={self.validation_fraction!r}; "
                             "allowed: 0 < validation_fraction < 1")
        if not _real(self.momentum) or not 0 <= self.momentum < 1:
            raise ValueError(f"momentum={self.momentum!r}; allowed: a number, 0 <= momentum < 1")
        if not _real(self.init_scale) or not 0 < self.init_scale <= MAX_INIT_SCALE:
            raise ValueError(f"init_scale={self.init_scale!r}; allowed: a positive number at most "
                             f"{MAX_INIT_SCALE:g} (larger weights overflow)")
        return activation, [int(s) for s in sizes]

    def _check_memory(self, sizes, rows):
        """ValueError when ``n_restarts`` members of ``sizes`` on ``rows`` examples cannot fit in
        half this machine's memory (the parameters and each layer's values, several copies)."""
        machine = machine_memory_gb()
        if machine is None:
            return
        params = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
        need = 8 * int(self.n_restarts) * (PARAMETER_COPIES * params
                                           + LAYER_COPIES * rows * sum(sizes[1:])) / 2 ** 30
        if need > machine / 2:
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r} with n_restarts="
                             f"{self.n_restarts!r} on {rows} rows needs about {need:.3g} GiB; allowed: "
                             f"at most {machine / 2:.1f} GiB (half this machine's memory): "
                             "fewer restarts or smaller layers")

    def _settings(self, rows, max_epochs, lr, schedule):
        batch = min(AUTO_BATCH, rows) if self.batch_size == "auto" else int(self.batch_size)
        P = int(self.n_restarts)
        # One chunk holding every member, so that the stopping rule sees them all at once
        # (chunking changes no number, train.sgd).
        return SGDSettings(loss=self.loss, lr=float(lr), schedule=schedule,
                           momentum=float(self.momentum), batch_size=batch,
                           max_epochs=int(max_epochs), stop_on_fit=False, record_every=1,
                           chunk_size=P)
