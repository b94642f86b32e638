"""universality's constructions as jobs: the DNF network run on every (or sampled) function,
and parity's purpose-built networks."""
from expressivity.tasks import all_inputs, truth_table
from expressivity.theory.dnf import dnf_network, dnf_width
from expressivity.theory.parity import parity_shallow, parity_tree
from expressivity.theory.tables import all_functions, random_functions
from expressivity.theory.threshold_sorted import KNOWN, universal_width_lower_bound
from expressivity.constructions.seeds import generator

# Members per forward pass for large n: (chunk, 2ⁿ, 2ⁿ⁻¹) floats must stay small.
CHUNK_CELLS = 2 ** 22


def check_tables(tables, n):
    """Run the DNF construction of every row of ``tables`` (P, 2ⁿ) at the common width 2ⁿ⁻¹.

    Returns (mismatching functions, widest construction, mean construction width).
    """
    width = 2 ** (n - 1)
    chunk = max(1, CHUNK_CELLS // (2 ** n * width))
    X = all_inputs(n)
    wrong = 0
    for start in range(0, len(tables), chunk):
        part = tables[start:start + chunk]
        out = dnf_network(part, width=width).forward(X)[:, :, 0]
        wrong += int((out != part).any(axis=1).sum())
    used = dnf_width(tables)
    return wrong, int(used.max()), float(used.mean())


def dnf_rows(exhaustive_max_n, sampled_max_n, samples, seed):
    """Per n = 1..sampled_max_n: every function (n <= exhaustive_max_n) or ``samples`` seeded
    random ones, run through the DNF network: mismatches, widths, and the counting lower bound
    on the width of any universal single layer."""
    rows = []
    rng = generator(seed, "universality")
    for n in range(1, sampled_max_n + 1):
        exhaustive = n <= exhaustive_max_n
        tables = all_functions(n) if exhaustive else random_functions(n, samples, rng)
        wrong, widest, mean = check_tables(tables, n)
        rows.append({"n": n, "functions": len(tables), "all": exhaustive, "wrong": wrong,
                     "architecture_width": 2 ** (n - 1), "widest_used": widest, "mean_used": mean,
                     "counting_lower_bound": universal_width_lower_bound(n, KNOWN)})
    return rows


def parity_rows(max_n):
    """Per n = 2..max_n: hidden units of parity's DNF, one purpose-built layer and an XOR tree,
    and whether both purpose-built networks are exact on every input."""
    rows = []
    for n in range(2, max_n + 1):
        X, Y = truth_table("parity", n)
        shallow, tree = parity_shallow(n), parity_tree(n)
        rows.append({"n": n, "dnf_units": 2 ** (n - 1), "shallow_units": sum(shallow.sizes[1:-1]),
                     "tree_units": sum(tree.sizes[1:-1]), "tree_hidden_layers": len(tree.sizes) - 2,
                     "exact": bool((shallow.forward(X)[0] == Y).all() and (tree.forward(X)[0] == Y).all())})
    return rows
