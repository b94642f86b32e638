"""The speed targets, checked against one bench run's rows."""
import math

# Implementations are matched by the start of their name: every setting of a
# baseline (BLAS or OpenMP threads) is timed, and the fastest is compared.
SKLEARN = "scikit-learn"
TORCH = "pytorch"
BLOCK_CEILING = "trainer's matmuls alone, blocks of 32"


def us(rows, implementation, dtype, activation, batch, members=None):
    """Time per member-epoch of a measurement whose name starts with ``implementation``
    (the fastest if several match), or NaN."""
    found = [r["us_per_member_epoch"] for r in rows
             if r["section"] == "headline" and r["implementation"].startswith(implementation)
             and r["dtype"] == dtype and r["activation"] == activation and r["batch"] == batch
             and (members is None or r["members"] == members)]
    found = [v for v in found if not math.isnan(v)]
    return min(found) if found else math.nan


def ceiling(rows, dtype, note=BLOCK_CEILING):
    found = [r["gflops"] for r in rows if r["section"] == "ceiling" and r["dtype"] == dtype
             and r["note"].startswith(note)]
    return found[0] if found else math.nan


# Issue 13's targets: (dtype, activation) -> x faster than scikit-learn per member-epoch.
FULL_BATCH_RATIO = {("float64", "sigmoid"): 15, ("float64", "relu"): 20,
                    ("float32", "sigmoid"): 35, ("float32", "relu"): 35}
PER_EXAMPLE_RATIO = {"float64": 400, "float32": 600}
TORCH_RATIO = 2                        # PyTorch-CPU batched time / ours, every full-batch row
PEAK_SHARE = {("float64", "relu"): 35}  # % of large-GEMM peak GFLOP/s
LARGE_GEMM = "large GEMM"


def peak(rows, dtype):
    """The best large-GEMM GFLOP/s of ``dtype`` in the run (any thread count), or NaN."""
    found = [r["gflops"] for r in rows if r["section"] == "ceiling" and r["dtype"] == dtype
             and r["note"].startswith(LARGE_GEMM)]
    return max(found) if found else math.nan


def check_targets(rows, members):
    """[(target, measured, required, unit)] for the targets of issue 13, at ``members`` members."""
    out = []
    sk = lambda d, a, b: us(rows, SKLEARN, d, a, b)
    ours = lambda d, a, b: us(rows, "expressivity", d, a, b, members)
    for (dtype, activation), required in FULL_BATCH_RATIO.items():
        out.append((f"full batch, {dtype}, {activation}: x faster than scikit-learn per member-epoch",
                    sk(dtype, activation, "full") / ours(dtype, activation, "full"), required, "x"))
    for dtype, required in PER_EXAMPLE_RATIO.items():
        measured = sk(dtype, "sigmoid", "1") / ours(dtype, "sigmoid", "1")
        if not math.isnan(measured):
            out.append((f"per-example SGD, {dtype}, sigmoid: x faster than scikit-learn batch_size=1",
                        measured, required, "x"))
    for (dtype, activation) in FULL_BATCH_RATIO:
        measured = us(rows, TORCH, dtype, activation, "full") / ours(dtype, activation, "full")
        if not math.isnan(measured):
            out.append((f"full batch, {dtype}, {activation}: PyTorch-CPU batched time / ours",
                        measured, TORCH_RATIO, "x"))
    for (dtype, activation), required in PEAK_SHARE.items():
        gflops = [r["gflops"] for r in rows if r["section"] == "headline"
                  and r["implementation"] == "expressivity" and r["dtype"] == dtype
                  and r["activation"] == activation and r["batch"] == "full"
                  and r["members"] == members]
        if gflops:
            out.append((f"full batch, {dtype}, {activation}: % of large-GEMM peak GFLOP/s",
                        100 * gflops[0] / peak(rows, dtype), required, "%"))
    return out


def verdict(measured, required):
    if math.isnan(measured):
        return "not measured"
    if measured >= required:
        return f"met ({measured / required:.2f}x the target)"
    return f"missed by {100 * (1 - measured / required):.0f}%"
