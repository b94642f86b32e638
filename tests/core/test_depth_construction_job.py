"""The depth_constructions job: rows checked on every input; a broken construction shows."""
import pytest

from expressivity.constructions import REGISTRY, construction_problem
from expressivity.constructions import depth as job
from expressivity.theory.parity import parity_shallow


def test_every_coded_net_is_exact_and_sizes_follow_their_formulas():
    rows = job.depth_rows(job.BOOLEAN_FAMILIES, 2, 9)
    assert rows and all(r["exact"] for r in rows)
    best = {}
    for r in rows:
        key = (r["family"], r["n"], r["depth"])
        best[key] = min(best.get(key, 10 ** 9), r["units"])
    for n in range(2, 10):
        assert best["parity", n, 1] == n and best["parity", n, 2] == n + 1 and best["parity", n, 3] == n + 2
        assert best["inner_product", n, 2] == 2 * (n // 2 + n % 2) or best["inner_product", n, 2] < n + 2
        assert best["parity_of_majorities", n, 2] <= 2 * -(-n // 3)
    siu = [r for r in rows if r["construction"] == "Siu et al. (inputs carried)"]
    assert all(r["units"] > r["n"] and r["gates"] < r["units"] for r in siu)


def test_a_broken_construction_is_flagged_not_exact(monkeypatch):
    def broken(n):
        net = parity_shallow(n)
        net.biases[0][0, 0] = 5.0                  # the unit "at least one input" never fires
        return [("broken", net)]
    monkeypatch.setitem(job.BUILDERS, "parity", broken)
    rows = job.depth_rows(["parity"], 3, 4)
    assert rows and not any(r["exact"] for r in rows)


def test_by_depth_lifts_each_net_up_to_depth_3():
    got = [(d, name) for d, name, _ in job.by_depth([("one", parity_shallow(3))])]
    assert got == [(1, "one"), (2, "one + 1 layer"), (3, "one + 2 layers")]


def test_unknown_family_is_named():
    with pytest.raises(ValueError, match="families='majority'"):
        job.depth_rows(["majority"], 2, 3)


def test_sat_rows_are_exact_and_two_layers_never_beat_one_by_more_than_allowed():
    rows = job.sat_rows(3, 3, ("parity", "inner_product"))
    one = {(r["family"], r["n"]): r["units"] for r in rows if r["depth"] == 1}
    two = {(r["family"], r["n"]): r["units"] for r in rows if r["depth"] == 2}
    assert one[("parity", 3)] == 3 and two[("parity", 3)] == 4          # n, and n + 1
    assert all(r["exact"] for r in rows)
    assert all(two[k] <= one[k] + 1 for k in one)                         # deepen bounds it


def test_product_rows_one_layer_is_2_to_the_n_and_the_tree_is_linear():
    rows = job.product_depth_rows(5, [0.1, 0.01], 256, 0)
    shallow = {r["n"]: r for r in rows if r["construction"] == "one layer"}
    tree = {r["n"]: r for r in rows if r["construction"] == "tree"}
    assert all(shallow[n]["units"] == 2 ** n and shallow[n]["depth"] == 1 for n in shallow)
    assert [tree[n]["units"] for n in (2, 3, 4, 5)] == [4, 10, 12, 20]    # 4 per gate, 2 per carry
    assert [tree[n]["depth"] for n in (2, 3, 4, 5)] == [1, 2, 2, 3]
    assert all(r["error"] < 1e-3 for r in rows)


def test_registered_with_its_parameters():
    assert REGISTRY["depth_constructions"] is job.rows
    assert construction_problem({"name": "depth_constructions"}) is not None


def test_universal_rows_run_every_function_and_a_wrong_net_counts(monkeypatch):
    rows = job.universal_rows(3)
    assert [r["functions"] for r in rows] == [4, 16, 256] and all(r["wrong"] == 0 for r in rows)
    import expressivity.constructions.depth as module
    monkeypatch.setattr(module, "check_tables", lambda tables, n: (1, 0, 0.0))
    assert all(r["wrong"] == 1 for r in module.universal_rows(2))
