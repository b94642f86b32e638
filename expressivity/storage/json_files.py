"""JSON files on disk: atomic writes that never leave half a file, bounded reads of regular files only."""
import json
import os
import socket
import stat
from pathlib import Path

import numpy as np


def write_json_atomic(path, data):
    """Write to a temporary file in the same folder, then rename: never a half record.

    The temporary file is named after the target, this host and this process
    (``.result.json.<host>.<pid>.tmp``) so that a writer killed outright
    (SIGKILL, power loss) leaves a file the next writer of the same target can
    recognise as orphaned and remove (``remove_orphans``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_orphans(path)
    tmp = path.parent / f".{path.name}.{_HOST}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w") as f:
            json.dump(plain(data), f, allow_nan=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_HOST = socket.gethostname().replace(".", "_")


def remove_orphans(path):
    """Delete temporary files for ``path`` left by dead processes on this host.

    A temp file of a live process (another job writing the same record right
    now) or of another host (a shared cluster disk) is left alone.
    """
    for tmp in path.parent.glob(f".{path.name}.{_HOST}.*.tmp"):
        pid = tmp.name[len(f".{path.name}.{_HOST}."):-len(".tmp")]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:   # a zombie (exited, not yet reaped) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


MAX_RECORD_BYTES = 2 ** 31   # 2 GiB: the memory budget's largest record (1500 B x ~1.4M members)


def load_json_file(path, max_bytes=MAX_RECORD_BYTES):
    """The JSON in the regular file ``path``; ValueError for anything else.

    Opened without blocking and checked before reading: a FIFO (which would hang the
    reader), a device such as ``/dev/zero`` (which would read until memory runs out), a
    folder, or a file over ``max_bytes`` is refused with the reason.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file (a FIFO, device, socket or folder); "
                             "allowed: a regular result.json")
        if info.st_size > max_bytes:
            raise ValueError(f"{info.st_size} bytes is over the {max_bytes}-byte cap of a record")
        with os.fdopen(fd, encoding="utf-8") as f:
            fd = None   # closed with f
            return json.load(f)
    finally:
        if fd is not None:
            os.close(fd)


def plain(value):
    """Plain JSON values: arrays to lists, NumPy scalars to Python, NaN and ±inf to None.

    Standard JSON has no NaN; a missing number is null and the record's flags
    (``diverged``) say why.
    """
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
