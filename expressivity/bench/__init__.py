"""``expressivity bench``: this project's trainer against scikit-learn, PyTorch and the machine.

One run times everything on the same work (n-bit parity, n-16-16-1) and
writes ``reports/performance.md`` and ``reports/data/performance.csv``.
"""
import os
import time
from pathlib import Path

from expressivity.bench.measure import measure_all
from expressivity.bench.report import write_csv, write_markdown


def run_bench(out="reports", quick=False, threads=None, say=print):
    """Run the benchmark; return the paths of the Markdown report and the CSV."""
    from expressivity.bench.plan import FULL, QUICK
    plan = QUICK if quick else FULL
    threads = threads or os.cpu_count() or 1
    load_before = os.getloadavg()
    start = time.perf_counter()
    rows, profiles = measure_all(plan, threads, say)
    from expressivity.bench.kernels import forced_coretype
    from expressivity.train.accelerator import name
    context = {"threads": threads, "quick": quick, "load_before": load_before,
               "accelerator": name(), "gpu": _gpu(),
               "coretype": forced_coretype(),
               "load_after": os.getloadavg(), "seconds": time.perf_counter() - start}
    out = Path(out)
    csv_path = write_csv(rows, out / "data" / "performance.csv")
    md_path = write_markdown(rows, profiles, context, out / "performance.md")
    return md_path, csv_path


def _gpu():
    """Whether the run has GPU rows, and why not."""
    try:
        import torch
    except ImportError:
        return "torch is not installed, so no GPU rows"
    if not torch.cuda.is_available():
        return "no CUDA device here, so no GPU rows (trainer.backend=torch would use one)"
    return (f"CUDA device {torch.cuda.get_device_name(0)}: rows named \"torch backend on CUDA\" "
            "ran there")
