"""Which boolean functions a bias-free one-hidden-layer net can compute, by search.

``symmetry.bias_free_obstruction`` gives reasons why some functions are out
of reach without biases. This module tests that reasoning from the other
side: it runs many random bias-free nets (Gaussian weights at log-uniform
scales) on every input and records each function computed *with a margin*
(every output pre-activation at least ``margin`` from the read-out's
threshold, z = 0 for both the sigmoid and the tanh read-out). A function
found that way is representable (the net is a witness); a function with an
obstruction must never be found; a function with neither stays *unknown*.
"""
import numpy as np

from expressivity.nn import MLP
from expressivity.tasks import all_inputs
from expressivity.theory.symmetry import bias_free_obstruction
from expressivity.theory.tables import all_functions, table_codes

ENCODINGS = ("01", "pm1")
CHUNK = 1 << 14


def encoded_inputs(n, encoding):
    """All 2ⁿ inputs in counting order, 0/1 or ±1: (2ⁿ, n) float."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding={encoding!r}; allowed: {', '.join(ENCODINGS)}")
    X = all_inputs(n).astype(float)
    return X if encoding == "01" else 2 * X - 1


def reached_codes(activation, encoding, n, width, samples, rng, margin=1e-6, scales=(0.1, 10.0),
                  bias=False):
    """Sorted codes of the functions random nets (bias-free unless ``bias``) compute with a
    margin: (K,) int64."""
    if samples < 1 or width < 1:
        raise ValueError(f"samples={samples!r}, width={width!r}; allowed: integers >= 1")
    X = encoded_inputs(n, encoding)
    found = []
    for start in range(0, samples, CHUNK):
        P = min(CHUNK, samples - start)
        scale = np.exp(rng.uniform(np.log(scales[0]), np.log(scales[1]), size=(P, 1, 1)))
        W = rng.normal(size=(P, n, width)) * scale
        v = rng.normal(size=(P, width, 1)) * scale
        biases = [rng.normal(size=(P, width)) * scale[:, 0], rng.normal(size=(P, 1)) * scale[:, 0]] \
            if bias else None
        z = MLP([W, v], biases, [activation, "identity"]).forward(X)[:, :, 0]   # (P, 2ⁿ)
        clear = (np.abs(z) >= margin).all(axis=1)
        found.append(np.unique(table_codes((z[clear] > 0).astype(np.int8))))
    return np.unique(np.concatenate(found))


def classify(activation, encoding, n, width=8, samples=1 << 16, seed=0, margin=1e-6):
    """Every function of n bits as 'impossible' (with its reason), 'reached' or 'unknown'.

    Returns a dict: ``status`` (2^(2ⁿ),) of str, ``reason`` (list of str or None),
    ``contradictions`` (codes both reached and forbidden: must be empty).
    """
    X = encoded_inputs(n, encoding)
    tables = all_functions(n)
    targets = tables if encoding == "01" else 2 * tables - 1
    reasons = [bias_free_obstruction(activation, encoding, X, y, ties_fit=False) for y in targets]
    reached = np.zeros(len(tables), bool)
    reached[reached_codes(activation, encoding, n, width, samples, np.random.default_rng(seed), margin)] = True
    forbidden = np.array([r is not None for r in reasons])
    status = np.where(forbidden, "impossible", np.where(reached, "reached", "unknown"))
    return {"status": status, "reason": reasons,
            "contradictions": np.flatnonzero(forbidden & reached).tolist()}
