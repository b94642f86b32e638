"""Records -> tidy pandas tables; robust to partial sweeps.

``load_results(paths)`` reads every ``result.json`` below the given folders
(or the files themselves) and returns a ``Results`` with three tables:

members   one row per job x probe x member: the flattened job config
          (``task.name``, ``task.n``, ``model.depth``, ``model.activation``,
          ``trainer.loss``, ``seed`` …), ``job`` (record folder),
          ``config_hash``, ``experiment``, ``seed_block`` (the evaluation seed
          block: the record's, or ``seed // records.SEED_BLOCK_SIZE``), ``probe`` (index), ``width`` (first
          hidden width; 0 for a net with no hidden layer), ``widths`` (str),
          ``depth`` (hidden layers), ``parameters``, ``member``, and the
          outcomes ``final_loss``, ``accuracy``, ``fitted``, ``fit_epoch``,
          ``diverged``, ``converged``, ``max_error`` (sup |ŷ - y|), ``grad_norm_init.<layer>``,
          ``grad_norm_final.<layer>`` (NaN past a net's last layer), and
          ``tuned.<param>`` (e.g. ``tuned.trainer.lr``) for jobs run with the
          tuning protocol (``expressivity.job.tuning``): the value it chose;
          ``diag.class`` etc. on failed members diagnosed by ``expressivity.job.diagnose``.
curves    one row per job x probe x recorded epoch: the same config columns,
          ``job``, ``probe``, ``width``, ``epoch``, loss quantiles over members
          ``q05 q25 median q75 q95`` and ``member_<i>`` for the first members.
jobs      one row per job: config columns, ``job``, ``config_hash``,
          ``seconds``, ``cached``, and ``summary.<key>`` for the job summary
          (``summary.min_width`` for a min_width search).
rows      one row per construction job x row (``expressivity.constructions``): the
          construction's parameters ``construction.<key>`` (``construction.name``),
          ``job``, ``config_hash``, ``experiment``, and the row's own columns.

``problems`` lists (path, reason) for every record that could not be read
(any malformed file: bad encoding, deep nesting, wrong types); it is never
fatal. ``nonfinite`` lists (job folder, count) of members whose final loss is
NaN or infinite (null in the record).
"""
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from expressivity.storage.records import read_record, seed_block

OUTCOMES = ("final_loss", "max_error", "accuracy", "fitted", "fit_epoch", "diverged", "converged")
CONFIG_SECTIONS = ("task", "model", "trainer", "search", "seed", "experiment", "profile", "construction")


@dataclass
class Results:
    members: pd.DataFrame
    curves: pd.DataFrame
    jobs: pd.DataFrame
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)   # construction jobs' rows
    problems: list = field(default_factory=list)
    nonfinite: list = field(default_factory=list)   # [(job folder, members with NaN/inf loss)]

    def __len__(self):
        return len(self.jobs)


def find_records(paths):
    """Every result.json below the given folders (or the given files), sorted."""
    found = []
    for path in map(Path, paths):
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(path.rglob("result.json"))
    return sorted(set(found))


def config_columns(config):
    """The result-affecting config flattened to dotted keys (lists become strings)."""
    flat = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        else:
            flat[prefix] = str(value) if isinstance(value, list) else value

    walk("", {k: config[k] for k in CONFIG_SECTIONS if config.get(k) is not None})
    return flat


def record_tables(record, job):
    """(member rows, curve rows, job row) for one record."""
    base = {**config_columns(record["config"]), "job": job, "config_hash": record["config_hash"],
            "experiment": record.get("experiment"),
            "seed_block": record.get("seed_block", seed_block(record["config"].get("seed"))),
            **{f"tuned.{k}": v for k, v in ((record.get("tuning") or {}).get("chosen") or {}).items()}}
    members, curves = [], []
    for index, probe in enumerate(record["probes"]):
        widths = probe["widths"]
        where = {**base, "probe": index, "width": widths[0] if widths else 0,
                 "widths": str(widths), "depth": len(widths), "parameters": probe["parameters"]}
        m = probe["members"]
        for i in range(len(m["final_loss"])):
            row = {**where, "member": i, **{k: m[k][i] for k in OUTCOMES}}
            for kind in ("grad_norm_init", "grad_norm_final"):
                for layer, value in enumerate(m[kind][i]):
                    row[f"{kind}.{layer}"] = value
            members.append(row)
        _add_diagnosis(members[len(members) - len(m["final_loss"]):], probe.get("diagnosis"))
        c = probe["curve"]
        for t, epoch in enumerate(c["epochs"]):
            row = {**where, "epoch": epoch,
                   **{q: c[q][t] for q in ("q05", "q25", "median", "q75", "q95")}}
            for i, curve in enumerate(c["first_members"]):
                row[f"member_{i}"] = curve[t]
            curves.append(row)
    job_row = {**base, "seconds": record["timing"]["seconds"],
               "cached": record["timing"].get("cached", False),
               **{f"summary.{k}": (str(v) if isinstance(v, list) else v)
                  for k, v in record["summary"].items()}}
    return members, curves, job_row


def _add_diagnosis(rows, diagnosis):
    """``diag.<key>`` columns (class, grad_norm, ...) on the diagnosed members' rows."""
    if not diagnosis:
        return
    for k, member in enumerate(diagnosis["member"]):
        for key, values in diagnosis.items():
            if key != "member":
                rows[member][f"diag.{key}"] = values[k]


def load_results(paths):
    """Read all records below ``paths`` into a ``Results``; unreadable ones go to ``problems``."""
    members, curves, jobs, rows, problems, nonfinite = [], [], [], [], [], []
    for path in find_records(paths):
        try:
            record = read_record(path)
            m, c, j = record_tables(record, str(path.parent))
            r = construction_rows(record, str(path.parent))
            bad = sum(1 for row in m if not _finite(row["final_loss"]))
        except Exception as error:   # any malformed file is named with its reason, never fatal
            problems.append((str(path), f"{type(error).__name__}: {str(error)[:300]}"))
            continue
        members += m
        curves += c
        jobs.append(j)
        rows += r
        if bad:
            nonfinite.append((str(path.parent), bad))
    # object dtype: each construction's columns keep their own types (an int column of one is
    # not upcast to float by another's missing values); ``claims.constructed`` re-infers per construction.
    return Results(_frame(members), _frame(curves), _frame(jobs), pd.DataFrame(rows, dtype=object),
                   problems, nonfinite)


def construction_rows(record, job):
    """The rows of a construction record with its parameters, job and hash; [] for a training job."""
    if "rows" not in record:
        return []
    section = record["config"]["construction"]
    base = {f"construction.{k}": (str(v) if isinstance(v, (list, dict)) else v) for k, v in section.items()}
    base.update({"job": job, "config_hash": record["config_hash"], "experiment": record.get("experiment")})
    return [{**base, **row} for row in record["rows"]]


def _finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _frame(rows):
    frame = pd.DataFrame(rows)
    # None (a non-finite number in the record) becomes NaN in numeric columns.
    for column in ("final_loss", "max_error", "accuracy"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame
