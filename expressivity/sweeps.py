"""Run one experiment's Hydra sweep as a subprocess, showing progress as jobs finish.

``run_sweep`` starts ``python -m expressivity -m +experiment=<sweep>
profile=<profile> hydra.sweep.dir=<folder>`` and, while it runs, counts the
``result.json`` files that appear in the sweep folder (each is written by an
atomic rename, so a counted file is complete) against the job total that the
``sweep_plan`` Hydra callback writes into the folder when the sweep starts. The run cache means finished
points are served, not recomputed, so a re-run is quick.
"""
import os
import shutil
import site
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .progress import Progress
from .sweep_plan import read_plan

# The folder this package was imported from: a checkout, or site-packages for an installed wheel.
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
STDERR_TAIL_LINES = 15


@dataclass
class SweepRun:
    """How one sweep went: exit code, time, jobs finished, and the end of its stderr."""
    name: str
    folder: Path
    returncode: int
    seconds: float
    jobs_done: int
    jobs_total: int
    stderr_tail: str

    @property
    def ok(self):
        return self.returncode == 0


def sweep_command(sweep, profile, folder, jobs=1, config_dirs=()):
    """The argv that runs one sweep into ``folder`` (a list of str).

    ``config_dirs`` are extra Hydra config folders (each with ``experiment/<sweep>.yaml``)
    put on Hydra's search path; ``jobs > 1`` switches to the joblib launcher.
    """
    command = [sys.executable, "-m", "expressivity", "-m", f"+experiment={sweep}",
               f"profile={profile}", f"hydra.sweep.dir='{Path(folder).resolve()}'"]
    if config_dirs:
        paths = ",".join(f"'file://{Path(d).resolve()}'" for d in config_dirs)
        command.append(f"hydra.searchpath=[{paths}]")
    if jobs > 1:
        command += ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={jobs}"]
    return command


def sweep_environment(jobs):
    """The subprocess environment: this package importable (a checkout's folder goes on
    PYTHONPATH; an installed package needs nothing); one BLAS thread per parallel job."""
    env = dict(os.environ)
    if str(PACKAGE_ROOT) not in map(str, site.getsitepackages()):
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE_ROOT), env.get("PYTHONPATH"))
                                            if p)
    if jobs > 1:
        # n_jobs processes each with its own BLAS pool would oversubscribe the cores.
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def count_finished(folder):
    """Number of result.json files below ``folder`` (0 if it does not exist yet)."""
    folder = Path(folder)
    return sum(1 for _ in folder.rglob("result.json")) if folder.is_dir() else 0


def tail(path, lines=STDERR_TAIL_LINES):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def run_sweep(sweep, profile, folder, jobs=1, config_dirs=(), stream=None, poll_seconds=0.5):
    """Clear ``folder``, run the sweep into it, report progress on ``stream``; a ``SweepRun``.

    The sweep's stdout and stderr are kept in ``folder/sweep.stdout.log`` and
    ``folder/sweep.stderr.log``.
    """
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)   # a stale sweep would mix old records with new ones
    folder.mkdir(parents=True)
    out_log, err_log = folder / "sweep.stdout.log", folder / "sweep.stderr.log"
    progress = Progress(sweep, stream if stream is not None else sys.stderr)
    start = time.monotonic()
    with open(out_log, "w") as out, open(err_log, "w") as err:
        process = subprocess.Popen(sweep_command(sweep, profile, folder, jobs, config_dirs),
                                   stdout=out, stderr=err, env=sweep_environment(jobs))
        try:
            while True:
                try:
                    process.wait(timeout=poll_seconds)
                    break
                except subprocess.TimeoutExpired:
                    progress.update(count_finished(folder), read_plan(folder),
                                    time.monotonic() - start)
        except BaseException:
            process.terminate()   # Ctrl-C: do not leave the sweep running behind us
            process.wait()
            raise
    seconds = time.monotonic() - start
    done, total = count_finished(folder), read_plan(folder)
    progress.finish(done, total, seconds, ok=process.returncode == 0)
    return SweepRun(sweep, folder, process.returncode, seconds, done, total,
                    "" if process.returncode == 0 else tail(err_log))
