"""The exact minimal-width table: every NPN class of n <= 4 bits, its size and its width."""
import numpy as np
import pandas as pd

from expressivity.tasks import truth_table
from expressivity.theory.tables import table_codes
from expressivity.exact.min_width import minimal_widths
from expressivity.exact.npn import class_table, npn_classes

ACTIVATION = "step hidden units, step output"


def exact_table(n):
    """One row per NPN class: ``code`` (canonical), ``functions`` (class size), ``min_width``."""
    reps, sizes = class_table(n)
    widths, _ = minimal_widths(n, reps)
    return pd.DataFrame({"n": n, "code": reps, "functions": sizes, "min_width": widths})


def histogram(table):
    """Functions and classes per (n, min_width): columns n, min_width, functions, classes."""
    return (table.groupby(["n", "min_width"])
            .agg(functions=("functions", "sum"), classes=("code", "size")).reset_index())


def named_widths(table, names=("parity", "majority", "compositional")):
    """Exact width of the named functions: rows n, function, min_width (looked up by NPN class)."""
    rows = []
    for n in sorted(table["n"].unique()):
        part = table[table["n"] == n].set_index("code")["min_width"]
        canon = npn_classes(int(n))
        for name in names:
            _, Y = truth_table(name, int(n))
            code = int(table_codes(Y.T.astype(np.int8))[0])
            rows.append({"n": int(n), "function": name, "min_width": int(part[canon[code]])})
    return pd.DataFrame(rows)
