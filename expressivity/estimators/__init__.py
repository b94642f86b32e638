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
from expressivity.estimators.classifier import PopulationMLPClassifier
from expressivity.estimators.regressor import PopulationMLPRegressor, unscale_outputs
from expressivity.estimators.stopping import NoImprovement

__all__ = ["NoImprovement", "PopulationMLPClassifier", "PopulationMLPRegressor", "unscale_outputs"]
