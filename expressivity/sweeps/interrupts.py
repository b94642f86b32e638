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

Descendants are found in ``/proc`` (Linux); elsewhere only the process itself stops.
"""
import os
import signal
import time
from pathlib import Path

from expressivity.storage.records import _alive, remove_orphans

GRACE_SECONDS = 5.0
_WATCHED = []


def descendants(pid):
    """Pids of every living descendant of ``pid`` (children first), from /proc; [] elsewhere."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop(0)
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(p) for p in children.read_text().split()]
            except OSError:
                continue
            found += kids
            queue += kids
    return found


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


def install():
    """Make SIGINT and SIGTERM stop this process and its descendants cleanly."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _on_signal)
