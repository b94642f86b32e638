"""``PopulationMLPClassifier``: sigmoid outputs, one per class, all restarts in one fit."""
import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from expressivity.estimators.population import _PopulationMLP, init_with_defaults
from expressivity.train.outcome import evaluate

# Keeps the normalisation of independent sigmoid outputs finite when all underflow.
PROBA_FLOOR = 1e-300


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
