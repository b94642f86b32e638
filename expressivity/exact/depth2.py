"""Exact minimal size of two hidden layers of step units with a step output, by SAT.

Widths (k₁, k₂): layer-1 units hᵢ are threshold functions of the n inputs,
layer-2 units uⱼ threshold functions of the k₁ bits h(x), the output g a
positive threshold function of k₂ bits that uses them all (negating a layer-2
unit flips its bit; permuting them permutes g's bits; a minimal net uses all of
them). Variables: s₁[i, t] (unit i of layer 1 is threshold function t of n bits),
y₁[i, x] (its bit on input x), s₂[j, t] (unit j of layer 2 is threshold function t
of k₁ bits), y₂[j, x]. Clauses: s₁[i, t] → y₁[i, x] = t(x); s₂[j, t] ∧ (y₁[·, x] = p)
→ y₂[j, x] = t(p) for each of the 2^k₁ patterns p; the output as in
``min_width`` on y₂. The target enters as assumptions. The smallest k₁ + k₂
(then the smallest k₁) with a solution is the answer; every answer is rebuilt as an
``MLP`` (``depth2_network``) so it is checked by running it.
"""
import numpy as np
from pysat.solvers import Solver

from expressivity.exact.min_width import SOLVER, _points
from expressivity.exact.threshold_functions import output_functions, threshold_functions
from expressivity.exact.witness import weights_of
from expressivity.nn import MLP


class Depth2Problem:
    """SAT instance: can widths (k1, k2) with output g compute a given n-bit function?"""

    def __init__(self, n, k1, k2, g):
        self.n, self.k1, self.k2, self.rows = n, k1, k2, 2 ** n
        self.first, self.second = threshold_functions(n), threshold_functions(k1)
        T1, T2 = len(self.first), len(self.second)
        counter = iter(range(1, 10 ** 9))
        self.s1 = {(i, t): next(counter) for i in range(k1) for t in range(T1)}
        self.y1 = {(i, x): next(counter) for i in range(k1) for x in range(self.rows)}
        self.s2 = {(j, t): next(counter) for j in range(k2) for t in range(T2)}
        self.y2 = {(j, x): next(counter) for j in range(k2) for x in range(self.rows)}
        self.a = {x: next(counter) for x in range(self.rows)}
        solver = self.solver = Solver(name=SOLVER)
        bits1 = (self.first[:, None] >> np.arange(self.rows)) & 1
        bits2 = (self.second[:, None] >> np.arange(2 ** k1)) & 1
        for i in range(k1):
            solver.add_clause([self.s1[i, t] for t in range(T1)])
            for t in range(T1):
                for x in range(self.rows):
                    solver.add_clause([-self.s1[i, t], self.y1[i, x] if bits1[t, x] else -self.y1[i, x]])
        patterns = [[(p >> (k1 - 1 - i)) & 1 for i in range(k1)] for p in range(2 ** k1)]
        for j in range(k2):
            solver.add_clause([self.s2[j, t] for t in range(T2)])
            for t in range(T2):
                for x in range(self.rows):
                    for p, bits in enumerate(patterns):
                        differ = [-self.y1[i, x] if b else self.y1[i, x] for i, b in enumerate(bits)]
                        solver.add_clause([-self.s2[j, t]] + differ
                                          + [self.y2[j, x] if bits2[t, p] else -self.y2[j, x]])
        minimal, maximal = _points(g, k2)
        for x in range(self.rows):
            for F in maximal:
                solver.add_clause([-self.a[x]] + [self.y2[j, x] for j in range(k2) if j not in F])
            for m in minimal:
                solver.add_clause([self.a[x]] + [-self.y2[j, x] for j in m])

    def solve(self, code):
        """(layer-1 codes (k1,), layer-2 codes (k2,)) computing ``code``, or None."""
        assumptions = [self.a[x] if (code >> x) & 1 else -self.a[x] for x in range(self.rows)]
        if not self.solver.solve(assumptions=assumptions):
            return None
        model = set(v for v in self.solver.get_model() if v > 0)
        pick = lambda s, k, table: np.array([table[next(t for t in range(len(table)) if s[i, t] in model)]
                                             for i in range(k)])
        return pick(self.s1, self.k1, self.first), pick(self.s2, self.k2, self.second)

    def close(self):
        self.solver.delete()


def depth2_network(n, first, second, g):
    """MLP (n, k1, k2, 1) of step units from a witness: layer codes ``first``, ``second``, output ``g``."""
    layers, fan_in = [], n
    for codes in (first, second):
        W, b = np.zeros((fan_in, len(codes))), np.zeros(len(codes))
        for i, code in enumerate(codes):
            W[:, i], theta = weights_of(int(code), fan_in, span=3)
            b[i] = -theta
        layers.append((W, b))
        fan_in = len(codes)
    v, theta = weights_of(int(g), fan_in, span=fan_in)
    weights = [W[None] for W, _ in layers] + [v[None, :, None]]
    biases = [b[None] for _, b in layers] + [np.array([[-theta]])]
    return MLP(weights, biases, ["step"] * 3)


def minimal_depth2(n, code, max_units=8):
    """(k1, k2, witness) of the smallest two-hidden-layer step net computing ``code``: fewest
    units k1 + k2, then fewest in layer 1. Raises if nothing up to ``max_units`` fits."""
    if not 0 <= int(code) < 2 ** 2 ** n:
        raise ValueError(f"code={code} is not a function of n={n} bits; allowed: 0..{2 ** 2 ** n - 1}")
    for total in range(2, max_units + 1):
        for k1 in range(1, total):
            k2 = total - k1
            for g in output_functions(k2):
                problem = Depth2Problem(n, k1, k2, g)
                found = problem.solve(int(code))
                problem.close()
                if found is not None:
                    return k1, k2, (found[0], found[1], g)
    raise ValueError(f"max_units={max_units} leaves code {code} unsolved; allowed: a larger max_units")
