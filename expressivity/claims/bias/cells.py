"""bias, the two questions apart: which functions a bias-free net cannot compute at all, and
where (it can, but) training without biases does worse.

Existence is settled per (activation, encoding) over EVERY boolean function of
the sweep's n: a function is *impossible* without biases when a symmetry of the
bias-free net forbids it (``theory.symmetry``, ties not counted as fits),
*reachable* when a witness exists (a random bias-free net from
``theory.bias_reach`` or a trained bias-free restart fitting it with a margin),
else *unknown*. The same search with biases shows what the biased net reaches.
The proofs and the random search run as a construction job (``bias_reach``,
``constructions/bias.py``); this module reads its rows (``found_from_rows``).
A function both forbidden and witnessed is a contradiction: the reasoning or
the code is wrong.

Training compares fit rates with and without biases, each at its own tuned step,
only in cells (encoding, activation, function) where the bias-free net is
reachable: there any gap is about learning, not representation.
"""
import numpy as np
import pandas as pd

from expressivity.tasks import make_task
from expressivity.theory.tables import table_codes
from expressivity.claims.constructed import construction_frame
from expressivity.claims.stats import wilson_interval

COMBO = ["task.encoding", "model.activation"]


def found_from_rows(reach, keys):
    """Per (encoding, activation, n) in ``keys``: the search of the ``bias_reach`` rows ``reach``
    as {key: {status (2^(2ⁿ),) str, reason (list of str or None), contradictions (codes),
    with_bias (codes)}}. Raises ValueError naming a key the record did not search."""
    out = {}
    for encoding, activation, n in keys:
        part = reach[(reach["encoding"] == encoding) & (reach["activation"] == activation)
                     & (reach["n"] == n)].sort_values("code")
        if list(part["code"]) != list(range(2 ** 2 ** n)):
            raise ValueError(f"bias: the bias_reach record has no search for encoding={encoding!r}, "
                             f"activation={activation!r}, n={n}; re-run its sweep with the bias sweep's grid")
        out[(encoding, activation, n)] = {
            "status": np.array(part["status"].tolist()), "reason": [_text(r) for r in part["reason"]],
            "contradictions": part.loc[part["contradiction"].astype(bool), "code"].tolist(),
            "with_bias": part.loc[part["with_bias"].astype(bool), "code"].to_numpy()}
    return out


def reach_rows(tables, rule):
    """The ``bias_reach`` record's rows, made with the rule's search numbers: DataFrame."""
    return construction_frame(tables, "bias_reach", {
        "samples": rule.search_samples, "width": rule.search_width, "seed": rule.search_seed,
        "margin": rule.tie_margin})


def obstruction(reasons, encoding, activation, name, n, ties_fit):
    """Why no bias-free net of this activation fits this function, or None, from ``reasons``
    (``cell_reasons`` of the record)."""
    free, tie = reasons[(encoding, activation, int(n), function_code(name, n, encoding))]
    return tie if ties_fit else free


def cell_reasons(reach):
    """{(encoding, activation, n, code): (obstruction, obstruction with ties as fits)} of the rows."""
    return {(r.encoding, r.activation, int(r.n), int(r.code)): (_text(r.reason), _text(r.reason_ties_fit))
            for r in reach.itertuples()}


def _text(value):
    """A reason read back from a record: the string, or None (JSON null, or missing)."""
    return value if isinstance(value, str) else None


def function_code(name, n, encoding):
    """Integer code of a task's truth table (bit i = output on row i is the positive class)."""
    task = make_task(name, n=int(n), encoding=encoding)
    return int(table_codes((task.Y[:, :1].T > task.threshold).astype(np.int8))[0])


def trained_witnesses(members, bias=False):
    """{(encoding, activation, n): set of codes} fitted with a margin by a restart without
    (``bias=False``) or with biases."""
    free = members[(members["model.bias"].astype(bool) == bias) & members["fit"].astype(bool)]
    out = {}
    for (enc, act, name, n), _ in free.groupby(COMBO + ["task.name", "task.n"]):
        out.setdefault((enc, act, int(n)), set()).add(function_code(name, n, enc))
    return out


def existence_table(found, witnesses, biased_witnesses=None):
    """One row per (encoding, activation, n): functions lost without biases, reachable, unknown.

    ``witnesses`` / ``biased_witnesses``: trained fits without / with biases (trained_witnesses)."""
    biased_witnesses = biased_witnesses or {}
    rows = []
    for (enc, act, n), f in found.items():
        status = f["status"].copy()
        trained = sorted(witnesses.get((enc, act, n), set()))
        contradictions = set(f["contradictions"]) | {c for c in trained if status[c] == "impossible"}
        status[[c for c in trained if status[c] == "unknown"]] = "reached"
        with_bias = np.zeros(len(status), bool)
        with_bias[f["with_bias"]] = True
        with_bias[sorted(biased_witnesses.get((enc, act, n), set()))] = True
        lost = (status == "impossible") & with_bias
        rows.append({"encoding": enc, "activation": act, "n": n, "functions": len(status),
                     "with_bias_reached": int(with_bias.sum()),
                     "lost_without_bias": int(lost.sum()),
                     "reached_without_bias": int((status == "reached").sum()),
                     "unknown": int((status == "unknown").sum()),
                     "contradictions": len(contradictions),
                     "reasons": "; ".join(sorted({r for r, s in zip(f["reason"], status) if s == "impossible"
                                                  and r is not None}))})
    return pd.DataFrame(rows)


def decide_exists(table, unknown_open=False):
    """supported: every (encoding, activation) loses some function the biased net reaches;
    refuted: none does; mixed: some; inconclusive: a contradiction (or no search).
    ``unknown_open`` (rule v4, issue 19): an (encoding, activation) with no proved loss but
    functions the search left unknown is undecided (one of them may be lost), so a verdict
    other than supported that rests on it is inconclusive."""
    if table.empty or table["contradictions"].sum() > 0:
        return "inconclusive"
    by = table.groupby(["encoding", "activation"])
    loses = by["lost_without_bias"].sum() > 0
    if loses.all():
        return "supported"
    if unknown_open and ((by["unknown"].sum() > 0) & ~loses).any():
        return "inconclusive"
    return "refuted" if not loses.any() else "mixed"


def training_table(members, reachable, half_epoch):
    """Per cell: fit rates with (1) and without (0) biases, Wilson intervals, at the full budget
    and at ``half_epoch`` (from each restart's fit epoch); ``reachable`` bias-free or not."""
    rows = []
    for key, g in members.groupby(COMBO + ["task.name", "task.n"]):
        enc, act, name, n = key
        row = {"encoding": enc, "activation": act, "function": f"{name}{n}",
               "reachable": function_code(name, n, enc) in reachable.get((enc, act, int(n)), set())}
        for bias, tag in ((True, "1"), (False, "0")):
            part = g[g["model.bias"].astype(bool) == bias]
            fits = part["fit"].astype(bool)
            early = fits & (part["fit_epoch"].to_numpy() <= half_epoch)
            low, high = wilson_interval(int(fits.sum()), len(part))
            elow, ehigh = wilson_interval(int(early.sum()), len(part))
            row.update({f"p{tag}": float(fits.mean()) if len(part) else np.nan, f"low{tag}": float(low),
                        f"high{tag}": float(high), f"half_low{tag}": float(elow), f"half_high{tag}": float(ehigh),
                        f"restarts{tag}": len(part)})
        row["outcome"] = _outcome(row["low1"], row["high1"], row["low0"], row["high0"])
        row["outcome_half_budget"] = _outcome(row["half_low1"], row["half_high1"], row["half_low0"],
                                              row["half_high0"])
        rows.append(row)
    return pd.DataFrame(rows)


def _outcome(low1, high1, low0, high0):
    return "bias better" if low1 > high0 else "bias worse" if high1 < low0 else "tie"


def reachable_codes(found, witnesses):
    """{(encoding, activation, n): codes a bias-free net is known to compute}."""
    out = {}
    for key, f in found.items():
        codes = set(np.flatnonzero(f["status"] == "reached").tolist()) | witnesses.get(key, set())
        out[key] = codes
    return out


def decide_training(cells, column="outcome"):
    """Over cells reachable without biases: supported if bias is better in some and worse in none;
    refuted if better in none; mixed if better in some and worse in others; inconclusive without
    reachable cells."""
    reach = cells[cells["reachable"]]
    if reach.empty:
        return "inconclusive"
    better, worse = (reach[column] == "bias better").any(), (reach[column] == "bias worse").any()
    if not better:
        return "refuted"
    return "mixed" if worse else "supported"
