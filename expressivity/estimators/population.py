"""The estimators' shared fitting: a population of restarts trained as one batched fit."""
import inspect
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from expressivity.estimators.parameters import ParameterChecks
from expressivity.estimators.stopping import NoImprovement
from expressivity.nn import LOSSES, MLP
from expressivity.train import SCHEDULES, SGDSettings, train


class _PopulationMLP(ParameterChecks, BaseEstimator):
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
