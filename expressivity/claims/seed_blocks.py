"""Evaluation seed blocks and when each was first run (issue 19): the ledger ``confirmation`` reads.

A verdict is confirmatory only if its rule version was registered (claim file: ``registered``,
rule_history: ``registered``) before the first run of the data it decides on; otherwise it is
exploratory.

A training job's block is its seed // 1000 (``storage.records.SEED_BLOCK_SIZE``): every job run
so far used seeds 0..999, so block 0. Construction jobs and the exact computations claims make in
their analysis have no evaluation seed: block ``construction``. The first run of a claim's data
is the earliest first run, over the claim's sweeps, of the block: ``first_run``, or the sweep's
own date under ``sweeps`` where it is known to be later.

"First run" counts any profile: where a quick grid uses the same seeds as the full grid, the
quick members are the first members of the full profile's (``SeedSequence(seed).spawn``), so a
quick pilot has seen the block. Since block 1 (2026-12-04) the full grids evaluate on seeds 1000..
(``grids.full.eval_seed``, or the seeds they sweep) and most quick grids stay on block 0. A sweep that reused
a name or the seeds of an earlier one counts from the earlier one's first run, whatever its
settings. A block must be declared here, with date and commit, BEFORE any of its jobs runs; a
block that is not declared gives exploratory verdicts only. Times are UTC, 'YYYY-MM-DD HH:MM'.
"""

# The four central claims' sweeps: pre-registered at 2e6c715 (2026-11-22 10:58), run after it.
_CENTRAL = {   # sweep names (not claim ids, though some coincide): first run
    "activation": "2026-11-22 10:59", "activation_continuous": "2026-11-22 10:59",
    "depth_vs_width": "2026-11-22 10:59", "depth_vs_width_random": "2026-11-22 10:59",
    "loss": "2026-11-22 10:59", "loss_boolean": "2026-11-22 10:59",
    "loss_regression": "2026-11-22 10:59", "restarts": "2026-11-22 10:59",
    "restarts_random": "2026-11-22 10:59"}
# Sweeps created later: the commit that added the experiment file, the earliest it can have run.
_LATER = {
    "loss_settle": "2026-11-29 12:04",            # 886f427
    "product_train": "2026-11-29 12:12",          # 88138f1
    "restarts_teacher": "2026-11-29 12:15",       # 1eb3b04
    "depth_vs_width_large": "2026-11-29 12:26",   # 9d871f4
    "depth_vs_width_shapes": "2026-11-29 12:26",  # 9d871f4
    "restarts_ladder": "2026-12-03 12:11",        # d461096
    "product_train_ladder": "2026-12-03 12:13",   # 0ac8cfb
    # Issue 20's sweeps: first run as quick pilots with seed 0 (block 0) on branch depth,
    # 2026-12-04; their registered full grids use seed block 1 (seeds 1000..), not yet run.
    "depth_constructions": "2026-12-04 19:52",
    "depth_by_depth_tuning": "2026-12-04 20:03",
    "depth_by_depth": "2026-12-04 20:03",
    "depth_by_depth_random": "2026-12-04 20:05",
    "depth_product": "2026-12-04 20:05",
}

# Block 0 and the constructions first ran together: right after d57899b (2026-11-22 10:44), and
# per sweep as above.
_FIRST = {"first_run": "2026-11-22 10:45", "commit": "d57899b", "sweeps": {**_CENTRAL, **_LATER}}

BLOCKS = {
    "0": {**_FIRST,
          "note": "The theory claims were pre-registered at d57899b (2026-11-22 10:44, 'written "
                  "before any sweep ran'); linear's amendment at 10:50 (ab7c5b3) was already "
                  "'after the first run'. The four central claims' sweeps were pre-registered at "
                  "2e6c715 (10:58, 'written before any sweep ran', pilots on held-out tasks only) "
                  "and first ran after it. Every sweep since (the issue-10 sweeps of 2026-11-29 "
                  "and their quick pilots, the ladders of 2026-12-03) reused seeds 0..999, so "
                  "their data is block 0."},
    "construction": {**_FIRST,
                     "note": "Constructions and exact counts were computed by the first runs (in "
                             "the claims' analysis; as construction jobs since 2026-12-03, "
                             "8c61e88: the same computations). The central claims' exact numbers "
                             "(depth_vs_width's counting bounds) first ran with their sweeps."},
}

# Block 1 (seeds 1000..1999): declared 2026-12-04 21:45 in the commit after 5e893e4, BEFORE the full run that first trains
# its non-depth sweeps. Every full grid evaluates on it (conf/config.yaml: seed =
# grids.<profile>.eval_seed; sweeps that sweep seeds list 1000, 1001, ...). Issue 20's depth sweeps
# use block-1 seeds in their quick grids too, first run at 28bc511 (2026-12-04 20:29, quick).
_DEPTH_BLOCK1 = {name: "2026-12-04 20:29" for name in (
    "depth_by_depth", "depth_by_depth_random", "depth_by_depth_tuning", "depth_product")}
BLOCKS["1"] = {
    "first_run": "2026-12-04 21:45", "commit": "5e893e4",
    "sweeps": _DEPTH_BLOCK1,
    "note": "A fresh block so that rules changed after block 0 was seen (restarts, activation, "
            "loss, depth_vs_width v3/v4 among them) are decided by data first run after they "
            "were registered. Declared before the full run of 2026-12-04; the depth sweeps' "
            "quick grids had already run on it (20:29), after rule v4's registration (20:17)."}
