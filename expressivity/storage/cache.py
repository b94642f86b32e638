"""The run cache: a finished job's record under the hash of its config, served only if sound.

A cache entry ``<cache_dir>/<hh>/<hash>.json`` is served only when

- it parses and holds every part of a record (``record_problem``);
- its config hashes to the entry's name, and ``config_hash`` says the same
  (a record copied under another config's hash is not served);
- its ``checksum`` (SHA-256 of the rest of the record, ``content_checksum``)
  matches (a value edited by hand is not served);
- it was trained by the same kernels (``provenance.accelerator``: the NumPy
  reference or the compiled accelerator) this process uses; otherwise it is a
  miss, left in place and overwritten by the recomputed record.

Otherwise the entry is moved aside into ``<cache_dir>/quarantine/`` (named on
stderr, with the reason) and the job is recomputed: never served, never fatal.

``point_lock`` is a per-point file lock (``filelock``): two processes asking for
the same point (two identical sweeps, two people sharing a cache) compute it
once; the second waits, then reads the first one's record.

Nothing is written out of the cache through a link, and no damaged folder stops a
point for good: a shard folder ``<hh>/`` or ``quarantine/`` that is a symbolic link,
not a folder, or a folder this process cannot use, and a lock file that is a link or
not a regular file, are moved aside (``<name>.<time>.moved``, named on stderr) and
made anew (``usable``).
"""
import contextlib
import os
import sys
import time
from pathlib import Path

from filelock import FileLock

from expressivity.storage.json_files import load_json_file
from expressivity.storage.record_content import content_problem
from expressivity.storage.records import cache_path, checksum_problem, config_hash, shape_problem
from expressivity.train import accelerator

QUARANTINE = "quarantine"


def record_problem(record, digest=None):
    """Why ``record`` is not a sound cache entry (for config hash ``digest``), or None."""
    problem = shape_problem(record)
    if problem:
        return problem
    try:
        actual = config_hash(record["config"])
    except (AttributeError, TypeError, ValueError) as error:
        return f"its config cannot be hashed ({type(error).__name__}: {error})"
    if record["config_hash"] != actual:
        return f"its config hashes to {actual[:12]}…, not its config_hash {record['config_hash'][:12]}…"
    if digest is not None and actual != digest:
        return f"its config hashes to {actual[:12]}…, not to the entry's name {digest[:12]}…"
    return checksum_problem(record) or content_problem(record)


def _stamp():
    return f"{time.strftime('%Y%m%d-%H%M%S')}.{time.time_ns() % 10**9:09d}.{os.getpid()}"


def usable(path, folder=True, stream=None):
    """Make ``path`` a real folder (or, ``folder=False``, leave room for a regular file) inside
    its parent; whatever stands in the way is moved aside, named on stderr. Returns ``path``.

    In the way: a symbolic link (entries and locks would be written where it leads, out of
    the cache), something of the other kind, or a folder without read, write and search
    permission for this process (mode 000: every later run would fail on it).
    """
    path = Path(path)
    problem, exists = None, path.exists()
    if path.is_symlink():
        problem = "is a symbolic link (writes would leave the cache)"
    elif exists and folder and not path.is_dir():
        problem = "is not a folder"
    elif exists and not folder and not path.is_file():
        problem = "is not a regular file"
    elif exists and folder and not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        problem = "is a folder this process cannot read, write or enter"
    if problem:
        aside = path.with_name(f"{path.name}.{_stamp()}.moved")
        os.replace(path, aside)   # moves a link itself, never what it points to
        print(f"expressivity: cache {path} {problem}; moved to {aside} and made anew",
              file=stream if stream is not None else sys.stderr, flush=True)
    if folder:
        path.mkdir(parents=True, exist_ok=True)
    return path


def quarantine(path, reason, stream=None):
    """Move a bad cache entry into ``<cache_dir>/quarantine/`` and say so on stderr."""
    path = Path(path)
    folder = path.parent.parent / QUARANTINE
    target = folder / f"{path.stem}.{_stamp()}.json"   # never overwrites an earlier one
    try:
        usable(folder, stream=stream)
        os.replace(path, target)
        where = f"moved to {target}"
    except OSError as error:
        where = f"could not be moved ({error.strerror}); ignored"
    print(f"expressivity: cache entry {path} is not served: {reason}; {where}; recomputing",
          file=stream if stream is not None else sys.stderr, flush=True)


def load_cached(cache_dir, digest, stream=None):
    """The sound cached record for ``digest``, or None (a bad entry is quarantined)."""
    if not cache_dir:
        return None
    path = cache_path(cache_dir, digest)
    if not path.exists():
        return None
    try:
        record = load_json_file(path)
        problem = record_problem(record, digest)
    except Exception as error:   # whatever is wrong with the file, it is not served
        record, problem = None, f"unreadable ({type(error).__name__}: {error})"
    if problem:
        quarantine(path, problem, stream)
        return None
    return record if same_kernels(record, path, stream) else None


def same_kernels(record, path, stream=None):
    """Whether ``record`` was trained by the kernels this process would use.

    The NumPy reference and the compiled accelerator agree to 1e-12, not to the
    last bit, so a record made by the other one is not served (same config and
    seed give identical numbers only on the same kernels); it stays in place and
    is overwritten by the recomputed record.
    """
    theirs, ours = record["provenance"].get("accelerator"), accelerator.name()
    if theirs == ours:
        return True
    print(f"expressivity: cache entry {path} was trained by the {theirs} kernels, this process "
          f"uses {ours} ({accelerator.VARIABLE}); recomputing",
          file=stream if stream is not None else sys.stderr, flush=True)
    return False


def point_lock(cache_dir, digest):
    """A lock held while one process looks up, computes and stores one point (no-op without a cache)."""
    if not cache_dir:
        return contextlib.nullcontext()
    path = cache_path(cache_dir, digest)
    usable(path.parent)
    lock = usable(str(path) + ".lock", folder=False)
    return FileLock(str(lock))
