"""``expressivity bench``: this project's trainer against scikit-learn, PyTorch and the machine.

One run times everything on the same work (n-bit parity, n-16-16-1) and
writes ``reports/performance.md`` and ``reports/data/performance.csv``.
"""
import os
import time
from pathlib import Path

from .measure import measure_all
from .report import write_csv, write_markdown


def run_bench(out="reports", quick=False, threads=None, say=print):
    """Run the benchmark; return the paths of the Markdown report and the CSV."""
    from .plan import FULL, QUICK
    plan = QUICK if quick else FULL
    threads = threads or os.cpu_count() or 1
    load_before = os.getloadavg()
    start = time.perf_counter()
    rows, profiles = measure_all(plan, threads, say)
    from .kernels import forced_coretype
    context = {"threads": threads, "quick": quick, "load_before": load_before,
               "coretype": forced_coretype(),
               "load_after": os.getloadavg(), "seconds": time.perf_counter() - start}
    out = Path(out)
    csv_path = write_csv(rows, out / "data" / "performance.csv")
    md_path = write_markdown(rows, profiles, context, out / "performance.md")
    return md_path, csv_path
