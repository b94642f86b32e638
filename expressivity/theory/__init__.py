"""Explicit constructions and exact counts, checked by running them as ``MLP``s.

One idea per module: ``dnf`` (any truth table in one layer of step units),
``parity`` (one wide layer or a tree of XOR blocks), ``linear`` (identity
activations collapse to one matrix), ``sawtooth`` + ``pieces`` +
``interpolant`` (Telgarsky's tent map and exact counts of linear pieces),
``product`` + ``derivatives`` (Lin–Tegmark–Rolnick multiplication gates),
``counting`` + ``threshold`` (enumerating small networks), ``gradcheck``
(backprop against central differences), ``tables`` (truth tables as codes).
NumPy only, plus ``expressivity.nn`` and ``expressivity.tasks``.
"""
from expressivity.theory.counting import count_functions, enumerated_population, networks_in
from expressivity.theory.dnf import dnf_network, dnf_width
from expressivity.theory.gradcheck import kink_distance, numeric_gradients, relative_errors
from expressivity.theory.inner_product import inner_product_deep
from expressivity.theory.interpolant import interpolant_error, relu_interpolant
from expressivity.theory.linear import best_affine_loss, collapse, collapsed_network
from expressivity.theory.parity import parity_shallow, parity_tree
from expressivity.theory.pieces import candidate_points, linear_pieces
from expressivity.theory.product import (gate_error_coefficient, multiplication_gate, product_error,
                      product_shallow, product_tree)
from expressivity.theory.sawtooth import sawtooth_deep, sawtooth_shallow, shallow_units_needed
from expressivity.theory.tables import all_functions, random_functions, table_codes
from expressivity.theory.threshold import threshold_count

__all__ = [
    "all_functions", "random_functions", "table_codes",
    "dnf_network", "dnf_width", "parity_shallow", "parity_tree", "inner_product_deep",
    "collapse", "collapsed_network", "best_affine_loss",
    "relu_interpolant", "interpolant_error", "candidate_points", "linear_pieces",
    "sawtooth_deep", "sawtooth_shallow", "shallow_units_needed",
    "multiplication_gate", "product_tree", "product_shallow", "product_error",
    "gate_error_coefficient", "count_functions", "enumerated_population", "networks_in",
    "threshold_count", "numeric_gradients", "relative_errors", "kink_distance",
]
