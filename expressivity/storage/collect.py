"""Sweep folders -> tidy CSV tables on disk (``expressivity collect``).

``collect(dirs, out_dir)`` reads every ``result.json`` below ``dirs`` with
``results.load_results`` and writes its tables (``members``, ``curves``,
``jobs``, and ``rows`` of construction jobs; columns in the ``results`` docstring) as ``<table>.csv`` into
``out_dir``, or ``<table>.csv.gz`` when the plain CSV would be large, so that
committed reports stay small. Records that cannot be read are returned in
``Results.problems`` (and named by the CLI); they never stop a collection.
"""
from pathlib import Path

from expressivity.storage.results import load_results

TABLES = ("members", "curves", "jobs", "rows")
# A table whose CSV is larger than this is written gzipped (.csv.gz).
GZIP_ABOVE_BYTES = 1_000_000
# Committed reports must stay small (well under ~30 MB with figures): tables past this total
# are left out of the report folder, largest first, and the report says how to rebuild them.
DATA_BUDGET_BYTES = 20_000_000
# Seven significant digits: the tables are for reading and plotting; analyses
# read the full-precision records themselves.
FLOAT_FORMAT = "%.7g"


def check_dirs(dirs):
    """Raise ValueError naming the first path that does not exist (before any work)."""
    if not dirs:
        raise ValueError("dirs=[] is not allowed; allowed: one or more sweep folders "
                         "or result.json files")
    for path in map(Path, dirs):
        if not path.exists():
            raise ValueError(f"dir={str(path)!r} does not exist; "
                             "allowed: a sweep folder or a result.json")


def write_table(frame, out_dir, name, gzip_above=GZIP_ABOVE_BYTES):
    """Write ``frame`` as ``out_dir/name.csv`` (or ``.csv.gz`` if large); return the path or None.

    A stale copy of the table in the other format is removed first, so the folder
    never holds two versions. An empty table writes nothing and returns None.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in (out_dir / f"{name}.csv", out_dir / f"{name}.csv.gz"):
        stale.unlink(missing_ok=True)
    if frame.empty:
        return None
    data = frame.to_csv(index=False, float_format=FLOAT_FORMAT).encode()
    if len(data) <= gzip_above:
        path = out_dir / f"{name}.csv"
        path.write_bytes(data)
        return path
    path = out_dir / f"{name}.csv.gz"
    # pandas gzips it; mtime=0: the same table gives the same bytes, so a re-run does not
    # churn git.
    frame.to_csv(path, index=False, float_format=FLOAT_FORMAT,
                 compression={"method": "gzip", "mtime": 0})
    return path


def write_results(results, out_dir, gzip_above=GZIP_ABOVE_BYTES):
    """Write the three tables of a ``Results``; {table name: path or None}."""
    return {name: write_table(getattr(results, name), out_dir, name, gzip_above) for name in TABLES}


def collect(dirs, out_dir, gzip_above=GZIP_ABOVE_BYTES):
    """Read every record below ``dirs`` and write its tables into ``out_dir``.

    Returns
    -------
    (Results, {table name: written path or None})
    """
    check_dirs(dirs)
    results = load_results(dirs)
    return results, write_results(results, out_dir, gzip_above)


def over_budget(sizes, budget=DATA_BUDGET_BYTES):
    """The files to leave out, largest first, so that the rest total at most ``budget`` bytes.

    Parameters
    ----------
    sizes : {file: size in bytes}
    budget : bytes allowed in all

    Returns
    -------
    {file: size} of the files to leave out (empty when all fit)
    """
    total, dropped = sum(sizes.values()), {}
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        if total <= budget:
            break
        dropped[name] = size
        total -= size
    return dropped
