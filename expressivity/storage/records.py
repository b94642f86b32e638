"""Result records on disk: atomic writes, config hashes, provenance, a run cache."""
import hashlib
import json
import os
import platform
import socket
import stat
from pathlib import Path

import numpy as np

from expressivity.train import accelerator

SCHEMA_VERSION = 1
# Bump when a code change alters the numbers a config produces: old cache entries then miss.
RESULT_VERSION = 6  # 2: folded-bias trainer (same maths, different rounding); 3: fit margin;
# 4: diverged also when the loss passes a bound set from the initial loss (divergence.py);
# 5: bce on a sigmoid output from the logit, no clip (nn.losses.fused): saturated outputs keep a gradient;
# 6: the compiled kernels' float64 logistic and tanh from train.vecmath (last bits differ)
# Keys that change how fast a job runs or where it writes, never what it computes.
NOT_HASHED = {"trainer": ("threads", "chunk_size", "memory_budget_gb")}
# Keys added later whose null default computes what the config computed before they existed:
# hashed only when set, so existing jobs keep their hashes (and cache entries).
HASHED_WHEN_SET = {"diagnose": ("plateau_grad_tol", "plateau_drop")}
HASHED_SECTIONS = ("task", "model", "trainer", "search", "seed")
# Evaluation seed blocks (issue 19): a job's block is its seed // SEED_BLOCK_SIZE, so seeds
# 0..999 (every job run so far) are block 0 and a fresh block is the same grid at seed + 1000 k.
# Derived, never a config key: no config hash and no cache entry changes. Tuning members draw
# from spawn key (tune.seed_offset, j) of the same seed, never an evaluation member's stream.
SEED_BLOCK_SIZE = 1000


def seed_block(seed):
    """The evaluation seed block of a job seed (None for a job without one: a construction)."""
    if seed is None or isinstance(seed, bool):
        return None
    return int(seed) // SEED_BLOCK_SIZE


def config_hash(config):
    """SHA-256 of the result-affecting part of a resolved config (a plain dict).

    A construction job (``construction`` set) computes from that section alone, so it alone
    is hashed; a training job has no such section (or None) and hashes as before.
    """
    if config.get("construction") is not None:
        text = json.dumps({"result_version": RESULT_VERSION, "construction": config["construction"]},
                          sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()
    part = {k: config[k] for k in HASHED_SECTIONS if k in config}
    for extra in ("tune", "diagnose"):   # a switched-off block changes nothing
        if (config.get(extra) or {}).get("enabled"):
            part[extra] = config[extra]
    for section, keys in NOT_HASHED.items():
        part[section] = {k: v for k, v in part.get(section, {}).items() if k not in keys}
    for section, keys in HASHED_WHEN_SET.items():
        if section in part:
            part[section] = {k: v for k, v in part[section].items() if k not in keys or v is not None}
    text = json.dumps({"result_version": RESULT_VERSION, **part}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


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


# Top-level parts of a record and the type each must have.
PARTS = {"schema_version": int, "config": dict, "config_hash": str, "probes": list,
         "summary": dict, "timing": dict, "provenance": dict, "task": dict}


def content_checksum(record):
    """SHA-256 of a record's content, all but its ``checksum`` key (canonical JSON)."""
    body = {k: v for k, v in record.items() if k != "checksum"}
    text = json.dumps(plain(body), sort_keys=True, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def seal(record):
    """Set ``record["checksum"]`` to its content checksum; return the record."""
    record["checksum"] = content_checksum(record)
    return record


def shape_problem(record):
    """Why ``record`` lacks a part of a record or has one of the wrong type, or None."""
    if not isinstance(record, dict):
        return f"not a JSON object but {type(record).__name__}"
    for key, kind in PARTS.items():
        if not isinstance(record.get(key), kind) or isinstance(record.get(key), bool):
            return f"incomplete: {key!r} missing or not a {kind.__name__}"
    if record["schema_version"] != SCHEMA_VERSION:
        return f"schema_version {record['schema_version']!r}, not {SCHEMA_VERSION}"
    if "rows" in record:   # a construction job: rows instead of probes
        if not isinstance(record["rows"], list) or not all(isinstance(r, dict) for r in record["rows"]):
            return "incomplete: 'rows' not a list of objects"
        if not isinstance(record["config"].get("construction"), dict):
            return (f"config.construction={record['config'].get('construction')!r} is not an object "
                    "(a construction record's parameters)")
    elif not record["probes"] or not all(isinstance(p, dict) for p in record["probes"]):
        return "incomplete: no probes"
    return None


# What the readers (results.record_tables, analyses, the report) take from a record, and the
# kind of each: one schema for the cache, collect and report.
OUTCOME_KEYS = ("final_loss", "max_error", "accuracy", "fitted", "fit_epoch", "diverged", "converged")
QUANTILES = ("q05", "q25", "median", "q75", "q95")
CONFIG_OBJECTS = ("task", "model", "trainer", "search", "tune", "diagnose", "objective")


def _number(value):
    return value is None or isinstance(value, (int, float))   # null: a non-finite number


def _numbers(where, values, length=None):
    if not isinstance(values, list):
        return f"{where} is not a list"
    if length is not None and len(values) != length:
        return f"{where} has {len(values)} values, not {length}"
    for i, v in enumerate(values):
        if not _number(v):
            return f"{where}[{i}]={v!r} is not a number or null"
    return None


def _probe_problem(where, probe):
    for key, kind in (("widths", list), ("parameters", int), ("members", dict), ("curve", dict),
                      ("summary", dict)):
        if not isinstance(probe.get(key), kind):
            return f"{where}.{key} missing or not a {kind.__name__}"
    if not all(isinstance(w, int) and not isinstance(w, bool) for w in probe["widths"]):
        return f"{where}.widths={probe['widths']!r} is not a list of integers"
    members, count = probe["members"], None
    for key in OUTCOME_KEYS:
        values = members.get(key)
        count = len(values) if count is None and isinstance(values, list) else count
        problem = _numbers(f"{where}.members.{key}", values, count)
        if problem:
            return problem
    for key in ("grad_norm_init", "grad_norm_final"):
        rows = members.get(key)
        if not isinstance(rows, list) or len(rows) != count:
            return f"{where}.members.{key} is not a list of {count} lists"
        for i, row in enumerate(rows):
            problem = _numbers(f"{where}.members.{key}[{i}]", row)
            if problem:
                return problem
    curve = probe["curve"]
    problem = _numbers(f"{where}.curve.epochs", curve.get("epochs"))
    if problem:
        return problem
    length = len(curve["epochs"])
    for key in QUANTILES:
        problem = _numbers(f"{where}.curve.{key}", curve.get(key), length)
        if problem:
            return problem
    if not isinstance(curve.get("first_members"), list):
        return f"{where}.curve.first_members is not a list"
    for i, row in enumerate(curve["first_members"]):
        problem = _numbers(f"{where}.curve.first_members[{i}]", row, length)
        if problem:
            return problem
    diagnosis = probe.get("diagnosis")
    if diagnosis is not None and not (isinstance(diagnosis, dict) and all(
            isinstance(v, list) and len(v) == len(diagnosis.get("member", [])) for v in diagnosis.values())):
        return f"{where}.diagnosis is not an object of equally long lists"
    if diagnosis and not all(isinstance(m, int) and 0 <= m < count for m in diagnosis.get("member", [])):
        return f"{where}.diagnosis.member is not a list of member indices below {count}"
    return None


def _summary_problem(where, summary):
    for key, value in summary.items():   # one table cell each (a list is written as text)
        if not (_number(value) or isinstance(value, (str, list))):
            return f"{where}.{key}={value!r} is not a number, text, null or a list"
    return None


def content_problem(record):
    """Why the content of a record with every part is not what the readers take, or None."""
    config = record["config"]
    for key in CONFIG_OBJECTS:
        if key in config and not isinstance(config[key], dict):
            return f"config.{key}={config[key]!r} is not an object"
    if config.get("construction") is not None and not isinstance(config["construction"], dict):
        return f"config.construction={config['construction']!r} is not an object or null"
    if not isinstance(record.get("experiment", ""), (str, type(None))):
        return f"experiment={record['experiment']!r} is not text"
    block = record.get("seed_block")
    if block is not None and (isinstance(block, bool) or not isinstance(block, int) or block < 0):
        return f"seed_block={block!r} is not a whole number >= 0 or null"
    timing = record["timing"]
    for key in ("seconds", "member_epochs"):
        if key in timing and not (isinstance(timing[key], (int, float)) and not isinstance(timing[key], bool)):
            return f"timing.{key}={timing[key]!r} is not a number"
    if "seconds" not in timing:
        return "timing.seconds missing"
    if not isinstance(timing.get("cached", False), bool):
        return f"timing.cached={timing['cached']!r} is not true or false"
    tuning = record.get("tuning")
    if tuning is not None and not (isinstance(tuning, dict) and isinstance(tuning.get("chosen", {}), dict)):
        return "tuning is not an object with a 'chosen' object"
    problem = _summary_problem("summary", record["summary"])
    for i, probe in enumerate(record["probes"]):
        problem = problem or _probe_problem(f"probes[{i}]", probe) or _summary_problem(
            f"probes[{i}].summary", probe["summary"])
    return problem


def checksum_problem(record):
    """Why ``record``'s checksum fails (missing counts), or None."""
    if record.get("checksum") != content_checksum(record):
        return "checksum does not match its content (edited or damaged)"
    return None


def read_record(path):
    """A record as a dict; raises ValueError naming why it is not a sound record.

    The parts and their types are checked (``shape_problem``), and the
    checksum when the record has one (records written before checksums have none).
    """
    try:
        record = load_json_file(path)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
    problem = shape_problem(record) or content_problem(record)
    if not problem and "checksum" in record:
        problem = checksum_problem(record)
    if problem:
        raise ValueError(f"not a sound result record (schema {SCHEMA_VERSION}): {problem}")
    return record


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


def cache_path(cache_dir, digest):
    return Path(cache_dir) / digest[:2] / f"{digest}.json"


def provenance():
    """Where a record came from; the commit is flagged when the code differs from it."""
    from expressivity import __version__
    from expressivity.storage.provenance import git_state
    return {"package": __version__, "git_commit": git_state(), "python": platform.python_version(),
            "numpy": np.__version__, "platform": platform.platform(),
            "accelerator": accelerator.name()}


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


# The file one job writes into its folder.
RECORD = "result.json"


def job_order(path):
    """Sort key of a record path: job folders 2 before 10 (Hydra numbers them)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in Path(path).parts]


def read_folder(folder):
    """(records [(job folder, record)], problems [(path, reason)]) of a sweep or job folder."""
    folder = Path(folder)
    paths = [folder / RECORD] if (folder / RECORD).exists() else \
        sorted(folder.rglob(RECORD), key=job_order)
    records, problems = [], []
    for path in paths:
        try:
            records.append((path.parent, read_record(path)))
        except (OSError, ValueError, UnicodeDecodeError) as error:
            problems.append((path, str(error)))
    return records, problems
