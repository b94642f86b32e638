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
import signal
import site
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from expressivity.sweeps.interrupts import GRACE_SECONDS, remove_dead_temps
from expressivity.job.paths import check_name, hydra_quoted
from expressivity.job.progress import Progress
from expressivity.sweeps.plan import read_plan

# The folder this package was imported from: a checkout, or site-packages for an installed wheel.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
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
    command = [sys.executable, "-m", "expressivity", "-m", f"+experiment={check_name('sweep', sweep)}",
               f"profile={check_name('profile', profile)}",
               f"hydra.sweep.dir={hydra_quoted(Path(folder).resolve())}"]
    if config_dirs:
        paths = ",".join(hydra_quoted(f"file://{Path(d).resolve()}") for d in config_dirs)
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


SWEEP_MARKERS = ("sweep.stdout.log", "sweep.stderr.log", "multirun.yaml", ".expressivity")


def clear_sweep_folder(sweep, folder):
    """Empty ``folder`` for a new run of ``sweep``; refuse to delete anything but a sweep folder.

    The folder must be named after the (safe) sweep name and be empty or hold a
    previous sweep's files (its logs or Hydra's ``multirun.yaml``); a symlink,
    a file, or a folder of anything else is refused with ValueError.
    """
    check_name("sweep", sweep)
    folder = Path(folder)
    if folder.name != sweep:
        raise ValueError(f"sweep folder {str(folder)!r} is not named after sweep {sweep!r}")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ValueError(f"sweep folder {str(folder)!r} is a link or a file; not deleting it")
    if folder.exists():
        if any(folder.iterdir()) and not any((folder / m).exists() for m in SWEEP_MARKERS):
            raise ValueError(f"folder {str(folder)!r} does not hold a sweep (none of "
                             f"{', '.join(SWEEP_MARKERS)}); not deleting it")
        shutil.rmtree(folder)   # a stale sweep would mix old records with new ones
    folder.mkdir(parents=True)
    return folder


def stop_group(process, grace=GRACE_SECONDS):
    """SIGTERM the process group of ``process`` (it leads its own); SIGKILL what is left after
    ``grace`` seconds."""
    _signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _signal_group(process.pid, 0) and time.monotonic() < deadline:
        process.poll()   # reap the leader, so only living members keep the group alive
        time.sleep(0.05)
    _signal_group(process.pid, signal.SIGKILL)
    process.wait()


def _signal_group(pgid, sig):
    """Send ``sig`` to the group; whether any member was there to receive it."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    return True


def run_sweep(sweep, profile, folder, jobs=1, config_dirs=(), stream=None, poll_seconds=0.5):
    """Clear ``folder``, run the sweep into it, report progress on ``stream``; a ``SweepRun``.

    The sweep's stdout and stderr are kept in ``folder/sweep.stdout.log`` and
    ``folder/sweep.stderr.log``.
    """
    folder = clear_sweep_folder(sweep, folder)
    out_log, err_log = folder / "sweep.stdout.log", folder / "sweep.stderr.log"
    progress = Progress(sweep, stream if stream is not None else sys.stderr)
    start = time.monotonic()
    with open(out_log, "w") as out, open(err_log, "w") as err:
        # Its own process group: an interrupt stops the sweep and every worker it started.
        process = subprocess.Popen(sweep_command(sweep, profile, folder, jobs, config_dirs),
                                   stdout=out, stderr=err, env=sweep_environment(jobs),
                                   start_new_session=True)
        try:
            while True:
                try:
                    process.wait(timeout=poll_seconds)
                    break
                except subprocess.TimeoutExpired:
                    progress.update(count_finished(folder), read_plan(folder),
                                    time.monotonic() - start)
        except BaseException:
            stop_group(process)   # Ctrl-C, SIGTERM: do not leave the sweep running behind us
            remove_dead_temps([folder])
            raise
    seconds = time.monotonic() - start
    done, total = count_finished(folder), read_plan(folder)
    progress.finish(done, total, seconds, ok=process.returncode == 0)
    return SweepRun(sweep, folder, process.returncode, seconds, done, total,
                    "" if process.returncode == 0 else tail(err_log))
