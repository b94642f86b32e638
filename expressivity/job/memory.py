"""How much memory a job will need, estimated from its config before any work.

The big items, in bytes (itemsize 8 for float64, 4 for float32):

- parameters: every member's weights and biases exist twice (the population
  and the trained chunks waiting to be merged), and the chunks in flight
  several times more (slice, folded copy, gradients, momentum velocities,
  the per-example kernel's copy and scratch);
- layer buffers: each thread trains one chunk at a time, in blocks of up to
  32 members (fewer for big tables, see ``train.folded.block_for``) whose
  layer values are kept for backprop: about six arrays of (block, units,
  rows) per layer (z, a, delta and scratch);
- data orders (minibatch and per-example SGD): a chunk draws random keys and argsorts
  them (the keys, their argsort, the sorted keys and a tie check: ``ORDER_BYTES`` per key),
  (chunk, epochs per draw, rows), capped by ``ORDER_KEYS_MAX``;
- curves: one loss per member and curve point; the record: each member's
  outcomes as Python numbers and as JSON text;
- data: the task's inputs and targets (integer bits, float64, the dtype copy);
- tuning (when ``tune.enabled``): its largest round trains ``tune.restarts x eta^r``
  members at ``tune.max_epochs``; the population and curves are sized for the larger
  of that and the evaluation;
- diagnose (when ``diagnose.enabled``): one member's finite-difference Hessian
  (parameters², with ``eigvalsh``'s workspace) and its batch of perturbed copies
  with their layer values (``diagnose.MAX_COPIES`` at a time).

The estimate is an upper bound of the peak that NumPy allocates
(tests/job/test_memory.py checks it against ``tracemalloc``), not of the
process's whole footprint: the interpreter and libraries add ~100-200 MB.
"""
import math

from expressivity.tasks import BOOLEAN_FUNCTIONS
from expressivity.train.chunk import ORDER_KEYS_MAX
from expressivity.train.folded import ARRAYS_PER_LAYER, block_for
from expressivity.train.sgd import SGDSettings, chunk_size_for

GIB = 2 ** 30
# Per key of a data-order draw: the float64 key, its int64 argsort, the sorted keys and their
# boolean tie check (train.chunk.stable_argsort).
ORDER_BYTES = 8 + 8 + 8 + 1
POPULATION_COPIES = 2       # the population, and the trained chunks waiting to be merged
CHUNK_COPIES = 4            # a chunk's slice, folded copy, gradients, unfolded result
PER_EXAMPLE_COPIES = 2      # members-last copy and its scratch product
CURVE_COPIES = 3            # the list of per-epoch losses, its array, and the record
RECORD_BYTES = 1500         # one member's outcomes as Python numbers and JSON text
DATA_BYTES = 2 * 8 + 1      # per input/target value: float64 array, dtype copy, int8 bits
HESSIAN_COPIES = 4          # the Hessian, its transpose sum, the average, eigvalsh's copy
DIAGNOSE_COPIES = 4096      # diagnose.MAX_COPIES: perturbed members per batched call


def task_shape(task):
    """(rows, inputs, outputs) of the data a task config makes, without making it."""
    if task.name in BOOLEAN_FUNCTIONS:
        return 2 ** task.n, task.n, 1
    if task.name == "product":
        if task.sampling == "grid":
            # As tasks.continuous.sample: ⌈points^(1/n)⌉ values per axis.
            return int(math.ceil(task.points ** (1.0 / task.n))) ** task.n, task.n, 1
        return task.points, task.n, 1
    return task.points, 1, 1


def estimate_memory(cfg):
    """Peak bytes per part: dict with parameters, layers, orders, curves, total; and the shapes used."""
    t, m, tr = cfg.task, cfg.model, cfg.trainer
    rows, n_in, n_out = task_shape(t)
    widths = list(m.widths) if m.widths is not None else [m.width] * m.depth
    if cfg.search.kind in ("min_width", "converged_width"):
        widths = [cfg.search.max_width] * max(m.depth, 1)   # the widest probe
    sizes = (n_in, *widths, n_out)
    itemsize = 8 if m.dtype == "float64" else 4
    per_member = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    P = max([tr.restarts, *cfg.search.get("budget_restarts", [])])
    epochs = tr.max_epochs
    tuned = tuning_size(cfg)
    if tuned is not None:
        P, epochs = max(P, tuned[0]), max(epochs, tuned[1])
    settings = SGDSettings(batch_size=tr.batch_size, chunk_size=tr.chunk_size, threads=tr.threads)
    chunk = min(chunk_size_for(settings, P, rows), P)
    busy = min(tr.threads, math.ceil(P / chunk))     # chunks in flight at once
    block = block_for(chunk, rows, sum(sizes[1:]), itemsize)
    copies = CHUNK_COPIES + (tr.momentum > 0)
    if tr.batch_size == 1:
        copies += PER_EXAMPLE_COPIES + (tr.momentum > 0)
    in_flight = POPULATION_COPIES * P + copies * busy * chunk
    parts = {
        "parameters": in_flight * per_member * itemsize,
        "layers": busy * ARRAYS_PER_LAYER * block * rows * sum(sizes[1:]) * itemsize,
        "orders": 0,
        "curves": CURVE_COPIES * P * (epochs // tr.record_every + 2) * 8,
        "record": P * RECORD_BYTES,
        "data": DATA_BYTES * rows * (n_in + n_out),
        "diagnose": 0,
    }
    diagnose = cfg.get("diagnose") if hasattr(cfg, "get") else None
    if diagnose is not None and diagnose.get("enabled"):
        copies = min(2 * per_member, DIAGNOSE_COPIES)   # members shifted up and down per call
        parts["diagnose"] = 8 * (HESSIAN_COPIES * per_member ** 2 + 2 * copies * per_member
                                 + ARRAYS_PER_LAYER * copies * rows * sum(sizes[1:]))
    if 0 < tr.batch_size < rows:
        per_draw = max(1, min(16, ORDER_KEYS_MAX // (chunk * rows)))
        parts["orders"] = busy * chunk * per_draw * rows * ORDER_BYTES
    parts["total"] = sum(parts.values())
    shapes = {"rows": rows, "sizes": sizes, "chunk": chunk, "block": block, "threads": busy,
              "members": P, "epochs": epochs, "tuning": tuned is not None and tuned[0] >= P}
    return parts, shapes


def tuning_size(cfg):
    """(members, epochs) of the tuning protocol's largest probe, or None when it is off."""
    tune = cfg.get("tune") if hasattr(cfg, "get") else None
    if tune is None or not tune.get("enabled"):
        return None
    from expressivity.job.tuning import halving_schedule
    candidates = math.prod(len(g) for g in tune.grids) if len(tune.grids) else 1
    epochs = tune.max_epochs or cfg.trainer.max_epochs
    rounds = halving_schedule(max(candidates, 1), max(tune.eta, 2), tune.restarts, epochs,
                              tune.resource)
    return max(r.members for r in rounds), max(r.epochs for r in rounds)


def memory_problem(cfg):
    """None if the job fits ``trainer.memory_budget_gb``, else the message to stop it with."""
    parts, shapes = estimate_memory(cfg)
    budget = cfg.trainer.memory_budget_gb
    if parts["total"] <= budget * GIB:
        return None
    biggest = max(CAUSES, key=lambda part: parts[part])
    detail = f"{parts[biggest] / GIB:.1f} GiB of it for " + CAUSES[biggest][0].format(
        threads=shapes["threads"], block=shapes["block"], rows=shapes["rows"],
        units=sum(shapes["sizes"][1:]), sizes=list(shapes["sizes"]), cfg=cfg,
        members=shapes["members"], epochs=shapes["epochs"])
    lower = CAUSES[biggest][1]
    if shapes["tuning"] and biggest in ("parameters", "curves", "record"):
        detail += ", the tuning protocol's largest round"
        lower = "tune.restarts, tune.max_epochs or tune.eta"
    return (f"this job needs about {parts['total'] / GIB:.1f} GiB ({detail}), over "
            f"trainer.memory_budget_gb={budget}; allowed: at most the budget. "
            f"Lower {lower}, or raise trainer.memory_budget_gb")


FILE_MARGIN_BYTES = 1 << 20   # Hydra's own files, the job log


def file_size_problem(cfg):
    """The message when this process's file-size limit (``ulimit -f``) is below the size of
    the record the job would write (at most the estimate's ``record`` part), else None."""
    try:
        import resource
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    except (ImportError, OSError, ValueError):
        return None
    if limit == resource.RLIM_INFINITY:
        return None
    needed = estimate_memory(cfg)[0]["record"] + FILE_MARGIN_BYTES
    if needed <= limit:
        return None
    return (f"the file-size limit (ulimit -f) of {limit} bytes is not allowed for this job; "
            f"allowed: at least {needed} bytes (its record and Hydra's files), or no limit")


# For the largest part of the estimate: what it is, and which keys make it smaller.
CAUSES = {
    "parameters": ("the parameters of {members} restarts x sizes {sizes}",
                   "trainer.restarts, model.width or model.depth"),
    "layers": ("layer values of {threads} thread(s) x {block} members x {rows} rows x {units} units",
               "task.n (rows), model.width/model.depth (units) or trainer.threads"),
    "orders": ("data orders of {threads} thread(s) x {rows} rows (minibatch SGD)",
               "task.n or task.points (rows), or trainer.chunk_size"),
    "curves": ("loss curves of {members} restarts x "
               "{epochs} / {cfg.trainer.record_every} points",
               "trainer.max_epochs or trainer.restarts (or raise trainer.record_every)"),
    "record": ("the record of {members} restarts' outcomes",
               "trainer.restarts"),
    "data": ("the task's {rows} rows", "task.n or task.points"),
    "diagnose": ("the Hessian and perturbed copies of one member of sizes {sizes}",
                 "model.width or model.depth, or set diagnose.enabled=false"),
}
