"""scikit-learn estimators over the population trainer: all restarts in one batched fit.

``PopulationMLPClassifier`` and ``PopulationMLPRegressor`` drop in for
scikit-learn's ``MLPClassifier`` and ``MLPRegressor``: the parameters that mean
the same carry the same names (``hidden_layer_sizes``, ``activation``,
``learning_rate_init``, ``max_iter``, ``batch_size``, ``tol``,
``n_iter_no_change``, ``early_stopping``, ``validation_fraction``,
``warm_start``, ``verbose``, ``random_state``), and so do the fitted attributes
(``coefs_``, ``intercepts_``, ``loss_curve_``, ``best_loss_``, ``n_iter_``,
``n_layers_``, ``n_outputs_``, ``out_activation_``, ``classes_``) and
``partial_fit``. What they add is ``n_restarts``: that many networks of one
architecture train together as one population (one set of batched matmuls, no
Python loop over restarts); the member with the lowest training loss (with
``early_stopping``, the best validation score) predicts, and every member's
outcome stays readable (``restart_losses_``, ``restart_n_iter_``,
``restart_diverged_``, ``outcome_``...).

The solver is plain SGD (with optional momentum and step-size ``schedule``),
not Adam, and ``batch_size=0`` means full batch. This module is not part of the
NumPy-only core: it wraps ``expressivity.nn`` and ``expressivity.train``.
"""
import inspect
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
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
# scikit-learn's names for the activations that mean the same as the core's.
ACTIVATION_ALIASES = {"logistic": "sigmoid"}
# batch_size="auto" as in scikit-learn: min(AUTO_BATCH, n_samples).
AUTO_BATCH = 200


def _integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _real(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def unscale_outputs(net, mean, std):
    """Make identity outputs trained on (y - mean) / std predict y: in place, every member."""
    net.weights[-1] = net.weights[-1] * std
    net.biases[-1] = net.biases[-1] * std + mean


class NoImprovement:
    """scikit-learn's stopping rule, for every member of a population at once.

    Each ``update(epoch, values)`` takes one number per member, where lower is
    better (a loss, or minus a validation score). A member whose value does not
    beat its best so far by more than ``tol`` for more than ``patience``
    consecutive epochs, or is not finite, stops: ``stopped_at`` (P,) is the
    epoch it stopped at, -1 while it goes on. ``improved`` says which members
    set a new best at the last update.
    """

    def __init__(self, members, tol, patience):
        self.tol, self.patience = tol, patience
        self.best = np.full(members, np.inf)
        self.count = np.zeros(members, dtype=int)
        self.stopped_at = np.full(members, -1)
        self.improved = np.zeros(members, dtype=bool)

    def update(self, epoch, values):
        """Members that stop at this epoch: (P,) bool."""
        values = np.asarray(values, dtype=float)
        going = self.stopped_at < 0
        finite = np.isfinite(values)
        self.count = np.where(going & finite & (values > self.best - self.tol), self.count + 1,
                              np.where(going, 0, self.count))
        self.improved = going & finite & (values < self.best)
        self.best = np.where(self.improved, values, self.best)
        stop = going & ((self.count > self.patience) | ~finite)
        self.stopped_at[stop] = epoch
        return stop


class _PopulationMLP(BaseEstimator):
    """Shared fitting: validation, seeding, batched fits, stopping, choice of the best member."""

    _output_activation = "identity"
    _losses = tuple(LOSSES)

    def __init__(self, hidden_layer_sizes=(16,), activation="tanh", loss="squared",
                 n_restarts=8, learning_rate_init=0.1, max_iter=500, batch_size=0, tol=1e-4,
                 n_iter_no_change=10, early_stopping=False, validation_fraction=0.1,
                 warm_start=False, verbose=False, momentum=0.0, schedule="constant",
                 init="xavier", init_scale=1.0, random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.loss = loss
        self.n_restarts = n_restarts
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.warm_start = warm_start
        self.verbose = verbose
        self.momentum = momentum
        self.schedule = schedule
        self.init = init
        self.init_scale = init_scale
        self.random_state = random_state

    # -- parameters ---------------------------------------------------------------------
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

    # -- the population -----------------------------------------------------------------
    def _start(self, n_in, n_out, rows):
        """A fresh population and its data-order generators (``random_state`` decides both)."""
        activation, hidden = self._check_params()
        random = check_random_state(self.random_state)
        seed = random.randint(np.iinfo(np.int32).max)
        init_seeds, order_seeds = np.random.SeedSequence(seed).spawn(2)
        P = int(self.n_restarts)
        sizes = [n_in, *hidden, n_out]
        self._check_memory(sizes, rows)
        activations = [activation] * len(hidden) + [self._output_activation]
        self._population = MLP.init(sizes, activations, population=P, init=self.init,
                                    scale=self.init_scale,
                                    rng=[np.random.default_rng(s) for s in init_seeds.spawn(P)])
        self._order_rngs = [np.random.default_rng(s) for s in order_seeds.spawn(P)]
        self._split_seed = random.randint(np.iinfo(np.int32).max)
        self._curves = [[] for _ in range(P)]
        self.n_layers_ = len(sizes)
        self.n_outputs_ = n_out
        self.out_activation_ = "logistic" if self._output_activation == "sigmoid" \
            else self._output_activation

    def _continues(self, n_in, n_out):
        """Whether a fit goes on from the population there is (warm start)."""
        if not (self.warm_start and hasattr(self, "_population")):
            return False
        sizes = self._population.sizes
        _, hidden = self._check_params()
        return (sizes[0], sizes[-1], list(sizes[1:-1])) == (n_in, n_out, hidden) and \
            len(self._population.weights[0]) == int(self.n_restarts)

    def _train(self, X, Y, threshold, validation=None):
        """Train the population on (X (B, d), Y (B, k)) until every member stops or ``max_iter``.

        ``validation`` is (X_val, Y_val, score) for early stopping: ``score(outputs (P, n, k),
        Y_val)`` -> (P,), higher is better; each member then ends with its best-scoring weights.
        """
        P = int(self.n_restarts)
        rule = NoImprovement(P, float(self.tol), int(self.n_iter_no_change))
        keep = {"scores": [], "weights": None}

        def monitor(start, epoch, loss, live):
            if epoch == 0:
                return None
            values = np.asarray(loss, dtype=float).copy()
            if validation is not None:
                index, weights, biases = live()
                members = start + index
                X_val, Y_val, score = validation
                scores = np.full(P, -np.inf)
                scores[members] = score(MLP(weights, biases, self._population.activations)
                                        .forward(X_val), Y_val)
                keep["scores"].append(scores)
                values = -scores
            stop = rule.update(epoch, np.where(rule.stopped_at < 0, values, np.inf))
            if validation is not None:
                self._keep_best_weights(keep, rule.improved, members, weights, biases)
            if self.verbose:
                going = int((rule.stopped_at < 0).sum())
                extra = "" if validation is None else \
                    f", validation score = {np.nanmax(keep['scores'][-1]):.8f}"
                print(f"Iteration {epoch}, loss = {np.nanmin(loss):.8f} (lowest of {P} "
                      f"restarts; {going} still training){extra}")
            return stop

        settings = self._settings(len(X), self.max_iter, self.learning_rate_init, self.schedule)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            outcome = train(self._population, X, Y, settings, rngs=self._order_rngs,
                            threshold=threshold, monitor=monitor)
        ran = np.where(rule.stopped_at < 0, int(self.max_iter), rule.stopped_at)
        if keep["weights"] is not None:
            self._population.weights, self._population.biases = keep["weights"]
        self._record_curves(outcome, ran)
        self._scores = None if validation is None else np.array(keep["scores"])
        if self.verbose and (rule.stopped_at >= 0).all():
            what = "Validation score" if validation is not None else "Training loss"
            print(f"{what} did not improve more than tol={self.tol} for "
                  f"{self.n_iter_no_change} consecutive epochs in any restart. Stopping.")
        return outcome

    @staticmethod
    def _keep_best_weights(keep, improved, members, weights, biases):
        """Copy the live members that set a new best validation score (early stopping)."""
        if keep["weights"] is None:
            keep["weights"] = ([np.zeros((len(improved),) + w.shape[1:]) for w in weights],
                               [np.zeros((len(improved),) + b.shape[1:]) for b in biases])
        rows = improved[members]
        for store, now in zip(keep["weights"][0] + keep["weights"][1], weights + biases):
            store[members[rows]] = now[rows]

    def _record_curves(self, outcome, ran):
        """Append each member's per-epoch loss (epochs 1..ran) to its curve."""
        curve = np.asarray(outcome.curve)
        for p, epochs in enumerate(ran):
            self._curves[p].extend(float(v) for v in curve[1:epochs + 1, p])
        self.restart_n_iter_ = np.asarray(ran, dtype=int)
        self.outcome_ = outcome

    def _one_epoch(self, X, Y, threshold):
        """partial_fit: one epoch for every member, at the schedule's step for the epochs so far."""
        self._check_params()
        epoch = max(len(c) for c in self._curves)
        d = SGDSettings()
        lr = SCHEDULES[self.schedule](float(self.learning_rate_init), epoch, d.tau, d.gamma,
                                      d.step_every)
        settings = self._settings(len(X), 1, lr, "constant")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            outcome = train(self._population, X, Y, settings, rngs=self._order_rngs,
                            threshold=threshold)
        self._record_curves(outcome, np.ones(len(self._curves), dtype=int))
        self._scores = None

    def _keep_best(self, losses, scores=None):
        """The chosen member: lowest training ``losses`` (P,), or best validation ``scores``."""
        losses = np.asarray(losses, dtype=float)
        finite = np.isfinite(losses)
        if not finite.any():
            raise ValueError(f"all {len(losses)} restarts diverged (loss not finite) with "
                             f"learning_rate_init={self.learning_rate_init!r}; allowed: a "
                             "smaller learning_rate_init")
        if scores is not None:
            best_scores = np.where(finite, np.nanmax(np.where(np.isfinite(scores), scores,
                                                              -np.inf), axis=0), -np.inf)
            ranked = np.lexsort((np.where(finite, losses, np.inf), -best_scores))
            self.best_restart_ = int(ranked[0])
            self.best_validation_score_ = float(best_scores[self.best_restart_])
            self.restart_validation_scores_ = scores
            self.validation_scores_ = [float(v) for v in
                                       scores[:self.restart_n_iter_[self.best_restart_],
                                              self.best_restart_]]
        else:
            self.best_restart_ = int(np.argmin(np.where(finite, losses, np.inf)))
            self.best_validation_score_ = self.validation_scores_ = None
            self.restart_validation_scores_ = None
        best = self.best_restart_
        self.network_ = self._chosen_network(best)
        self.restart_losses_ = losses
        self.restart_diverged_ = np.asarray(self.outcome_.diverged) | ~finite
        self.loss_ = float(losses[best])
        self.loss_curve_ = list(self._curves[best])
        self.restart_loss_curves_ = [np.array(c) for c in self._curves]
        self.best_loss_ = None if scores is not None else \
            (min(self.loss_curve_) if self.loss_curve_ else self.loss_)
        self.n_iter_ = int(self.restart_n_iter_[best])
        self.coefs_ = [w[0] for w in self.network_.weights]
        self.intercepts_ = [b[0] for b in self.network_.biases]

    def _chosen_network(self, best):
        return self._population.member(best)

    def _warn_if_unconverged(self):
        """scikit-learn's warning when the chosen restart ran out of epochs before it stopped."""
        if self.n_iter_ >= self.max_iter:
            warnings.warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached "
                          "and the optimization hasn't converged yet.", ConvergenceWarning)

    def _outputs(self, X):
        """Outputs of the best member: (B, n_out)."""
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self.network_.forward(X)[0]

    def _validation_split(self, X, Y, stratify):
        """(X_train, Y_train, X_val, Y_val), or (X, Y, None, None) without early stopping."""
        if not self.early_stopping:
            return X, Y, None, None
        X_train, X_val, Y_train, Y_val = train_test_split(
            X, Y, test_size=self.validation_fraction, random_state=self._split_seed,
            stratify=stratify)
        return X_train, Y_train, X_val, Y_val


def init_with_defaults(**defaults):
    """``_PopulationMLP.__init__`` with other defaults: scikit-learn reads an estimator's
    parameters and their defaults from its ``__init__`` signature, so each class shows its own."""
    base = inspect.signature(_PopulationMLP.__init__)
    signature = base.replace(parameters=[p.replace(default=defaults.get(p.name, p.default))
                                         for p in base.parameters.values()])

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        _PopulationMLP.__init__(*bound.args, **bound.kwargs)

    __init__.__signature__ = signature
    return __init__


class PopulationMLPClassifier(ClassifierMixin, _PopulationMLP):
    """Classifier: one sigmoid output per class (one for two classes), all restarts at once.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, units per hidden layer
    activation : {"sigmoid" (or "logistic"), "tanh", "relu", "identity", "softplus"}
    loss : {"bce", "squared", "absolute"}, per example summed over output units
    n_restarts : int, members trained together; the one with the lowest training loss predicts
    learning_rate_init, max_iter, batch_size : SGD step size, epochs at most, rows per step
        (0 = full batch, "auto" = min(200, n_samples))
    tol, n_iter_no_change : a restart stops when its training loss (with early_stopping, its
        validation accuracy) has not improved by more than tol for more than n_iter_no_change
        epochs (scikit-learn's rule); tol=0 stops only when it no longer improves at all
    early_stopping, validation_fraction : hold out that fraction (stratified) and keep, per
        restart, the weights of its best validation accuracy; the best of those predicts
    warm_start : fit goes on from the restarts already trained (same architecture)
    verbose : print the lowest loss over restarts every epoch
    momentum, schedule : SGD momentum and step-size schedule (the schedule and momentum's
        velocity restart at each call of fit)
    init, init_scale : weight initialiser and its scale
    random_state : int, RandomState or None; the same int gives identical fits

    Attributes
    ----------
    classes_ : (n_classes,) labels; best_restart_ : int; network_ : the best member (``MLP``)
    coefs_, intercepts_ : the best member's weights (fan_in, fan_out) and biases per layer
    loss_curve_ : the best member's training loss after each epoch (len n_iter_)
    best_loss_ : its lowest (None with early_stopping; then validation_scores_ per epoch and
        best_validation_score_ of the best member, restart_validation_scores_ (epochs, n_restarts))
    n_iter_ : epochs the best member ran in the last call of fit or partial_fit (as
        scikit-learn's; loss_curve_ goes on across warm starts); restart_n_iter_ : every member's
    n_layers_, n_outputs_, out_activation_ ("logistic") : as scikit-learn's
    restart_losses_, restart_accuracies_ : (n_restarts,) final training loss and accuracy
    restart_fitted_ : (n_restarts,) bool, every training row on the right side of 0.5
    restart_diverged_ : (n_restarts,) bool; restart_loss_curves_ : every member's curve
    outcome_ : the trainer's ``TrainOutcome`` of the last call; loss_ : best member's loss
    """

    _output_activation = "sigmoid"

    __init__ = init_with_defaults(loss="bce", learning_rate_init=0.5)

    def _set_classes(self, classes):
        self._binarizer = LabelBinarizer().fit(classes)
        self.classes_ = self._binarizer.classes_
        if len(self.classes_) < 2:
            raise ValueError(f"y has one class ({self.classes_[0]!r}); "
                             "allowed: at least 2 classes")

    def fit(self, X, y):
        """Train ``n_restarts`` networks on X (n_samples, n_features), y (n_samples,)."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        continues = self.warm_start and hasattr(self, "classes_") and \
            set(np.unique(y)) <= set(self.classes_)
        if not continues:
            self._set_classes(y)
        Y = self._binarizer.transform(y).astype(np.float64)
        if not (continues and self._continues(X.shape[1], Y.shape[1])):
            self._start(X.shape[1], Y.shape[1], X.shape[0])
        X_train, Y_train, X_val, Y_val = self._validation_split(X, Y, y)
        validation = None if X_val is None else (X_val, Y_val, self._accuracy)
        self._train(X_train, Y_train, 0.5, validation)
        return self._judge(X_train, Y_train)

    def partial_fit(self, X, y, classes=None):
        """One epoch of every restart on (X, y); ``classes`` is needed at the first call."""
        first = not hasattr(self, "_population")
        X, y = validate_data(self, X, y, dtype=np.float64, reset=first)
        check_classification_targets(y)
        if first:
            if classes is None:
                raise ValueError("classes=None at the first call of partial_fit; allowed: "
                                 "every label y can take, e.g. classes=np.unique(y_all)")
            self._set_classes(np.asarray(classes))
        unknown = np.setdiff1d(y, self.classes_)
        if len(unknown):
            raise ValueError(f"y has labels {unknown.tolist()!r} not in classes; allowed: "
                             f"{self.classes_.tolist()!r}")
        Y = self._binarizer.transform(y).astype(np.float64)
        if first:
            self._start(X.shape[1], Y.shape[1], X.shape[0])
        self._one_epoch(X, Y, 0.5)
        return self._judge(X, Y, warn=False)

    def _judge(self, X, Y, warn=True):
        judged = evaluate(self._population, X, Y, self.loss, threshold=0.5)
        self._keep_best(judged["loss"], self._scores)
        self.restart_accuracies_ = np.asarray(judged["accuracy"], dtype=float)
        self.restart_fitted_ = np.asarray(judged["fitted"], dtype=bool)
        if warn:
            self._warn_if_unconverged()
        return self

    @staticmethod
    def _accuracy(outputs, Y):
        """(P,) accuracy of every member's outputs (P, n, k) against one-hot / 0-1 ``Y``."""
        if Y.shape[1] == 1:
            return ((outputs[..., 0] > 0.5) == (Y[:, 0] > 0.5)).mean(axis=1)
        return (outputs.argmax(axis=2) == Y.argmax(axis=1)).mean(axis=1)

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

    def predict_log_proba(self, X):
        """(n_samples, n_classes) natural logarithm of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

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
    ``classes_``, ``restart_accuracies_`` and ``restart_fitted_``;
    ``out_activation_`` is "identity"; early stopping scores R² on the held-out
    rows); ``loss`` is ``"squared"`` (default) or ``"absolute"``.

    Training sees each target column standardised (mean 0, standard deviation
    1; from the first call of ``fit`` or ``partial_fit`` that starts the
    restarts), so that one step size suits targets of any scale; the chosen
    network's output layer is then rescaled exactly (``W *= std``, ``b = b * std
    + mean``), so ``network_``, ``coefs_``, ``intercepts_`` and ``restart_losses_``
    are in the units of ``y`` (``loss_curve_`` and ``outcome_`` stay on the
    standardised targets).
    """

    _losses = ("squared", "absolute")

    __init__ = init_with_defaults(loss="squared", learning_rate_init=0.02)

    def _targets(self, X, y, start):
        """Standardised (n, k) targets; ``start`` draws new restarts and new scaling."""
        self._single_output = y.ndim == 1
        Y = y.reshape(len(y), -1).astype(np.float64)
        if start:
            self._start(X.shape[1], Y.shape[1], X.shape[0])
            self._mean, self._std = Y.mean(axis=0), Y.std(axis=0)
            self._std[self._std == 0] = 1.0
        return Y, (Y - self._mean) / self._std

    def fit(self, X, y):
        """Train ``n_restarts`` networks on X (n_samples, n_features), y (n_samples[, n_targets])."""
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True)
        outputs = 1 if y.ndim == 1 else y.shape[1]
        Y, Z = self._targets(X, y, start=not self._continues(X.shape[1], outputs))
        X_train, Z_train, X_val, Z_val = self._validation_split(X, Z, None)
        validation = None if X_val is None else (X_val, Z_val, self._r2)
        self._train(X_train, Z_train, None, validation)
        return self._judge(X, Y)

    def partial_fit(self, X, y):
        """One epoch of every restart on (X, y)."""
        first = not hasattr(self, "_population")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True,
                             reset=first)
        Y, Z = self._targets(X, y, start=first)
        self._one_epoch(X, Z, None)
        return self._judge(X, Y, warn=False)

    def _judge(self, X, Y, warn=True):
        scaled = MLP([w.copy() for w in self._population.weights],
                     [b.copy() for b in self._population.biases], self._population.activations)
        unscale_outputs(scaled, self._mean, self._std)
        with np.errstate(over="ignore", invalid="ignore"):
            losses = scaled.loss(X, Y, self.loss)
        self._keep_best(losses, self._scores)
        if warn:
            self._warn_if_unconverged()
        return self

    def _chosen_network(self, best):
        net = self._population.member(best)
        unscale_outputs(net, self._mean, self._std)
        return net

    @staticmethod
    def _r2(outputs, Y):
        """(P,) R² of every member's outputs (P, n, k), averaged over target columns."""
        residual = ((outputs - Y) ** 2).sum(axis=1)
        total = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)
        total = np.where(total == 0, 1.0, total)
        return (1 - residual / total).mean(axis=1)

    def predict(self, X):
        """(n_samples,) or (n_samples, n_targets), as ``y`` was in ``fit``."""
        out = self._outputs(X)
        return out[:, 0] if self._single_output else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
