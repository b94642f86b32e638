"""Browse what ran: ``expressivity runs`` lists the sweeps and jobs under ``runs/``, and
``expressivity show <sweep or job>`` prints a sweep's summary table and draws its loss curves,
so a user can look at results before writing a claim.

A *sweep* is a folder whose sub-folders hold ``result.json`` records (what ``-m`` and
``reproduce`` write); a *job* is a folder holding one ``result.json``. Unreadable records
are counted and named, never fatal.
"""
import datetime
import json
from pathlib import Path

from expressivity.storage.records import RECORD, job_order, read_folder  # noqa: F401
from expressivity.sweeps.plan import read_plan

SUMMARY_KEYS = ("success_rate", "best_loss", "median_loss", "diverged_rate", "median_fit_epoch",
                "min_width", "rows")


def is_sweep(folder, jobs):
    """A folder is a sweep if Hydra or the sweeper marked it (multirun.yaml, the job plan), or
    if it holds the records of two or more jobs."""
    folder = Path(folder)
    return (folder / "multirun.yaml").exists() or (folder / ".expressivity").is_dir() or jobs >= 2


def sweep_folders(root):
    """Every sweep folder below ``root`` (job sub-folders holding records), and every job
    folder that is not part of a sweep; sorted."""
    root = Path(root)
    records = sorted(root.rglob(RECORD))
    parents = {}
    for path in records:
        if path.parent != root:
            parents[path.parent.parent] = parents.get(path.parent.parent, 0) + 1
    sweeps = {folder for folder, jobs in parents.items() if is_sweep(folder, jobs)}
    sweeps -= {s for s in sweeps if any(parent in sweeps for parent in s.parents)}
    lone = {p.parent for p in records if not any(s in p.parents for s in sweeps)}
    return sorted(sweeps | lone)


def flat(config, prefix=""):
    """{'model.width': 8, …} of a nested config dict."""
    out = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat(value, name + "."))
        else:
            out[name] = json.dumps(value) if isinstance(value, list) else value
    return out


def varying_keys(records):
    """The config keys whose values differ between the records, in config order."""
    configs = [flat(r["config"]) for _, r in records]
    keys = list(dict.fromkeys(k for c in configs for k in c))
    return [k for k in keys if len({repr(c.get(k)) for c in configs}) > 1]


def failed(record):
    """Whether a training job fitted no restart (a construction job never fails here)."""
    rate = (record.get("summary") or {}).get("success_rate")
    return rate is not None and rate == 0 and (record.get("task") or {}).get("boolean", True)


def sweep_row(folder, root):
    """One line's facts about a sweep or job folder: name, experiment, when, jobs, …"""
    records, problems = read_folder(folder)
    newest = max(((f / RECORD).stat().st_mtime for f, _ in records), default=None)
    experiments = sorted({str(r["config"].get("experiment")) for _, r in records})
    planned = read_plan(folder)
    return {"sweep": str(Path(folder).relative_to(root)) if Path(folder) != Path(root) else ".",
            "experiment": ", ".join(experiments) or "—",
            "when": datetime.datetime.fromtimestamp(newest).strftime("%Y-%m-%d %H:%M")
            if newest else "—",
            "jobs": len(records) if planned is None else f"{len(records)}/{planned}",
            "cached": sum(bool(r["timing"].get("cached")) for _, r in records),
            "failed": sum(failed(r) for _, r in records),
            "unreadable": len(problems),
            "varying": ", ".join(varying_keys(records)) or "—"}


def text_table(rows, columns):
    """A plain console table (tabulate's 'simple' layout)."""
    from tabulate import tabulate
    return tabulate([[row.get(c, "") for c in columns] for row in rows], headers=columns,
                    tablefmt="simple", missingval="—")


def list_runs(root="runs", stream=None):
    """Print every sweep and lone job below ``root``; the exit code (1 when there is none)."""
    import sys
    stream = stream or sys.stdout
    root = Path(root)
    folders = sweep_folders(root) if root.is_dir() else []
    if not folders:
        print(f"no result records below {root}/ (run a job or a sweep first: "
              "expressivity run -m …)", file=stream)
        return 1
    rows = [sweep_row(f, root) for f in folders]
    columns = ["sweep", "experiment", "when", "jobs", "cached", "failed", "unreadable", "varying"]
    print(text_table(rows, columns), file=stream)
    print(f"\n{len(rows)} folder(s) below {root}/; `expressivity show <folder>` for one",
          file=stream)
    return 0


def job_rows(records):
    """One row per job: its folder, the varying keys' values, its summary numbers."""
    keys = varying_keys(records)
    rows = []
    for folder, record in records:
        config, summary = flat(record["config"]), record.get("summary") or {}
        row = {"job": folder.name, **{k: config.get(k) for k in keys}}
        row.update({k: summary[k] for k in SUMMARY_KEYS if k in summary})
        row["cached"] = "yes" if record["timing"].get("cached") else "no"
        rows.append(row)
    return rows, keys


def curve_figure(records, out):
    """Loss curves of every job (median over restarts, 25-75% band) in one figure; its path,
    or None when no record has a curve."""
    from expressivity.claims.plots import band, figure, save
    keys = varying_keys(records)
    fig, axes = figure(width=6.0, height=4.0)
    ax = axes[0, 0]
    drawn = 0
    for folder, record in records:
        for probe in record.get("probes", []):
            curve = probe.get("curve") or {}
            if not curve.get("epochs"):
                continue
            config = flat(record["config"])
            label = ", ".join(f"{k.split('.')[-1]}={config.get(k)}" for k in keys) or folder.name
            if len(record["probes"]) > 1:
                label += f", width {probe['widths']}"
            band(ax, curve["epochs"], curve["median"], curve["q25"], curve["q75"], label=label)
            drawn += 1
    if not drawn:
        return None
    ax.set(xlabel="epoch", ylabel="training loss (median over restarts)", yscale="log")
    if drawn <= 12:
        ax.legend(loc="upper right")
    return Path(out).parent / save(fig, Path(out).parent, Path(out).name)


def show(target, out=None, stream=None):
    """Print the summary table of a sweep or job folder and write its loss-curve figure
    (``out``, default ``<folder>/loss_curves.png``); the exit code."""
    import sys
    stream = stream or sys.stdout
    folder = Path(target)
    if not folder.exists():
        print(f"expressivity: error: {folder} does not exist; allowed: a sweep or job folder "
              "(expressivity runs lists them)", file=sys.stderr)
        return 2
    records, problems = read_folder(folder)
    if not records:
        print(f"expressivity: error: no readable {RECORD} below {folder}", file=sys.stderr)
        return 2
    rows, keys = job_rows(records)
    columns = list(dict.fromkeys(k for row in rows for k in row))
    print(text_table(rows, columns), file=stream)
    for path, reason in problems:
        print(f"unreadable record: {path}: {reason}", file=stream)
    figure_path = curve_figure(records, out or folder / "loss_curves.png")
    print(f"\n{len(records)} job(s); varying: {', '.join(keys) or 'nothing'}; "
          + (f"loss curves: {figure_path}" if figure_path else "no loss curves recorded"),
          file=stream)
    return 0
