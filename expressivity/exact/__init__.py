"""Exact minimal sizes of small step-unit networks, through a SAT solver (python-sat).

Outside the NumPy-only core on purpose: ``threshold_functions`` (enumerated
threshold functions), ``npn`` (classes of functions with the same width),
``min_width`` (the SAT program), ``witness`` (the net each answer builds),
``table`` (the per-class table and histogram the claim reports).
"""
from expressivity.exact.min_width import minimal_widths
from expressivity.exact.npn import class_table, npn_classes
from expressivity.exact.table import ACTIVATION, exact_table, histogram, named_widths
from expressivity.exact.threshold_functions import output_functions, positive_threshold_functions, threshold_functions
from expressivity.exact.witness import weights_of, witness_network

__all__ = ["minimal_widths", "class_table", "npn_classes", "exact_table", "histogram", "named_widths",
           "ACTIVATION", "output_functions", "positive_threshold_functions", "threshold_functions",
           "weights_of", "witness_network"]
