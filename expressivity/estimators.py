"""scikit-learn estimators over the population trainer: all restarts in one batched fit.

``PopulationMLPClassifier`` and ``PopulationMLPRegressor`` draw ``n_restarts``
networks of one architecture, train them together as one population (one set
of batched matmuls, no Python loop over restarts), keep the member with the
lowest training loss and expose every member's outcome (``restart_losses_``,
``restart_diverged_``, ``outcome_``…), so that ``fit``/``predict``,
``GridSearchCV`` and cross-validation work as with any scikit-learn model.

This module is not part of the NumPy-only core: it wraps ``expressivity.nn``
and ``expressivity.train`` for scikit-learn users.
"""
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from expressivity.job.config_checks import machine_memory_gb
from expressivity.job.consistency import MAX_INIT_SCALE
from expressivity.nn import INITIALISERS, LOSSES, MLP, TRAINABLE
from expressivity.train import SCHEDULES, SGDSettings, train
from expressivity.train.outcome import evaluate

# Keeps the normalisation of independent sigmoid outputs finite when all underflow.
PROBA_FLOOR = 1e-300
MAX_INT = 2 ** 63 - 1          # counts and sizes become int64
PARAMETER_COPIES = 6           # population, chunk copies, gradients, velocities (memory.py)
LAYER_COPIES = 6               # z, a, delta and scratch per layer


def _integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _real(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def unscale_outputs(net, mean, std):
    """Make identity outputs trained on (y - mean) / std predict y: in place, every member."""
    net.weights[-1] = net.weights[-1] * std
    net.biases[-1] = net.biases[-1] * std + mean


class _PopulationMLP(BaseEstimator):
    """Shared fitting: validation, seeding, one batched fit, choice of the best member."""

    _output_activation = "identity"
    _losses = tuple(LOSSES)

    def __init__(self, hidden_layer_sizes=(16,), activation="tanh", loss="squared",
                 n_restarts=8, lr=0.1, max_epochs=500, batch_size=0, momentum=0.0,
                 schedule="constant", init="xavier", init_scale=1.0, random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.loss = loss
        self.n_restarts = n_restarts
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.momentum = momentum
        self.schedule = schedule
        self.init = init
        self.init_scale = init_scale
        self.random_state = random_state

    def _check_params(self):
        """One clear error naming the parameter, its value and what is allowed."""
        choices = {"activation": TRAINABLE, "loss": self._losses, "schedule": tuple(SCHEDULES),
                   "init": tuple(INITIALISERS)}
        for key, allowed in choices.items():
            if getattr(self, key) not in allowed:
                raise ValueError(f"{key}={getattr(self, key)!r} is not known; "
                                 f"allowed: {', '.join(allowed)}")
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if _integer(sizes) else tuple(sizes) if isinstance(sizes, (list, tuple)) else None
        if sizes is None or not all(_integer(s) and 0 < s <= MAX_INT for s in sizes):
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r}; "
                             "allowed: positive integers, one per hidden layer")
        for key in ("n_restarts", "max_epochs"):
            value = getattr(self, key)
            if not _integer(value) or not 1 <= value <= MAX_INT:
                raise ValueError(f"{key}={value!r}; allowed: an integer >= 1 (not a bool) "
                                 "that fits int64")
        if not _integer(self.batch_size) or not 0 <= self.batch_size <= MAX_INT:
            raise ValueError(f"batch_size={self.batch_size!r}; allowed: 0 (full batch) "
                             "or a positive integer")
        if not _real(self.lr) or not np.isfinite(self.lr) or self.lr <= 0:
            raise ValueError(f"lr={self.lr!r}; allowed: a positive finite number")
        if not _real(self.momentum) or not 0 <= self.momentum < 1:
            raise ValueError(f"momentum={self.momentum!r}; allowed: a number, 0 <= momentum < 1")
        if not _real(self.init_scale) or not 0 < self.init_scale <= MAX_INIT_SCALE:
            raise ValueError(f"init_scale={self.init_scale!r}; allowed: a positive number at most "
                             f"{MAX_INIT_SCALE:g} (larger weights overflow)")
        return [int(s) for s in sizes]

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

    def _fit_population(self, X, Y, threshold):
        """Train ``n_restarts`` members on (X (B, d), Y (B, k)) as one population."""
        hidden = self._check_params()
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        init_seeds, order_seeds = np.random.SeedSequence(seed).spawn(2)
        P = int(self.n_restarts)
        sizes = [X.shape[1], *hidden, Y.shape[1]]
        self._check_memory(sizes, X.shape[0])
        activations = [self.activation] * len(hidden) + [self._output_activation]
        net = MLP.init(sizes, activations, population=P, init=self.init, scale=self.init_scale,
                       rng=[np.random.default_rng(s) for s in init_seeds.spawn(P)])
        settings = SGDSettings(loss=self.loss, lr=float(self.lr), schedule=self.schedule,
                               momentum=float(self.momentum), batch_size=int(self.batch_size),
                               max_epochs=int(self.max_epochs), stop_on_fit=False,
                               record_every=max(1, int(self.max_epochs) // 100))
        rngs = [np.random.default_rng(s) for s in order_seeds.spawn(P)]
        return net, train(net, X, Y, settings, rngs=rngs, threshold=threshold)

    def _keep_best(self, net, outcome, losses):
        """Fitted attributes: the best member (lowest ``losses`` (P,)) and every member's outcome."""
        losses = np.asarray(losses, dtype=float)
        finite = np.isfinite(losses)
        if not finite.any():
            raise ValueError(f"all {len(losses)} restarts diverged (loss not finite) with "
                             f"lr={self.lr!r}; allowed: a smaller lr")
        self.best_restart_ = int(np.argmin(np.where(finite, losses, np.inf)))
        self.network_ = net.member(self.best_restart_)
        self.outcome_ = outcome
        self.restart_losses_ = losses
        self.restart_diverged_ = np.asarray(outcome.diverged) | ~finite
        self.loss_ = float(losses[self.best_restart_])
        self.loss_curve_ = np.asarray(outcome.curve)[:, self.best_restart_]
        self.n_iter_ = int(self.max_epochs)

    def _outputs(self, X):
        """Outputs of the best member: (B, n_out)."""
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self.network_.forward(X)[0]


class PopulationMLPClassifier(ClassifierMixin, _PopulationMLP):
    """Classifier: one sigmoid output per class (one for two classes), all restarts at once.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, units per hidden layer
    activation : {"sigmoid", "tanh", "relu", "identity", "softplus"}, hidden layers
    loss : {"bce", "squared", "absolute"}, per example summed over output units
    n_restarts : int, members trained together; the one with the lowest training loss predicts
    lr, max_epochs, batch_size, momentum, schedule : SGD settings (batch_size 0 = full batch)
    init, init_scale : weight initialiser and its scale
    random_state : int, RandomState or None; the same int gives identical fits

    Attributes
    ----------
    classes_ : (n_classes,) labels; best_restart_ : int; network_ : the best member (``MLP``)
    restart_losses_, restart_accuracies_ : (n_restarts,) final training loss and accuracy
    restart_fitted_ : (n_restarts,) bool, every training row on the right side of 0.5
    restart_diverged_ : (n_restarts,) bool; outcome_ : the trainer's ``TrainOutcome``
    loss_, loss_curve_ : the best member's final loss and its loss curve
    """

    _output_activation = "sigmoid"

    def __init__(self, hidden_layer_sizes=(16,), activation="tanh", loss="bce",
                 n_restarts=8, lr=0.5, max_epochs=500, batch_size=0, momentum=0.0,
                 schedule="constant", init="xavier", init_scale=1.0, random_state=None):
        super().__init__(hidden_layer_sizes, activation, loss, n_restarts, lr, max_epochs,
                         batch_size, momentum, schedule, init, init_scale, random_state)

    def fit(self, X, y):
        """Train ``n_restarts`` networks on X (n_samples, n_features), y (n_samples,)."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self._binarizer = LabelBinarizer().fit(y)
        self.classes_ = self._binarizer.classes_
        if len(self.classes_) < 2:
            raise ValueError(f"y has one class ({self.classes_[0]!r}); "
                             "allowed: at least 2 classes")
        Y = self._binarizer.transform(y).astype(np.float64)
        net, outcome = self._fit_population(X, Y, threshold=0.5)
        self._keep_best(net, outcome, outcome.final_loss)
        judged = evaluate(net, X, Y, self.loss, threshold=0.5)
        self.restart_accuracies_ = np.asarray(judged["accuracy"], dtype=float)
        self.restart_fitted_ = np.asarray(judged["fitted"], dtype=bool)
        return self

    def predict_proba(self, X):
        """(n_samples, n_classes) probabilities: sigmoid outputs rescaled to sum to 1.

        The core's output units are independent sigmoids (no softmax): for two
        classes the one output ``p`` gives ``[1 - p, p]``; for more, the outputs
        are divided by their sum.
        """
        check_is_fitted(self, "network_")
        out = self._outputs(X)
        if len(self.classes_) == 2:
            return np.hstack([1 - out, out])
        out = np.maximum(out, PROBA_FLOOR)
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, X):
        """(n_samples,) the class with the highest probability."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags


class PopulationMLPRegressor(RegressorMixin, _PopulationMLP):
    """Regressor: identity outputs, one per target column, all restarts at once.

    Parameters and attributes as ``PopulationMLPClassifier`` (without
    ``classes_``, ``restart_accuracies_`` and ``restart_fitted_``); ``loss`` is
    ``"squared"`` (default) or ``"absolute"``.

    Training sees each target column standardised (mean 0, standard deviation
    1), so that one step size suits targets of any scale; the output layer is
    then rescaled exactly (``W *= std``, ``b = b * std + mean``), so ``network_``
    predicts in the units of ``y`` and ``restart_losses_`` are in those units
    (``loss_curve_`` and ``outcome_`` stay on the standardised targets).
    """

    _losses = ("squared", "absolute")

    def __init__(self, hidden_layer_sizes=(16,), activation="tanh", loss="squared",
                 n_restarts=8, lr=0.02, max_epochs=500, batch_size=0, momentum=0.0,
                 schedule="constant", init="xavier", init_scale=1.0, random_state=None):
        super().__init__(hidden_layer_sizes, activation, loss, n_restarts, lr, max_epochs,
                         batch_size, momentum, schedule, init, init_scale, random_state)

    def fit(self, X, y):
        """Train ``n_restarts`` networks on X (n_samples, n_features), y (n_samples[, n_targets])."""
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True)
        self._single_output = y.ndim == 1
        Y = y.reshape(len(y), -1).astype(np.float64)
        mean, std = Y.mean(axis=0), Y.std(axis=0)
        std[std == 0] = 1.0
        net, outcome = self._fit_population(X, (Y - mean) / std, threshold=None)
        unscale_outputs(net, mean, std)
        with np.errstate(over="ignore", invalid="ignore"):
            losses = net.loss(X, Y, self.loss)
        self._keep_best(net, outcome, losses)
        return self

    def predict(self, X):
        """(n_samples,) or (n_samples, n_targets), as ``y`` was in ``fit``."""
        out = self._outputs(X)
        return out[:, 0] if self._single_output else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
