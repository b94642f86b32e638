"""One job: a resolved config -> task, population, training -> one result record."""
import time
from pathlib import Path

import numpy as np
from omegaconf import DictConfig, OmegaConf

from expressivity.job.config import hidden_widths, sgd_settings, validate
from expressivity.constructions import run_construction
from expressivity.job.converged_search import converged_width_search
from expressivity.job.divergence import diverged_members
from expressivity.job.diagnose import diagnose, loss_drop_per_1000
from expressivity.job.joblog import log_job_end, start_training
from expressivity.nn import MLP
from expressivity.job.parallel import blas_thread_limit, blas_threads, limited_blas
from expressivity.storage.cache import load_cached, point_lock
from expressivity.job.paths import check_folders
from expressivity.storage.json_files import plain, write_json_atomic
from expressivity.storage.records import SCHEMA_VERSION, cache_path, config_hash, provenance, seal, seed_block
from expressivity.tasks import make_task
from expressivity.train import train
from expressivity.job.teacher_job import teacher_probe
from expressivity.job.tuning import tune

CURVES_KEPT = 8  # full loss curves stored for the first members; quantiles for all


def run_job(cfg, out_dir, launcher=None, task_choice=None):
    """Validate, then run (or fetch from the cache) one job; write ``out_dir/result.json``.

    ``launcher`` names the Hydra launcher running the job (``basic``, ``joblib``,
    …); it only decides how many BLAS threads the job may use (``parallel``)
    and is kept in the record's provenance. ``task_choice`` is the task's name as the user
    chose it (``task=xor``), for the log line only.
    """
    if isinstance(cfg, DictConfig):
        config = OmegaConf.to_container(cfg, resolve=True)
    else:
        config = cfg
    config = {k: v for k, v in config.items() if k != "grids"}   # resolved: the job needs no grid
    cfg = OmegaConf.create(config)
    validate(cfg)
    check_folders(cfg, out_dir)
    config = job_part(config)
    digest = config_hash(config)
    with point_lock(cfg.cache_dir, digest):   # a point shared with another sweep is computed once
        record = load_cached(cfg.cache_dir, digest)
        if record is not None:
            record["timing"]["cached"] = True
            # The entry's numbers, this job's config: keys that are not hashed (profile,
            # threads, objective, experiment) are this job's, not the first job's.
            record["config"], record["experiment"] = config, cfg.experiment
        else:
            limit = blas_thread_limit(cfg.trainer.threads, launcher)
            with limited_blas(limit):
                record = compute_record(cfg, config, digest)
                record["timing"]["blas_threads"] = blas_threads()
            record["provenance"]["launcher"] = launcher
            if cfg.cache_dir:
                write_json_atomic(cache_path(cfg.cache_dir, digest), seal(record))
    write_json_atomic(Path(out_dir) / "result.json", seal(record))
    log_job_end(record, Path(out_dir) / "result.json", task_choice)
    return record


# What a construction job's record keeps of its config: it trains nothing.
CONSTRUCTION_KEYS = ("construction", "experiment", "profile", "cache_dir")


def job_part(config):
    """The part of a resolved config (a dict) the job needs: a training job drops the empty
    ``construction``; a construction job keeps only ``CONSTRUCTION_KEYS``."""
    if config.get("construction") is None:
        return {k: v for k, v in config.items() if k != "construction"}
    return {k: config[k] for k in CONSTRUCTION_KEYS if k in config}


def compute_record(cfg, config, digest):
    if cfg.get("construction") is not None:
        return construction_record(cfg, config, digest)
    start, tuned = time.perf_counter(), None
    task = make_task(**OmegaConf.to_container(cfg.task))
    searched = None
    if cfg.search.kind == "min_width":
        probes = min_width_search(cfg, task)
    elif cfg.search.kind == "converged_width":
        probes, searched = converged_width_search(cfg, task, train_probe)
    else:
        probe = teacher_probe if task.name == "teacher_student" else train_probe
        if cfg.tune.enabled:
            cfg, tuned = tune(cfg, task, hidden_widths(cfg.model), probe)
        probes = [probe(cfg, task, hidden_widths(cfg.model),
                        member_generators(cfg.seed, cfg.trainer.restarts))]
    seconds = time.perf_counter() - start
    member_epochs = sum(p["member_epochs"] for p in probes) + (tuned["member_epochs"] if tuned else 0)
    return plain({
        "schema_version": SCHEMA_VERSION, "experiment": cfg.experiment,
        "config": config, "config_hash": digest, "seed_block": seed_block(cfg.seed),
        "task": {"name": task.name, "n": cfg.task.n, "rows": len(task.X),
                 "boolean": task.boolean},
        "probes": probes, "summary": searched or job_summary(cfg, probes), "tuning": tuned,
        "timing": {"seconds": seconds, "member_epochs": member_epochs,
                   "us_per_member_epoch": 1e6 * seconds / max(member_epochs, 1), "cached": False},
        "provenance": provenance(),
    })


def construction_record(cfg, config, digest):
    """The record of a construction job: no probes, the registered function's ``rows``."""
    start = time.perf_counter()
    rows = run_construction(config["construction"])
    seconds = time.perf_counter() - start
    return plain({
        "schema_version": SCHEMA_VERSION, "experiment": cfg.experiment,
        "config": config, "config_hash": digest,
        "task": {"name": "construction", "construction": config["construction"]["name"]},
        "probes": [], "rows": rows, "summary": {"rows": len(rows)}, "tuning": None,
        "timing": {"seconds": seconds, "member_epochs": 0, "us_per_member_epoch": 0.0,
                   "cached": False},
        "provenance": provenance(),
    })


def member_generators(seed, population):
    """One independent generator per member, from the job seed (SeedSequence.spawn)."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(population)]


def build_population(cfg, task, widths, rngs):
    m = cfg.model
    output = task.natural_output if m.output_activation == "auto" else m.output_activation
    sizes = (task.X.shape[1], *widths, task.Y.shape[1])
    dtype = np.dtype(m.dtype)
    return MLP.init(sizes, [m.activation] * len(widths) + [output], population=len(rngs),
                    init=m.init, bias=m.bias, rng=rngs, dtype=dtype, scale=m.init_scale)


def train_probe(cfg, task, widths, rngs=None):
    """Train ``trainer.restarts`` members (or one per generator in ``rngs``) with hidden
    ``widths``; the probe's record."""
    tr = cfg.trainer
    rngs = member_generators(cfg.seed, tr.restarts) if rngs is None else rngs
    net = build_population(cfg, task, widths, rngs)
    dtype = net.weights[0].dtype
    settings = sgd_settings(tr)
    progress = start_training(widths, net.sizes, tr.restarts, tr.max_epochs)
    outcome = train(net, task.X.astype(dtype), task.Y.astype(dtype), settings,
                    rngs=rngs, threshold=task.threshold, progress=progress)
    progress.close()
    record = probe_record(net, widths, outcome)
    if cfg.diagnose.enabled and task.boolean:
        failed = np.flatnonzero(~outcome.fitted)[:cfg.diagnose.max_members]
        drop = loss_drop_per_1000(outcome.curve, outcome.curve_epochs, failed) \
            if cfg.diagnose.plateau_grad_tol is not None else None
        record["diagnosis"] = diagnose(net, task.X.astype(dtype), task.Y.astype(dtype), tr.loss,
                                       task.threshold, failed, loss_drop=drop,
                                       **{k: v for k, v in cfg.diagnose.items()
                                          if k not in ("enabled", "max_members")})
    return record


def probe_record(net, widths, o):
    o.diverged = diverged_members(o.curve, o.final_loss, o.diverged)
    trained = np.where(o.fit_epoch >= 0, o.fit_epoch, o.curve_epochs[-1])
    members = {
        "final_loss": o.final_loss, "max_error": o.max_error, "accuracy": o.accuracy, "fitted": o.fitted,
        "fit_epoch": o.fit_epoch, "diverged": o.diverged, "converged": o.converged,
        "grad_norm_init": o.grad_norm_init.T, "grad_norm_final": o.grad_norm_final.T,
    }
    q = np.nanquantile(np.where(np.isfinite(o.curve), o.curve, np.nan), [0.05, 0.25, 0.5, 0.75, 0.95],
                       axis=1) if np.isfinite(o.curve).any() else np.full((5, len(o.curve)), np.nan)
    finite = o.final_loss[np.isfinite(o.final_loss)]
    return {
        "widths": list(widths), "sizes": list(net.sizes), "parameters": net.n_parameters,
        "members": members,
        "curve": {"epochs": o.curve_epochs, "q05": q[0], "q25": q[1], "median": q[2],
                  "q75": q[3], "q95": q[4], "first_members": o.curve[:, :CURVES_KEPT].T},
        "summary": {
            "restarts": int(net.population), "success_rate": float(o.fitted.mean()),
            "any_fit": bool(o.fitted.any()),
            "best_loss": float(finite.min()) if finite.size else None,
            "median_loss": float(np.median(finite)) if finite.size else None,
            "diverged_rate": float(o.diverged.mean()),
            "median_fit_epoch": float(np.median(o.fit_epoch[o.fitted])) if o.fitted.any() else None,
        },
        "member_epochs": int(trained.sum()),
    }


def min_width_search(cfg, task):
    """Smallest width at which the best restart fits exactly: doubling, then bisection.

    Every probe trains all restarts at once and is recorded. Bisection assumes
    that success is monotone in width, which training noise can break; every
    probe is kept so that an analysis can see that.
    """
    probes, depth, cap = {}, cfg.model.depth, cfg.search.max_width

    def fits(width):
        if width not in probes:
            probes[width] = train_probe(cfg, task, [width] * depth)
        return probes[width]["summary"]["any_fit"]

    low, width, found = 0, 1, None
    while found is None:
        if fits(width):
            found = width
        elif width >= cap:
            break
        else:
            low, width = width, min(2 * width, cap)
    while found is not None and found - low > 1:
        mid = (low + found) // 2
        low, found = (low, mid) if fits(mid) else (mid, found)
    return [probes[w] for w in sorted(probes)]


def job_summary(cfg, probes):
    if cfg.search.kind != "min_width":
        return dict(probes[0]["summary"])
    fitting = [p for p in probes if p["summary"]["any_fit"]]
    best = min(fitting, key=lambda p: p["widths"][0]) if fitting else None
    return {"min_width": best["widths"][0] if best else None,
            "min_parameters": best["parameters"] if best else None,
            "probed_widths": [p["widths"][0] for p in probes],
            "max_width": cfg.search.max_width}
