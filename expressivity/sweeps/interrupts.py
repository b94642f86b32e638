"""SIGINT and SIGTERM stop a run and everything it started, leaving only complete records.

``install()`` (called by ``python -m expressivity`` and ``expressivity
reproduce``) turns either signal into ``SystemExit(128 + signal)`` after
sending SIGTERM to every descendant process (joblib's loky workers,
submitit's jobs, a sweep subprocess), waiting up to ``GRACE_SECONDS`` and
then killing what is left. ``finally`` blocks run as the exit unwinds, so the
atomic writers remove their temp files; a child killed outright can leave a
``.<name>.<host>.<pid>.tmp`` file, which ``remove_dead_temps`` deletes from the
folders registered with ``watch``. Records are written by atomic rename, so no
half-written ``result.json`` can exist.

Descendants are found with psutil (any platform it supports).

SIGKILL cannot be caught, so ``guard()`` (called by a sweep and by ``expressivity
reproduce``) starts a small guardian process first: it marks every process started
after it (an environment variable, inherited by joblib's loky workers, submitit's
jobs, sweep subprocesses and their children) and, once the guarded process is gone,
kills every process still carrying the mark (found with psutil), so no worker goes on
computing or writing under PID 1.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from expressivity.storage.json_files import _alive, remove_orphans

GRACE_SECONDS = 5.0
_WATCHED = []


def descendants(pid):
    """Pids of every living descendant of ``pid`` (children first, through psutil); [] when
    ``pid`` is gone."""
    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def ignores_sigterm(pid):
    """Whether ``pid`` ignores or blocks SIGTERM (a resource tracker that cleans up after the
    others do)."""
    mask = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("SigIgn:", "SigBlk:")):
                mask |= int(line.split()[1], 16)
    except (OSError, ValueError):
        return False
    return bool(mask >> (signal.SIGTERM - 1) & 1)


def stop_descendants(grace=GRACE_SECONDS):
    """SIGTERM every descendant, wait up to ``grace`` seconds, SIGKILL the rest; their pids.

    A helper that ignores SIGTERM (multiprocessing's and loky's resource trackers)
    is left alone: it exits by itself once the others are gone, after cleaning up
    their shared memory.
    """
    pids = [p for p in descendants(os.getpid()) if not ignores_sigterm(p)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not any(_alive(p) for p in pids):
            break
    return pids


def watch(folder):
    """Register a folder whose dead writers' temp files are removed on interrupt."""
    if folder:
        _WATCHED.append(Path(folder))


def remove_dead_temps(folders=None):
    """Delete ``.<name>.<host>.<pid>.tmp`` files of dead processes below ``folders``."""
    for folder in (_WATCHED if folders is None else folders):
        if Path(folder).is_dir():
            for tmp in Path(folder).rglob(".*.tmp"):
                name = tmp.name[1:].rsplit(".", 3)[0]
                remove_orphans(tmp.parent / name)


def _on_signal(signum, frame):
    signal.signal(signum, signal.SIG_IGN)    # a second signal must not interrupt the cleanup
    stop_descendants()
    remove_dead_temps()
    raise SystemExit(128 + signum)


GUARD_VARIABLE = "EXPRESSIVITY_GUARDED_BY"   # ':'-separated marks of every guarded ancestor
GUARD_POLL_SECONDS = 0.2
# The guardian: stdlib and psutil only, so it is up within a fraction of a second. It ignores
# SIGINT/SIGTERM (stop_descendants leaves it alone), waits for its parent to go, then kills
# every process whose environment carries the mark, a few passes for processes forked meanwhile.
GUARDIAN = """
import os, signal, sys, time
import psutil
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
parent, mark, variable, poll = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
while os.getppid() == parent:
    time.sleep(poll)
me = os.getpid()
for _ in range(5):
    marked = []
    for proc in psutil.process_iter(["pid", "environ"]):
        env = proc.info.get("environ") or {}
        if proc.info["pid"] != me and mark in env.get(variable, "").split(":"):
            marked.append(proc)
    if not marked:
        break
    for proc in marked:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(marked, timeout=1)
"""


def guard():
    """Make every process this one starts from now on die with it, even by SIGKILL.

    Marks this process's environment (children inherit it) and starts the guardian
    (``GUARDIAN``); returns the guardian's ``Popen``, or None where psutil is missing.
    """
    try:
        import psutil  # noqa: F401
    except ImportError:
        return None
    mark = f"{os.getpid()}-{time.time_ns()}"
    os.environ[GUARD_VARIABLE] = ":".join(filter(None, [os.environ.get(GUARD_VARIABLE), mark]))
    return subprocess.Popen([sys.executable, "-c", GUARDIAN, str(os.getpid()), mark, GUARD_VARIABLE,
                             str(GUARD_POLL_SECONDS)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)


def install():
    """Make SIGINT and SIGTERM stop this process and its descendants cleanly."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _on_signal)
