"""Tuning protocol: pick a step size (or init scale) per job, on tuning seeds, by a rule set in advance.

Usage (any sweep, any claim)::

    python -m expressivity -m +experiment=restarts tune.enabled=true \\
        'tune.params=[trainer.lr]' 'tune.grids=[[0.1,0.3,1,3,10]]'

or in an experiment file::

    tune:
      enabled: true
      params: [trainer.lr]               # any of TUNABLE; several -> their product grid
      grids: [[0.1, 0.3, 1.0, 3.0, 10.0]]  # one pre-registered log grid per param
      criterion: success                 # success rate, ties by median final loss; or `loss`
      restarts: 8                        # tuning members per candidate in the first round
      eta: 3                             # successive halving: keep the best 1/eta each round
      resource: restarts                 # what a surviving candidate gets eta x more of
      seed_offset: 1000003               # tuning members' spawn key: disjoint from evaluation

Within one job (``runner.compute_record``): every candidate value is trained
on tuning members, successive halving (Jamieson & Talwalkar 2016) drops all
but the best ``ceil(k/eta)`` of k candidates per round and gives survivors
``eta`` times the resource (``restarts``: eta x more tuning members, all at the
full epoch budget, the earlier members reused; ``epochs``: the same members
retrained with eta x more epochs, the last round at the full budget), until
one is left. The evaluation population (``trainer.restarts`` members, the
usual seeds) is then trained at the chosen value. The record keeps
``record["tuning"]``: the chosen values, every round's numbers and the
member-epochs spent. Every job with the same ``tune`` block gets the same
schedule, so every arm of a comparison has the same tuning budget.

Tuning members' generators come from ``SeedSequence(seed, spawn_key=(seed_offset, j))``;
evaluation members are ``SeedSequence(seed).spawn(P)`` (spawn keys ``(i,)``), so
the two never share a stream, whatever P.

A member succeeds if it fits the truth table exactly (boolean tasks) or ends
with loss <= ``trainer.tol`` (continuous tasks with ``tol > 0``).
"""
import copy
import math
from dataclasses import dataclass

import numpy as np
from omegaconf import OmegaConf

TUNABLE = ("trainer.lr", "model.init_scale")
CRITERIA = ("success", "loss")
RESOURCES = ("restarts", "epochs")


@dataclass(frozen=True)
class Round:
    """One round of successive halving: how many candidates enter, how many survive,
    and what each entering candidate gets (total tuning members, epochs)."""
    entering: int
    kept: int
    members: int
    epochs: int


def halving_schedule(candidates, eta, restarts, max_epochs, resource):
    """The rounds of successive halving for ``candidates`` values; the last round keeps 1.

    With ``resource="restarts"`` round r gives each survivor ``restarts * eta**r``
    members at ``max_epochs``; with ``"epochs"`` ``restarts`` members at
    ``max_epochs / eta**(R-1-r)`` epochs (at least 1), R the number of rounds.
    """
    if candidates < 1 or eta < 2:
        raise ValueError(f"halving_schedule: candidates={candidates} must be >= 1 and eta={eta} >= 2")
    counts = [candidates]
    while counts[-1] > 1:
        counts.append(math.ceil(counts[-1] / eta))
    n_rounds = max(1, len(counts) - 1)
    rounds = []
    for r in range(n_rounds):
        entering = counts[r]
        kept = counts[r + 1] if r + 1 < len(counts) else 1
        if resource == "restarts":
            members, epochs = restarts * eta ** r, max_epochs
        else:
            members, epochs = restarts, max(1, round(max_epochs / eta ** (n_rounds - 1 - r)))
        rounds.append(Round(entering, kept, members, epochs))
    return rounds


def candidate_values(params, grids):
    """All combinations of the grids, in grid order: a list of {param: value} dicts."""
    mesh = np.meshgrid(*[np.asarray(g, float) for g in grids], indexing="ij")
    flat = [m.ravel() for m in mesh]
    return [{p: float(col[i]) for p, col in zip(params, flat)} for i in range(flat[0].size)]


def tuning_generators(seed, seed_offset, start, stop):
    """Generators of tuning members start..stop-1 (disjoint from ``SeedSequence(seed).spawn``)."""
    return [np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(seed_offset, j)))
            for j in range(start, stop)]


def score(success, final_loss, criterion):
    """Sort key (smaller is better) of one candidate from its members' (success, final loss)."""
    loss = np.where(np.isfinite(final_loss), final_loss, np.inf)
    median = float(np.median(loss)) if loss.size else math.inf
    if criterion == "success":
        return (-float(np.mean(success)), median)
    return (median,)


def member_success(members, task, tol):
    """Per-member success from a probe's member arrays: exact fit, or loss <= tol."""
    if task.boolean:
        return np.asarray(members["fitted"], bool)
    final = np.asarray(members["final_loss"], float)
    return np.isfinite(final) & (final <= tol) if tol > 0 else np.zeros(final.shape, bool)


def with_values(cfg, values, **trainer):
    """A copy of ``cfg`` with the candidate's values and the given trainer keys set."""
    new = copy.deepcopy(cfg)
    for key, value in values.items():
        OmegaConf.update(new, key, value, merge=False)
    for key, value in trainer.items():
        OmegaConf.update(new, f"trainer.{key}", value, merge=False)
    return new


def tune(cfg, task, widths, train_probe):
    """Run the protocol of ``cfg.tune`` for one job; return (tuned cfg, tuning record).

    ``train_probe(cfg, task, widths, rngs)`` trains ``len(rngs)`` members and
    returns a probe record (``runner.train_probe``).
    """
    t = cfg.tune
    params = list(t.params)
    candidates = candidate_values(params, [list(g) for g in t.grids])
    max_epochs = int(t.max_epochs) if t.max_epochs else int(cfg.trainer.max_epochs)
    rounds = halving_schedule(len(candidates), t.eta, t.restarts, max_epochs, t.resource)
    kept = list(range(len(candidates)))
    stats = {i: (np.zeros(0, bool), np.zeros(0)) for i in kept}
    trace, spent = [], 0
    for number, rnd in enumerate(rounds):
        entries = []
        for i in kept:
            done = len(stats[i][0]) if t.resource == "restarts" else 0
            rngs = tuning_generators(cfg.seed, t.seed_offset, done, rnd.members)
            probe = train_probe(with_values(cfg, candidates[i], restarts=len(rngs),
                                            max_epochs=rnd.epochs), task, widths, rngs)
            spent += probe["member_epochs"]
            ok = member_success(probe["members"], task, cfg.trainer.tol)
            final = np.asarray(probe["members"]["final_loss"], float)
            if done:
                ok, final = np.concatenate([stats[i][0], ok]), np.concatenate([stats[i][1], final])
            stats[i] = (ok, final)
            entries.append((score(ok, final, t.criterion), i))
        ranked = [i for _, i in sorted(entries)]
        survivors = ranked[:rnd.kept]
        trace.append({"round": number, "members": rnd.members, "epochs": rnd.epochs,
                      "candidates": [_row(candidates[i], stats[i], i in survivors) for i in kept]})
        kept = survivors
    chosen = candidates[kept[0]]
    record = {"params": params, "grids": [list(map(float, g)) for g in t.grids],
              "criterion": t.criterion, "resource": t.resource, "eta": int(t.eta),
              "chosen": chosen, "rounds": trace, "member_epochs": int(spent)}
    return with_values(cfg, chosen), record


def _row(values, stat, survived):
    ok, final = stat
    loss = np.where(np.isfinite(final), final, np.inf)
    return {"values": values, "members": int(ok.size), "success_rate": float(ok.mean()),
            "median_loss": float(np.median(loss)), "kept": bool(survived)}


def validate_tune(t, fail):
    """Check a ``tune`` block; ``fail(key, value, allowed)`` raises. Nothing is checked when off."""
    if not t.enabled:
        return
    if not t.params:
        fail("tune.params", list(t.params), "a non-empty list of " + ", ".join(TUNABLE))
    for p in t.params:
        if p not in TUNABLE:
            fail("tune.params", p, "each one of " + ", ".join(TUNABLE))
    if len(t.grids) != len(t.params):
        fail("tune.grids", list(map(list, t.grids)), f"one grid per param ({len(t.params)})")
    from expressivity.job.consistency import MAX_INIT_SCALE
    for k, grid in enumerate(t.grids):
        if not grid or any(isinstance(v, bool) or not (isinstance(v, (int, float)) and v > 0
                                                       and math.isfinite(v)) for v in grid):
            fail(f"tune.grids[{k}]", list(grid), "a non-empty list of positive numbers")
        if t.params[k] == "model.init_scale" and max(grid) > MAX_INIT_SCALE:
            # the same cap as model.init_scale itself: larger weights overflow
            fail(f"tune.grids[{k}]", list(grid), f"positive numbers at most {MAX_INIT_SCALE:g} "
                 "for model.init_scale")
    if t.criterion not in CRITERIA:
        fail("tune.criterion", t.criterion, "one of " + ", ".join(CRITERIA))
    if t.resource not in RESOURCES:
        fail("tune.resource", t.resource, "one of " + ", ".join(RESOURCES))
    if isinstance(t.eta, bool) or not isinstance(t.eta, int) or not 2 <= t.eta < 2 ** 63:
        fail("tune.eta", t.eta, "an integer >= 2")
    if isinstance(t.restarts, bool) or not isinstance(t.restarts, int) or not 1 <= t.restarts < 2 ** 63:
        fail("tune.restarts", t.restarts, "a positive integer")
    if t.max_epochs is not None and (isinstance(t.max_epochs, bool) or not isinstance(t.max_epochs, int)
                                     or not 1 <= t.max_epochs < 2 ** 63):
        fail("tune.max_epochs", t.max_epochs, "null (trainer.max_epochs) or a positive integer")
    if not isinstance(t.seed_offset, int) or t.seed_offset < 0:
        fail("tune.seed_offset", t.seed_offset, "an integer >= 0")
