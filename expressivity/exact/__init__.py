"""Exact minimal sizes of small step-unit networks, through a SAT solver (python-sat).

Outside the NumPy-only core on purpose: ``threshold_functions`` (enumerated
threshold functions), ``npn`` (classes of functions with the same width),
``min_width`` (the SAT program), ``witness`` (the net each answer builds),
``table`` (the per-class table and histogram the claim reports).
"""
from .min_width import minimal_widths
from .npn import class_table, npn_classes
from .table import ACTIVATION, exact_table, histogram, named_widths
from .threshold_functions import output_functions, positive_threshold_functions, threshold_functions
from .witness import weights_of, witness_network

__all__ = ["minimal_widths", "class_table", "npn_classes", "exact_table", "histogram", "named_widths",
           "ACTIVATION", "output_functions", "positive_threshold_functions", "threshold_functions",
           "weights_of", "witness_network"]
