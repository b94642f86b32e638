"""Result records on disk: config hashes, seed blocks, checks, provenance, a run cache (writes: json_files)."""
import hashlib
import json
import platform
from pathlib import Path

import numpy as np

from expressivity.storage.json_files import load_json_file, plain
from expressivity.storage.record_content import content_problem
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


def cache_path(cache_dir, digest):
    return Path(cache_dir) / digest[:2] / f"{digest}.json"


def provenance():
    """Where a record came from; the commit is flagged when the code differs from it."""
    from expressivity import __version__
    from expressivity.storage.provenance import git_state
    return {"package": __version__, "git_commit": git_state(), "python": platform.python_version(),
            "numpy": np.__version__, "platform": platform.platform(),
            "accelerator": accelerator.name()}


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
