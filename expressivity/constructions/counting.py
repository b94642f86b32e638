"""counting's enumerations as jobs: distinct functions of small step networks, threshold counts."""
from expressivity.theory.counting import count_functions
from expressivity.theory.threshold import threshold_count
from expressivity.theory.threshold_sorted import growth_table


def architecture_rows(architectures):
    """One row per architecture ({sizes, values}): n, hidden sizes, k, N, kᴺ, 2^(2ⁿ), distinct D."""
    rows = []
    for spec in architectures:
        sizes, values = tuple(spec["sizes"]), list(spec["values"])
        found = count_functions(sizes, values)
        rows.append({"architecture": "-".join(map(str, sizes)), "n": sizes[0],
                     "hidden": str(list(sizes[1:-1])), "k": len(values),
                     "N": found["parameters"], "networks": found["networks"],
                     "functions": found["functions"], "distinct": found["distinct"]})
    return rows


def threshold_rows(max_n, max_weight, two_unit_max_n):
    """Per n = 1..max_n: one threshold unit's count by sorting until it stops moving
    (``threshold``, ``stable_at_m``, counts per weight range), by running step networks with
    |w| <= ``max_weight`` for n <= 4 (``counted_by_networks``, else None), and two units' count
    for n <= ``two_unit_max_n`` (else None)."""
    rows = []
    for row in growth_table(max_n, two_unit_max_n):
        n = row["n"]
        rows.append({**{k: v for k, v in row.items() if k != "counts_by_m"},
                     "counts_by_max_weight": ", ".join(f"m={m}: {c}" for m, c in row["counts_by_m"]),
                     "counted_by_networks": threshold_count(n, max_weight) if n <= 4 else None})
    return rows
