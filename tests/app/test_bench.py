"""`expressivity bench --quick` writes the report and the CSV with every expected row."""

import pandas as pd

from expressivity.bench.plan import QUICK
from expressivity.bench.targets import check_targets, verdict
from expressivity.bench.workload import matmul_flops, per_example_flops
from expressivity.cli import main


def test_bench_quick_writes_the_report_and_the_csv(tmp_path, monkeypatch):
    # Whatever the caller's environment: with no forced OpenBLAS core type there are no
    # "kernels" rows (test_native_kernel_rows_are_measured_without_the_forced_type covers them).
    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)
    assert main(["bench", "--quick", "--out", str(tmp_path), "--threads", "2"]) == 0
    table = pd.read_csv(tmp_path / "data" / "performance.csv")
    headline = table[table.section == "headline"]
    for dtype in ("float64", "float32"):
        for activation in ("sigmoid", "relu"):
            full = headline[(headline.dtype == dtype) & (headline.activation == activation)
                            & (headline.batch == "full")]
            ours = full[full.implementation == "expressivity"]
            assert sorted(ours.members) == sorted(QUICK.members)
            assert set(full.implementation) >= {"expressivity", "scikit-learn",
                                                "scikit-learn (1 BLAS thread)",
                                                "pytorch (bmm, autograd, 1 thread)",
                                                "pytorch (bmm, autograd, 2 threads)"}
        per_example = headline[(headline.dtype == dtype) & (headline.batch == "1")]
        assert set(per_example.implementation) >= {"expressivity", "scikit-learn"}
    assert sorted(table[table.section == "growth: n"].n) == sorted(QUICK.growth_n)
    assert sorted(table[table.section == "growth: width"].width) == sorted(QUICK.growth_widths)
    ceilings = table[table.section == "ceiling"]
    assert set(ceilings.dtype) == {"float64", "float32"} and (ceilings.gflops > 0).all()
    timed = table[table.section != "ceiling"].dropna(subset=["seconds"])
    assert (timed.us_per_member_epoch > 0).all()
    report = (tmp_path / "performance.md").read_text()
    for heading in ("## Targets", "## The same work, side by side", "## How time grows",
                    "## Ceilings", "## Where the time goes", "## How it was measured",
                    "Quick smoke run"):
        assert heading in report
    assert "Load average" in report and "## BLAS kernels" in report
    from expressivity.bench.measure import depth_works
    depth = table[table.section == "depth"]
    assert len(depth) == len(depth_works(QUICK)) and set(depth.task) == {"parity", "product"}
    assert (depth.us_per_member_epoch > 0).all() and (depth["% matmul"] > 0).all()
    assert "## The depth workloads" in report and "ns per member-epoch-row at" in report
    assert table[table.section == "kernels"].empty


def test_native_kernel_rows_are_measured_without_the_forced_type(monkeypatch):
    # A forced core type: the headline work again in a child process with OpenBLAS's own
    # choice, ours and scikit-learn's, for both dtypes and both activations.
    from expressivity.bench.kernels import native_rows
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    rows = native_rows(members=4, epochs=2, restarts=2, threads=1)
    assert len(rows) == 8
    assert {r["implementation"] for r in rows} == {"expressivity", "scikit-learn"}
    assert {(r["dtype"], r["activation"]) for r in rows} == {
        (d, a) for d in ("float64", "float32") for a in ("sigmoid", "relu")}
    monkeypatch.delenv("OPENBLAS_CORETYPE")
    assert native_rows(members=4, epochs=2, restarts=2, threads=1) == []


def test_flops_per_member_epoch_by_hand():
    # 8-16-16-1 on 256 rows: forward and gradient 2·2·256·(9·16 + 17·16 + 17·1) = 443,392,
    # error sent down through layers 2 and 3: 2·256·(16·16 + 1·16) = 139,264.
    assert matmul_flops((8, 16, 16, 1), 256) == 443392 + 139264
    assert per_example_flops((8, 16, 16, 1), 256) == matmul_flops((8, 16, 16, 1), 1) * 256


def test_targets_are_ratios_of_the_rows():
    def row(impl, dtype, act, batch, us, members=1000, gflops=1.0):
        return {"section": "headline", "implementation": impl, "dtype": dtype, "activation": act,
                "batch": batch, "members": members, "us_per_member_epoch": us, "gflops": gflops}
    rows = [row("scikit-learn", "float64", "relu", "full", 300.0),
            row("scikit-learn (1 BLAS thread)", "float64", "relu", "full", 200.0),
            row("expressivity", "float64", "relu", "full", 10.0, gflops=30.0),
            {"section": "ceiling", "dtype": "float64", "gflops": 40.0,
             "note": "trainer's matmuls alone, blocks of 32, 2 thread(s)"},
            {"section": "ceiling", "dtype": "float64", "gflops": 50.0,
             "note": "large GEMM 2048x2048, 1 BLAS thread(s)"},
            {"section": "ceiling", "dtype": "float64", "gflops": 100.0,
             "note": "large GEMM 2048x2048, 2 BLAS thread(s)"}]
    checked = {t: m for t, m, r, u in check_targets(rows, 1000)}
    assert checked["full batch, float64, relu: x faster than scikit-learn per member-epoch"] == 20
    assert checked["full batch, float64, relu: % of large-GEMM peak GFLOP/s"] == 30
    assert verdict(20, 15) == "met (1.33x the target)"
    assert verdict(12, 15) == "missed by 20%"


def test_profile_shares_group_the_parts():
    from expressivity.bench.measure import shares
    profile = [("matmul: forward", 1.0), ("activations", 2.0), ("loss and fit check", 0.5),
               ("activation derivatives", 0.5), ("matmul: weight gradients", 1.0),
               ("error sent down", 1.0), ("parameter update", 1.0),
               ("rest (Python, slicing, bookkeeping)", 3.0), ("whole epoch, one thread", 10.0)]
    assert shares(profile) == {"matmul": 30.0, "elementwise": 40.0, "rest": 30.0}


def test_the_depth_workloads_are_the_depth_issues():
    import numpy as np
    from expressivity.bench.measure import depth_works
    from expressivity.bench.plan import FULL
    works = depth_works(FULL)
    assert {(w.n, w.depth, w.width) for w in works if w.task == "parity"} == \
        {(n, d, w) for n in (10, 12, 14) for d in (1, 2, 3) for w in (n, 32)}
    product = [w for w in works if w.task == "product"]
    assert {(w.n, w.depth, w.width) for w in product} == \
        {(n, d, w) for n in (6, 7) for d in (1, 2) for w in (64, 128, 256)}
    X, Y = product[0].data()
    assert X.shape == (256, 6) and product[0].rows == 256 and len(set(X[:, 0])) == 256
    np.testing.assert_allclose(Y[:, 0], X.prod(axis=1))
    assert [w for w in works if w.task == "parity"][0].data()[0].shape == (1024, 10)
