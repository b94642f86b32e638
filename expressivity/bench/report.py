"""Write one bench run as ``reports/performance.md`` and ``reports/data/performance.csv``."""
import datetime
import math
import platform
from pathlib import Path

import numpy as np
import pandas as pd

from expressivity.bench.targets import FULL_BATCH_RATIO, SKLEARN, check_targets, peak, us, verdict


def write_csv(rows, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False, float_format="%.6g")
    return path


def _machine():
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from threadpoolctl import threadpool_info
    blas = [f"{p['internal_api']} {p.get('version')} ({p.get('architecture')})"
            for p in threadpool_info() if p["user_api"] == "blas" and "numpy" in p["filepath"]]
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for name in ("sklearn", "torch", "numba"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            versions[name] = "not installed"
    return model, ", ".join(blas) or "unknown", versions


def _table(frame):
    return frame.to_markdown(index=False, floatfmt=".3g")


def _side_by_side(rows):
    parts = []
    keys = sorted({(r["batch"], r["dtype"], r["activation"]) for r in rows
                   if r["section"] == "headline"}, key=lambda k: (k[0] != "full", k[1] != "float64", k[2] != "sigmoid"))
    for batch, dtype, activation in keys:
        mine = [r for r in rows if r["section"] == "headline" and r["batch"] == batch
                and r["dtype"] == dtype and r["activation"] == activation]
        reference = us(rows, SKLEARN, dtype, activation, batch)
        frame = pd.DataFrame([{
            "implementation": r["implementation"], "members": r["members"],
            "epochs timed": r["epochs"], "µs per member-epoch": r["us_per_member_epoch"],
            "GFLOP/s": r["gflops"], "% of large-GEMM peak": 100 * r["gflops"] / peak(rows, dtype),
            "scikit-learn time / this": reference / r["us_per_member_epoch"],
            "note": r["note"]} for r in mine])
        title = "full batch" if batch == "full" else f"batch size {batch} (per-example SGD)"
        parts.append(f"### {title}, {dtype}, {activation}\n\n{_table(frame)}\n")
    return "\n".join(parts)


def _growth(rows):
    parts = []
    members = pd.DataFrame([{"dtype": r["dtype"], "activation": r["activation"], "batch": r["batch"],
                             "members": r["members"], "µs per member-epoch": r["us_per_member_epoch"],
                             "GFLOP/s": r["gflops"]} for r in rows
                            if r["section"] == "headline" and r["implementation"] == "expressivity"])
    parts.append(f"With members (n = 8, width 16):\n\n{_table(members)}\n")
    for key, label in (("n", "n (rows = 2ⁿ; width 16)"), ("width", "width (n = 8)")):
        frame = pd.DataFrame([{key: r[key], "rows": 2 ** r["n"], "members": r["members"],
                               "epochs timed": r["epochs"],
                               "µs per member-epoch": r["us_per_member_epoch"],
                               "ns per member-epoch-row": 1e3 * r["us_per_member_epoch"] / 2 ** r["n"],
                               "GFLOP/s": r["gflops"]} for r in rows
                              if r["section"] == f"growth: {key}"])
        parts.append(f"With {label}, full batch, float64, sigmoid:\n\n{_table(frame)}\n")
    for r in rows:
        if r["section"] == "reference point":
            parts.append(f"At n = {r['n']} ({2 ** r['n']} rows), width {r['width']} "
                         f"({r['n']}-{r['width']}-{r['width']}-1), full batch, float64, "
                         f"{r['activation']}: **{r['us_per_member_epoch']:.3g} µs per member-epoch** "
                         f"({r['members']} members, {r['epochs']} epochs, {r['gflops']:.3g} GFLOP/s).\n")
    return "\n".join(parts)


def _depth(rows):
    """The depth issue's workloads: one table, then where the time goes, read off the table."""
    found = [r for r in rows if r["section"] == "depth"]
    if not found:
        return "Not measured in this run.\n"
    frame = pd.DataFrame([{
        "task": r["task"], "n": r["n"], "depth": r["depth"], "width": r["width"], "rows": r["rows"],
        "members": r["members"], "epochs timed": r["epochs"],
        "µs per member-epoch": r["us_per_member_epoch"],
        "ns per member-epoch-row": 1e3 * r["us_per_member_epoch"] / r["rows"],
        "GFLOP/s": r["gflops"], "% matmul": r["% matmul"], "% elementwise": r["% elementwise"],
        "% rest": r["% rest"]} for r in found])
    lines = []
    for task, part in frame.groupby("task", sort=False):
        lines.append(
            f"- {task}: matmuls take {part['% matmul'].min():.0f}-{part['% matmul'].max():.0f}% of "
            f"one thread's epoch, elementwise passes {part['% elementwise'].min():.0f}-"
            f"{part['% elementwise'].max():.0f}%, the rest (Python, slicing) "
            f"{part['% rest'].min():.0f}-{part['% rest'].max():.0f}%; "
            f"{part['GFLOP/s'].min():.3g}-{part['GFLOP/s'].max():.3g} GFLOP/s.")
        if task != "parity":
            continue
        for (depth, at_n), cells in part.groupby([part["depth"], part["width"] == part["n"]]):
            cells = cells.sort_values("rows")
            lines.append(f"  - depth {depth}, width {'n' if at_n else cells['width'].iloc[0]}: "
                         + ", ".join(f"{c['ns per member-epoch-row']:.3g}" for _, c in cells.iterrows())
                         + f" ns per member-epoch-row at {', '.join(map(str, cells['rows']))} rows.")
    return (f"Full batch, float64, tanh hidden layers, {found[0]['members']} members, "
            "the shares from one block's profile (as below) on one thread:\n\n"
            f"{_table(frame)}\n\n" + "\n".join(lines) + "\n")


def _profiles(profiles, threads):
    parts = []
    for (dtype, activation), timed in profiles.items():
        whole = dict(timed)["whole epoch, one thread"]
        frame = pd.DataFrame([{"part": name, "µs per member-epoch (one thread)": t,
                               "share": f"{100 * t / whole:.0f}%"} for name, t in timed])
        parts.append(f"### {dtype}, {activation}\n\n{_table(frame)}\n")
    return (f"One block of 32 members, full batch, each kind of pass timed alone on one thread "
            f"(CPU time); the trainer runs {threads} such threads, so its wall time per "
            f"member-epoch is about the whole divided by {threads} when they scale.\n\n"
            + "\n".join(parts))


TARGET_RATIO = FULL_BATCH_RATIO


def _kernels(rows, members, coretype):
    """The headline rows with the environment's kernels and with OpenBLAS's own choice."""
    native = [r for r in rows if r["section"] == "kernels"]
    if not native:
        return ("`OPENBLAS_CORETYPE` is not set: OpenBLAS chose its kernels for this CPU in every "
                "row above.\n")
    lines = []
    for dtype, activation in TARGET_RATIO:
        mine = us(rows, "expressivity", dtype, activation, "full", members)
        theirs = us(rows, SKLEARN, dtype, activation, "full")
        get = lambda impl: next(r["us_per_member_epoch"] for r in native if r["dtype"] == dtype
                                and r["activation"] == activation and r["implementation"] == impl)
        mine_n, theirs_n = get("expressivity"), get("scikit-learn")
        lines.append({"dtype": dtype, "activation": activation,
                      f"this, {coretype} (µs)": mine, "this, own kernels (µs)": mine_n,
                      f"scikit-learn, {coretype} (µs)": theirs, "scikit-learn, own kernels (µs)": theirs_n,
                      f"x faster, {coretype}": theirs / mine, "x faster, own kernels": theirs_n / mine_n,
                      "target": f">= {TARGET_RATIO[(dtype, activation)]}x"})
    note = native[0]["note"]
    return (f"This environment sets `OPENBLAS_CORETYPE={coretype}`, so every row above ran on "
            f"{coretype} kernels. The same {members}-member full-batch work, run again in a child "
            f"process without that variable ({note}; {native[0]['epochs']} epochs):\n\n"
            f"{_table(pd.DataFrame(lines))}\n")


def _targets(rows, members):
    checked = check_targets(rows, members)
    frame = pd.DataFrame([{"target": t, "measured": f"{m:.3g}{u}", "required": f">= {r}{u}",
                           "verdict": verdict(m, r)} for t, m, r, u in checked])
    missed = [(t, m, r) for t, m, r, _ in checked if not math.isnan(m) and m < r]
    text = _table(frame) + "\n"
    if missed:
        text += ("\nMissed: " + "; ".join(f"{t} by {100 * (1 - m / r):.0f}%" for t, m, r in missed)
                 + ". Where the time goes is in the profile below.\n")
    return text


def write_markdown(rows, profiles, context, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model, blas, versions = _machine()
    members = max(r["members"] for r in rows if r["section"] == "headline"
                  and r["implementation"] == "expressivity")
    ceilings = pd.DataFrame([{"what": r["note"], "dtype": r["dtype"], "GFLOP/s": r["gflops"]}
                             for r in rows if r["section"] == "ceiling"])
    load = lambda xs: " / ".join(f"{x:.2f}" for x in xs)
    quick = ("**Quick smoke run (`--quick`): tiny sizes, numbers are not measurements.**\n\n"
             if context["quick"] else "")
    text = f"""# Performance

{quick}Written by `expressivity bench{' --quick' if context['quick'] else ''}` on \
{datetime.date.today().isoformat()} in {context['seconds']:.0f} s; every number below comes from \
that one run (also in `data/performance.csv`).

- Machine: {model}, {context['threads']} cores used; NumPy BLAS: {blas}\
{f"; `OPENBLAS_CORETYPE={context['coretype']}` is set in the environment" if context.get('coretype') else ""}.
- Versions: {', '.join(f'{k} {v}' for k, v in versions.items())}.
- Kernels: {context.get('accelerator', 'numpy')} (`EXPRESSIVITY_ACCELERATOR`; rows named \
"NumPy kernels" ran the NumPy reference for comparison).
- GPU: {context.get('gpu', 'not checked')}.
- Load average (1/5/15 min) before: {load(context['load_before'])}; after: \
{load(context['load_after'])}. The cores are shared, so other processes may have slowed any row.

## Targets

At {members} members:

{_targets(rows, members)}
## The same work, side by side

{members}-member populations of {rows[0]['n']}-16-16-1 networks on {rows[0]['n']}-bit parity \
({2 ** rows[0]['n']} rows), squared loss, plain SGD, no early stop. Time per member-epoch is wall \
time divided by members x epochs; GFLOP/s counts only the matrix products (2·m·k·n each: \
forward, weight gradients, error sent down). "scikit-learn time / this" divides scikit-learn's \
time per member-epoch (the faster of its two BLAS settings) by the row's.

{_side_by_side(rows)}
## How time grows

{_growth(rows)}
## The depth workloads

{_depth(rows)}
## Ceilings: what NumPy's matmul does on this machine

{_table(ceilings)}

"Trainer's matmuls alone" runs exactly the trainer's matrix products of one epoch (same shapes, \
layout and blocks of members, no activations, no Python between them) for {members} members; it \
is the rate a trainer made only of matmuls would reach.

## BLAS kernels

{_kernels(rows, members, context.get('coretype'))}
## Where the time goes

{_profiles(profiles, context['threads'])}
## How it was measured

- This project: `expressivity.train.train` with `threads={context['threads']}` (threads share \
chunks), automatic chunk size, BLAS limited to one thread per thread; the per-epoch full-batch \
loss and fit check are included. Per-example epochs are 256 steps each.
- scikit-learn: `MLPRegressor(solver="sgd", hidden_layer_sizes=(16, 16), momentum=0, alpha=0, \
tol=0, n_iter_no_change > max_iter)`, `batch_size` = all rows or 1, restarts fitted one after \
another, timed with BLAS as installed and with one BLAS thread; the faster is the reference. Its \
default per-epoch shuffle is part of its time.
- PyTorch: every member at once with `torch.baddbmm` (bias + batched matmul), autograd for the \
gradients, full batch only; timed with `torch.set_num_threads(1)` and with \
{context['threads']} threads (its OpenMP threads suffer badly when another process holds a \
core); the faster is compared.
- The same epochs are run where it takes seconds; where a baseline is slow, fewer epochs or \
restarts are timed (column "epochs timed", "members") and time per member-epoch compared: \
no implementation here stops early, so each epoch costs the same.
"""
    path.write_text(text)
    return path
