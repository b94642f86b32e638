"""The same headline work with OpenBLAS choosing its own kernels, when the environment forces some.

``OPENBLAS_CORETYPE`` (set in some environments) makes OpenBLAS use the named
CPU's kernels instead of the ones it would pick for this CPU. The main run
keeps the environment as it is; this part repeats the 1000-member full-batch
rows for this project and scikit-learn in a child process without the
variable, so the report can say what the kernel choice is worth.

The child runs ``main([MEMBERS, EPOCHS, RESTARTS, THREADS])``, which prints one
JSON row per measurement.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

VARIABLE = "OPENBLAS_CORETYPE"


def forced_coretype():
    """The core type the environment forces on OpenBLAS, or None."""
    return os.environ.get(VARIABLE) or None


def native_rows(members, epochs, restarts, threads):
    """Rows measured in a child process without ``OPENBLAS_CORETYPE`` ([] if it is not set)."""
    if not forced_coretype():
        return []
    root = str(Path(__file__).resolve().parents[2])     # this copy of the package
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-c", "import sys; from expressivity.bench.kernels import main; "
           "main(sys.argv[1:])", str(members), str(epochs), str(restarts), str(threads)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def _measure(members, epochs, restarts, threads):
    from threadpoolctl import threadpool_info
    import numpy as np  # noqa: F401  (loads NumPy's OpenBLAS so its kernels can be named)
    from expressivity.bench.baselines import time_sklearn
    from expressivity.bench.ours import time_ours
    from expressivity.bench.workload import Work, row
    arch = [p.get("architecture") for p in threadpool_info()
            if p["user_api"] == "blas" and "numpy" in p["filepath"]]
    note = f"OpenBLAS's own kernels ({', '.join(map(str, arch))})"
    for dtype in ("float64", "float32"):
        for activation in ("sigmoid", "relu"):
            work = Work(activation=activation, dtype=dtype)
            yield row("kernels", "expressivity", work, members, epochs,
                       time_ours(work, members, epochs, threads), note=note)
            yield row("kernels", "scikit-learn", work, restarts, epochs,
                       time_sklearn(work, restarts, epochs), restarts, note=note)


def main(args):
    for row in _measure(*(int(a) for a in args)):
        print(json.dumps(row), flush=True)
