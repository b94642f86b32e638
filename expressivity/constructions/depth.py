"""depth_vs_width's constructions by depth as jobs: every coded net at depth 1, 2 and 3, run on
every input, and the exact minimal two-hidden-layer sizes by SAT for small n.

Rows (``depth_rows``): family, n, depth, construction, units (hidden, summed over layers),
parameters, exact (the net reproduces the truth table on all 2ⁿ inputs), gates (the
circuit-model size where it differs from ``units``: Siu et al.'s parity). A construction of
depth d also gives depth d + 1 through ``theory.depth.deepen`` (one unit more).
Product rows (``product_depth_rows``): tree and one-layer nets with their sup error.
SAT rows (``sat_rows``): family, n, k1, k2, units, exact.
"""
import numpy as np

from expressivity.exact.depth2 import depth2_network, minimal_depth2
from expressivity.exact.min_width import minimal_widths
from expressivity.tasks import truth_table
from expressivity.theory.depth import deepen, hidden_units, parity_of_majorities_deep, parity_siu, siu_gates
from expressivity.theory.dnf import dnf_network
from expressivity.theory.inner_product import inner_product_deep
from expressivity.theory.parity import parity_shallow, parity_tree
from expressivity.theory.product import product_error, product_shallow, product_tree
from expressivity.theory.tables import table_codes
from expressivity.constructions.seeds import generator
from expressivity.constructions.universality import check_tables
from expressivity.theory.tables import all_functions

BOOLEAN_FAMILIES = ("parity", "inner_product", "parity_of_majorities")
DEPTHS = (1, 2, 3)


def _dnf(family, n):
    _, Y = truth_table(family, n)
    return dnf_network(Y.T.astype(np.int8))


def _parity_tree(n):
    return [("xor tree", parity_tree(n))] if n >= 2 else []


# family -> n -> [(construction name, MLP)]: the coded nets, at their own depth.
BUILDERS = {
    "parity": lambda n: [("one layer (thresholds of the sum)", parity_shallow(n)),
                         ("Siu et al. (inputs carried)", parity_siu(n))] + _parity_tree(n),
    "inner_product": lambda n: [("DNF", _dnf("inner_product", n)),
                                ("ANDs then parity", inner_product_deep(n))],
    "parity_of_majorities": lambda n: [("DNF", _dnf("parity_of_majorities", n)),
                                       ("majorities then parity", parity_of_majorities_deep(n))],
}


def depth_of(net):
    return len(net.sizes) - 2


def exact_on_all_inputs(net, family, n):
    """Whether ``net`` computes ``family`` on every one of the 2ⁿ inputs."""
    X, Y = truth_table(family, n)
    return bool((net.forward(X)[0] == Y).all())


def by_depth(nets, depths=DEPTHS):
    """[(depth, name, net)] for the coded nets and every ``deepen`` of them up to max(depths)."""
    out = []
    for name, net in nets:
        d, extra = depth_of(net), 0
        while d <= max(depths):
            if d in depths:
                out.append((d, name if not extra else f"{name} + {extra} layer{'s' * (extra > 1)}", net))
            net, d, extra = deepen(net), d + 1, extra + 1
    return out


def depth_rows(families, min_n, max_n):
    """Per family, n and depth 1..3: every construction, checked on every input."""
    rows = []
    for family in families:
        if family not in BUILDERS:
            raise ValueError(f"families={family!r} is not allowed; allowed: {', '.join(BUILDERS)}")
        for n in range(min_n, max_n + 1):
            for depth, name, net in by_depth(BUILDERS[family](n)):
                gates = siu_gates(n) if name.startswith("Siu") else None
                rows.append({"family": family, "n": n, "depth": depth, "construction": name,
                             "units": hidden_units(net), "parameters": int(net.n_parameters),
                             "exact": exact_on_all_inputs(net, family, n),
                             "gates": None if gates is None else gates + (depth - 2)})
    return rows


def sat_rows(max_n, parity_max_n, families=BOOLEAN_FAMILIES):
    """Exact minimal step nets with one (``min_width``) and two hidden layers (``depth2``), per family
    and n = 2..max_n (parity: ..parity_max_n); the two-layer witness is rebuilt and run on all inputs."""
    rows = []
    for family in families:
        top = parity_max_n if family == "parity" else max_n
        for n in range(2, int(top) + 1):
            X, Y = truth_table(family, n)
            code = int(table_codes(Y.T.astype(np.int8))[0])
            (width,), _ = minimal_widths(n, [code])
            rows.append({"family": family, "n": n, "depth": 1, "construction": "SAT minimum",
                         "units": int(width), "k1": int(width), "k2": 0, "parameters": int((n + 2) * width + 1),
                         "exact": True})
            k1, k2, witness = minimal_depth2(n, code)
            net = depth2_network(n, *witness)
            rows.append({"family": family, "n": n, "depth": 2, "construction": "SAT minimum",
                         "units": k1 + k2, "k1": k1, "k2": k2, "parameters": int(net.n_parameters),
                         "exact": bool((net.forward(X)[0] == Y).all())})
    return rows


def product_depth_rows(max_n, scales, samples, seed):
    """Per n = 2..max_n: the one-layer product net (2ⁿ units) and the tree (⌈log₂ n⌉ layers),
    units, parameters and best sup error over ``scales`` on ``samples`` seeded points."""
    rows = []
    for n in range(2, max_n + 1):
        X = generator(seed, "product_depth", n).uniform(-1, 1, size=(samples, n))
        for name, build in (("one layer", lambda s: product_shallow(n, s)), ("tree", lambda s: product_tree(n, s))):
            errors = {s: product_error(build(s), X) for s in scales}
            best = min(errors, key=errors.get)
            net = build(best)
            rows.append({"family": "product", "n": n, "depth": depth_of(net), "construction": name,
                         "units": hidden_units(net), "parameters": int(net.n_parameters),
                         "error": errors[best], "scale": best})
    return rows


def universal_rows(max_n):
    """Part (a): per n = 1..max_n, EVERY n-bit function run through the one-layer DNF net
    (2ⁿ⁻¹ units): how many functions, how many it gets wrong."""
    out = []
    for n in range(1, max_n + 1):
        tables = all_functions(n)
        wrong, widest, _ = check_tables(tables, n)
        out.append({"family": "every function", "n": n, "depth": 1, "construction": "DNF",
                    "functions": int(len(tables)), "wrong": int(wrong), "units": 2 ** (n - 1),
                    "widest_used": widest})
    return out


def rows(families, min_n, max_n, sat_max_n, sat_parity_max_n, product_max_n, scales, samples, seed,
         universal_max_n):
    """Every row of the depth constructions job: ``depth_rows``, ``sat_rows``, ``product_depth_rows``,
    ``universal_rows`` (``kind``: construction, sat, product, universal)."""
    out = [{"kind": "universal", **r} for r in universal_rows(universal_max_n)]
    out += [{"kind": "construction", **r} for r in depth_rows(families, min_n, max_n)]
    out += [{"kind": "sat", **r} for r in sat_rows(sat_max_n, sat_parity_max_n, families)]
    out += [{"kind": "product", **r} for r in product_depth_rows(product_max_n, scales, samples, seed)]
    return out
