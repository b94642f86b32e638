"""``PopulationMLPRegressor``: identity outputs on standardised targets, all restarts in one fit."""
import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import validate_data

from expressivity.estimators.population import _PopulationMLP, init_with_defaults
from expressivity.nn import MLP


def unscale_outputs(net, mean, std):
    """Make identity outputs trained on (y - mean) / std predict y: in place, every member."""
    net.weights[-1] = net.weights[-1] * std
    net.biases[-1] = net.biases[-1] * std + mean


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
