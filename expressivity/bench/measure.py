"""Run every timing of a ``Plan`` and return one row per measurement."""
import numpy as np

from expressivity.bench.baselines import time_sklearn, time_torch, torch_available
from expressivity.bench.ceilings import batched_gflops, gemm_gflops
from expressivity.bench.kernels import native_rows
from expressivity.bench.ours import cuda_available, time_ours
from expressivity.train import accelerator
from expressivity.bench.profile import profile_epoch
from expressivity.bench.workload import Work, matmul_flops, row

DTYPES = ("float64", "float32")
ACTIVATIONS = ("sigmoid", "relu")


def measure_all(plan, threads, say):
    rows = []
    for dtype in DTYPES:
        for activation in ACTIVATIONS:
            rows += _headline(plan, Work(activation=activation, dtype=dtype), threads, say)
            if activation in plan.per_example_activations:
                rows += _per_example(plan, Work(activation=activation, dtype=dtype, batch=1),
                                     threads, say)
    rows += _growth(plan, threads, say)
    rows += _depth(plan, threads, say)
    rows += _reference_point(plan, threads, say)
    rows += _ceilings(plan, threads, say)
    say("headline again with OpenBLAS's own kernel choice (if the environment forces one)")
    rows += native_rows(max(plan.members), plan.kernel_epochs, plan.sklearn_restarts, threads)
    profiles = {}
    for dtype in DTYPES:
        for activation in ACTIVATIONS:
            say(f"profile {dtype} {activation}")
            profiles[(dtype, activation)] = profile_epoch(Work(activation=activation, dtype=dtype),
                                                          plan.profile_repeats)
    return rows, profiles


def _headline(plan, work, threads, say):
    rows = []
    for members in plan.members:
        say(f"ours full batch {work.dtype} {work.activation} members={members}")
        rows.append(row("headline", "expressivity", work, members, plan.epochs,
                         time_ours(work, members, plan.epochs, threads)))
    rows += _numpy_kernels(work, max(plan.members), plan.kernel_epochs, threads, say)
    if cuda_available():
        say(f"ours on the torch backend, CUDA {work.dtype} {work.activation}")
        rows.append(row("headline", "expressivity, torch backend on CUDA", work, max(plan.members),
                         plan.epochs, time_ours(work, max(plan.members), plan.epochs, 1,
                                                backend="torch")))
    rows += _sklearn(work, plan.sklearn_restarts, plan.epochs, say)
    for t in sorted({1, threads}):
        name = f"pytorch (bmm, autograd, {t} thread{'s' if t > 1 else ''})"
        if not torch_available():
            rows.append(row("headline", name, work, 0, 1, np.nan,
                             note="skipped: torch is not importable (pip install torch)"))
            continue
        say(f"{name} {work.dtype} {work.activation}")
        rows.append(row("headline", name, work, plan.torch_members, plan.torch_epochs,
                         time_torch(work, plan.torch_members, plan.torch_epochs, t)))
    return rows


def _sklearn(work, restarts, epochs, say):
    """scikit-learn with BLAS as installed and with one BLAS thread; both kept."""
    rows = []
    for blas, label in ((None, "scikit-learn"), (1, "scikit-learn (1 BLAS thread)")):
        say(f"{label} {work.dtype} {work.activation} batch={work.batch or 'full'}")
        rows.append(row("headline", label, work, restarts, epochs,
                         time_sklearn(work, restarts, epochs, blas), restarts,
                         note="restarts one after another; time per member-epoch scales"))
    return rows


NUMPY_KERNELS = "expressivity, NumPy kernels (accelerator off)"


def _numpy_kernels(work, members, epochs, threads, say):
    """The same row on the NumPy reference kernels, when the compiled accelerator trains the rest."""
    if accelerator.name() == "numpy":
        return []
    say(f"ours on NumPy kernels {work.dtype} {work.activation} batch={work.batch or 'full'}")
    return [row("headline", NUMPY_KERNELS, work, members, epochs,
                 time_ours(work, members, epochs, threads, accelerator="numpy"))]


def _reference_point(plan, threads, say):
    """The time per member-epoch at the issue's reference size (n = 12, width 24), full batch."""
    rows = []
    n, width = plan.reference_point
    for activation in ACTIVATIONS:
        work = Work(n=n, width=width, activation=activation)
        epochs = max(2, plan.growth_row_epochs // work.rows)
        say(f"reference point n={n} width={width} {activation}")
        rows.append(row("reference point", "expressivity", work, plan.growth_members, epochs,
                         time_ours(work, plan.growth_members, epochs, threads)))
    return rows


def _per_example(plan, work, threads, say):
    rows = []
    for members in plan.members:
        say(f"ours per-example {work.dtype} {work.activation} members={members}")
        rows.append(row("headline", "expressivity", work, members, plan.per_example_epochs,
                         time_ours(work, members, plan.per_example_epochs, threads)))
    rows += _numpy_kernels(work, max(plan.members), plan.per_example_epochs, threads, say)
    rows += _sklearn(work, plan.sklearn_per_example_restarts, plan.per_example_epochs, say)
    return rows


def _growth(plan, threads, say):
    rows = []
    for n in plan.growth_n:
        work = Work(n=n)
        epochs = max(2, plan.growth_row_epochs // work.rows)
        say(f"growth n={n}")
        rows.append(row("growth: n", "expressivity", work, plan.growth_members, epochs,
                         time_ours(work, plan.growth_members, epochs, threads)))
    for width in plan.growth_widths:
        work = Work(width=width)
        epochs = max(2, plan.epochs * 16 // width)
        say(f"growth width={width}")
        rows.append(row("growth: width", "expressivity", work, plan.growth_members, epochs,
                         time_ours(work, plan.growth_members, epochs, threads)))
    return rows


def depth_works(plan):
    """The depth issue's workloads: parity (n, depth, width n or fixed) and the product."""
    works = [Work(n=n, depth=d, width=w or n, activation="tanh")
             for n in plan.depth_parity_n for d in plan.depths for w in plan.depth_parity_widths]
    works += [Work(n=n, depth=d, width=w, activation="tanh", task="product")
              for n in plan.depth_product_n for d in plan.depth_product_depths
              for w in plan.depth_product_widths]
    return works


# Profile parts (bench.profile) grouped: what the time per member-epoch is made of.
MATMUL_PARTS = ("matmul: forward", "matmul: weight gradients", "error sent down")
ELEMENTWISE_PARTS = ("activations", "activation derivatives", "loss and fit check",
                     "parameter update")


def shares(profile):
    """{"matmul", "elementwise", "rest"}: % of one thread's whole epoch (``profile_epoch``)."""
    timed = dict(profile)
    whole = timed["whole epoch, one thread"]
    matmul = sum(timed[p] for p in MATMUL_PARTS)
    elementwise = sum(timed[p] for p in ELEMENTWISE_PARTS)
    return {"matmul": 100 * matmul / whole, "elementwise": 100 * elementwise / whole,
            "rest": 100 * max(0.0, whole - matmul - elementwise) / whole}


def _depth(plan, threads, say):
    """Time per member-epoch of each depth workload, and the shares of its profile."""
    rows = []
    for work in depth_works(plan):
        epochs = max(2, int(plan.depth_flops // (plan.depth_members
                                                 * matmul_flops(work.sizes, work.rows))))
        say(f"depth {work.task} n={work.n} depth={work.depth} width={work.width}")
        timed = row("depth", "expressivity", work, plan.depth_members, epochs,
                    time_ours(work, plan.depth_members, epochs, threads))
        parts = shares(profile_epoch(work, plan.depth_profile_repeats))
        timed.update({"task": work.task, "depth": work.depth, "rows": work.rows,
                      **{f"% {name}": value for name, value in parts.items()}})
        rows.append(timed)
    return rows


def _ceilings(plan, threads, say):
    rows = []
    work = Work()
    members = max(plan.members)
    for dtype in DTYPES:
        say(f"ceilings {dtype}")
        for t in sorted({1, threads}):
            rows.append(_ceiling(f"large GEMM {plan.gemm_size}x{plan.gemm_size}, {t} BLAS thread(s)",
                                 dtype, gemm_gflops(plan.gemm_size, dtype, t)))
        rows.append(_ceiling(f"trainer's matmuls alone, blocks of 32, {threads} thread(s)", dtype,
                             batched_gflops(work.sizes, work.rows, members, dtype, threads),
                             members))
        rows.append(_ceiling("trainer's matmuls alone, all members in one batch, 1 thread", dtype,
                             batched_gflops(work.sizes, work.rows, members, dtype, 1,
                                            block=members), members))
    return rows


def _ceiling(what, dtype, gflops, members=0):
    return {"section": "ceiling", "implementation": "numpy matmul", "activation": "", "dtype": dtype,
            "batch": "", "members": members, "n": 8, "width": 16, "epochs": 0, "restarts_timed": 0,
            "seconds": np.nan, "us_per_member_epoch": np.nan, "gflops": gflops, "note": what}
