"""Exact minimal sizes of small step-unit networks, through a SAT solver (python-sat).

Part of the core: NumPy and the SAT solver only. ``threshold_functions``
(enumerated threshold functions), ``npn`` (classes of functions with the same
width), ``min_width`` (the SAT program), ``witness`` (the net each answer
builds). The per-class table and histogram the depth claim reports (pandas)
are the claim's own: ``claims/depth_vs_width/exact_table.py``.
"""
from expressivity.exact.min_width import minimal_widths
from expressivity.exact.npn import class_table, npn_classes
from expressivity.exact.threshold_functions import output_functions, positive_threshold_functions, threshold_functions
from expressivity.exact.witness import weights_of, witness_network

__all__ = ["minimal_widths", "class_table", "npn_classes", "output_functions", "positive_threshold_functions", "threshold_functions",
           "weights_of", "witness_network"]
