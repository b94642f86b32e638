"""Claim `depth_vs_width` through the engine: synthetic converged_width job tables that make the
rules say supported, refuted and inconclusive; rule v4's three parts (construction rows from a
small depth_constructions run), rule v3 and the first registered rules shown beside; figures written."""
from functools import lru_cache
import numpy as np
import pytest
import pandas as pd

from tests.support.claimkit import analyse, rule_of
from expressivity.constructions import depth as depth_job
from expressivity.storage.results import Results

RULE = rule_of("depth_vs_width")
V3_EXISTS, V3_TRAINING = "decide_exists_v3", "decide_training_v3"


def by_rule(finding, function):
    """The Decision of the rule version whose decide function is ``function`` (one block)."""
    found = [d for label, d in finding.registered.items() if f"(`{function}`" in label]
    assert len(found) == 1, list(finding.registered)
    return found[0]


def now(finding, part):
    """The current rule's (v4's) decision of ``part``, confirmatory or not."""
    return finding.current[part]
# A small depth_constructions record: the rule numbers below make the claim accept it.
SMALL = dict(families=["parity", "inner_product", "parity_of_majorities"], min_n=2, max_n=6, sat_max_n=3,
             sat_parity_max_n=2, product_max_n=8, scales=[0.1, 0.01], samples=256, seed=0, universal_max_n=3)
SMALL_RULE = dict(construction_families=SMALL["families"], construction_min_n=2, construction_max_n=6,
                  sat_max_n=3, sat_parity_max_n=2, product_max_n=8, product_scales=SMALL["scales"],
                  product_samples=256, product_seed=0, universal_max_n=3)


@lru_cache(maxsize=1)
def construction_rows():
    rows = pd.DataFrame(depth_job.rows(**SMALL))
    for key, value in {"name": "depth_constructions", **SMALL}.items():
        rows[f"construction.{key}"] = str(value) if isinstance(value, list) else value
    rows["job"], rows["config_hash"], rows["experiment"] = "dc/0", "h", "depth_constructions"
    return rows


def jobs(widths, depths=(1,), converged=True, experiment="depth_vs_width"):
    """widths: {function: f(n, depth) -> minimal width or None (no fit up to the cap)}."""
    rows = []
    for function, width_of in widths.items():
        ns = range(4, 11) if function == "random" else range(4, 13)
        for n in ns:
            for depth in depths:
                for table in ((0, 1) if function == "random" else (0,)):
                    w = width_of(n, depth)
                    w = None if w is None else int(round(w * (1 + 0.1 * table)))
                    ok = converged and w is not None
                    rows.append({"experiment": experiment, "task.name": function, "task.seed": table, "task.n": n, "model.depth": depth,
                                 "seed": 0, "summary.min_width": w,
                                 "summary.min_widths": str([w if ok else (None if w is None else 2 * w), w]),
                                 "summary.budgets": "[[2000, 4], [8000, 8]]", "summary.converged": ok,
                                 "summary.max_width": 128,
                                 "summary.min_parameters": None if w is None else (n + 2) * w + 1,
                                 "summary.non_monotone": "[]", "summary.shape": "uniform"})
    return pd.DataFrame(rows)


def results(widths, constructions=False, v4=None, **kw):
    """Jobs of rule v3's sweep for ``widths``; with ``v4`` ({function: f}) also depth_by_depth's."""
    rows = construction_rows().copy() if constructions else pd.DataFrame()
    table = jobs(widths, **kw)
    if v4:
        table = pd.concat([table, jobs(v4, experiment="depth_by_depth", **kw)], ignore_index=True)
    return Results(pd.DataFrame(), pd.DataFrame(), table, rows)


RANDOM = lambda n, d: np.ceil(2 ** n / n)
STRUCTURED = {"parity": lambda n, d: n if d == 1 else max(2, n // 2), "majority": lambda n, d: 1}


def test_rule_v3_supported_on_both_sides_and_v4_awaits_its_sweeps(tmp_path):
    finding = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}, depths=(1, 2)), tmp_path)
    v3e, v3t = by_rule(finding, V3_EXISTS), by_rule(finding, V3_TRAINING)
    assert v3e.verdict == "verified" and v3t.verdict == "supported"     # exists: a computation
    assert v3e.numbers["exact.max_width.n4"] == 4
    assert v3t.numbers["parity.depth_parameter_ratio"] < 1
    # rule v4: no depth_constructions record, and no family measured deep on 6 n at both depths
    # with parity_of_majorities or product: (a) and (c) inconclusive, (b) = v3's existence rule
    assert now(finding, "exists").verdict == "inconclusive"
    assert now(finding, "exists").numbers["a.verdict"] == "inconclusive" and now(finding, "exists").numbers["b.verdict"] == "supported"
    assert now(finding, "training").verdict == "inconclusive"
    assert now(finding, "training").numbers["c.training.product.depth_status"] == "too few n"
    assert all((tmp_path / name).exists() for name in finding.figures)
    assert any("23920" in table for table in finding.tables)        # the exact histogram is shown
    assert len(finding.registered) == 6          # exists v2 (v3's), v4; training v1, v2, v3, v4
    # every verdict is exploratory here (synthetic jobs, no declared block): the summary waits
    assert finding.exists.verdict.startswith("inconclusive")


def test_polynomial_random_tables_refute_training_under_v3(tmp_path):
    finding = analyse("depth_vs_width", results({"random": lambda n, d: n ** 2, **STRUCTURED}), tmp_path)
    assert by_rule(finding, V3_TRAINING).verdict == "refuted"
    assert by_rule(finding, V3_EXISTS).verdict == "verified"


def test_budget_bounds_and_caps_leave_training_inconclusive(tmp_path):
    bound = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}, converged=False), tmp_path)
    assert by_rule(bound, V3_TRAINING).verdict == "inconclusive" and now(bound, "training").verdict == "inconclusive"
    capped = analyse("depth_vs_width", results({"random": RANDOM, "majority": lambda n, d: 1,
                                                "parity": lambda n, d: None if n == 12 else n}), tmp_path)
    assert by_rule(capped, V3_TRAINING).verdict == "inconclusive"
    assert by_rule(capped, V3_TRAINING).numbers["parity.censored"]


def test_existence_rule_can_fail(tmp_path):
    """Rule numbers that leave too few n make the existence side undecidable."""
    finding = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}), tmp_path,
                      exist_n_min=4, exist_n_max=5)
    assert by_rule(finding, V3_EXISTS).verdict == "inconclusive" and now(finding, "exists").verdict == "inconclusive"


def test_v4_exists_supported_from_the_constructions(tmp_path):
    finding = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}, constructions=True),
                      tmp_path, **SMALL_RULE)
    ex = now(finding, "exists")
    assert (ex.numbers["a.verdict"], ex.numbers["b.verdict"], ex.numbers["c.verdict"]) == ("supported",) * 3
    assert ex.verdict == "verified" and ex.numbers["a.functions"] == 4 + 16 + 256
    assert ex.numbers["c.exists.product.slope_low"] > 0                  # 2^n against the tree's ~4n
    assert any("SAT" in t for t in finding.tables)                     # constructions table shown


def test_v4_exists_refuted_part_a_when_a_dnf_net_is_wrong(tmp_path):
    res = results({"random": RANDOM, **STRUCTURED}, constructions=True)
    res.rows.loc[res.rows["kind"] == "universal", "wrong"] = 1
    finding = analyse("depth_vs_width", res, tmp_path, **SMALL_RULE)
    assert now(finding, "exists").numbers["a.verdict"] == "refuted" and now(finding, "exists").verdict == "mixed"


def test_v4_exists_refuses_a_record_with_other_parameters(tmp_path):
    with pytest.raises(ValueError, match="max_n=np.int64\\(6\\) is not the claim's registered max_n=12"):
        analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}, constructions=True), tmp_path)


HIER = {"parity_of_majorities": lambda n, d: 2 ** (n - 2) if d == 1 else max(2, n // 2 + 1)}
FLAT = {"parity_of_majorities": lambda n, d: n, "parity": lambda n, d: n}


def test_v4_training_supported_when_depth_saves_more_as_n_grows(tmp_path):
    finding = analyse("depth_vs_width", results({}, v4=HIER, depths=(1, 2)), tmp_path)
    tr = now(finding, "training")
    assert tr.verdict == "supported" and tr.numbers["c.training.parity_of_majorities.depth_status"] == "growing"
    assert tr.numbers["c.training.parity_of_majorities.distinct_n"] == 9


def test_v4_training_refuted_when_depth_never_saves_more(tmp_path):
    finding = analyse("depth_vs_width", results({}, v4=FLAT, depths=(1, 2)), tmp_path,
                      depth_families=["parity", "parity_of_majorities"])
    assert now(finding, "training").verdict == "refuted"


def test_v4_training_inconclusive_with_too_few_n(tmp_path):
    few = {"parity_of_majorities": HIER["parity_of_majorities"]}
    finding = analyse("depth_vs_width", results({}, v4=few, depths=(1, 2)), tmp_path, depth_min_n=10)
    assert now(finding, "training").verdict == "inconclusive"


def test_v4_reads_only_its_own_sweeps_and_v3_only_its_own(tmp_path):
    finding = analyse("depth_vs_width", results(HIER, depths=(1, 2)), tmp_path)   # HIER in v3's sweep only
    assert now(finding, "training").verdict == "inconclusive"
    assert now(finding, "training").numbers["c.training.parity_of_majorities.depth_status"] == "too few n"
    both = analyse("depth_vs_width", results({"random": RANDOM, **STRUCTURED}, v4=HIER, depths=(1, 2)), tmp_path)
    assert by_rule(both, V3_TRAINING).verdict == "supported" and now(both, "training").verdict == "supported"
    assert by_rule(both, V3_TRAINING).numbers["searches"] == len(jobs({"random": RANDOM, **STRUCTURED},
                                                                         depths=(1, 2)))


def test_v4_training_shows_classifier_error_rates(tmp_path):
    finding = analyse("depth_vs_width", results({}, v4=HIER, depths=(1, 2)), tmp_path)
    n = now(finding, "training").numbers
    key = "classifier.counting (exists, b).exponential_called_exponential"
    assert n[key] == 1.0                                               # noise-free counting grid
    assert "classifier.parity_of_majorities (trained, c).reaches_target" in n
