"""bias's existence search as a job: every boolean function of n bits, per (encoding, activation),
forbidden without biases by a symmetry (a proof), reached by a random net (a witness), or unknown."""
import numpy as np

from expressivity.theory.bias_reach import classify, encoded_inputs, reached_codes
from expressivity.theory.symmetry import bias_free_obstruction
from expressivity.theory.tables import all_functions


def search(encodings, activations, ns, samples, width, seed, margin):
    """Per (encoding, activation, n): ``classify``'s result (bias-free) and ``with_bias``, the
    sorted codes random nets with biases compute with a margin: {key: dict}."""
    out = {}
    for encoding in encodings:
        for activation in activations:
            for n in ns:
                found = classify(activation, encoding, int(n), width=width, samples=samples, seed=seed,
                                 margin=margin)
                rng = np.random.default_rng([seed, int(n), 1])
                found["with_bias"] = reached_codes(activation, encoding, int(n), width, samples, rng,
                                                   margin=margin, bias=True)
                out[(encoding, activation, int(n))] = found
    return out


def tie_reasons(activation, encoding, n):
    """Per function code of n bits: the symmetry obstruction when an output exactly on the
    threshold counts as class 0 (the convention of the fit flag), or None: list of 2^(2ⁿ)."""
    X = encoded_inputs(n, encoding)
    tables = all_functions(n)
    targets = tables if encoding == "01" else 2 * tables - 1
    return [bias_free_obstruction(activation, encoding, X, y, ties_fit=True) for y in targets]


def reach_rows(encodings, activations, ns, samples, width, seed, margin):
    """One row per (encoding, activation, n, code) over every function of n bits: ``status``
    without biases ('impossible', 'reached', 'unknown'), its ``reason`` (ties are not fits),
    ``reason_ties_fit`` (ties count as class 0), ``with_bias`` (a random biased net computes it)
    and ``contradiction`` (both forbidden and reached: must never happen). ``samples`` random
    nets of ``width`` units, ``seed``, output margin ``margin``; see ``theory.bias_reach``."""
    rows = []
    for (encoding, activation, n), found in search(encodings, activations, ns, samples, width, seed,
                                                   margin).items():
        with_bias = set(int(c) for c in found["with_bias"])
        clash = set(found["contradictions"])
        for code, (status, reason, tie) in enumerate(zip(found["status"], found["reason"],
                                                        tie_reasons(activation, encoding, n))):
            rows.append({"encoding": encoding, "activation": activation, "n": n, "code": code,
                         "status": str(status), "reason": reason, "reason_ties_fit": tie,
                         "with_bias": code in with_bias, "contradiction": code in clash})
    return rows
