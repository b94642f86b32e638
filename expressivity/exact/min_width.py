"""Exact minimal width of one hidden layer of step units with a step output, by SAT.

A net with k hidden step units and a step output computes
f(x) = g(h₁(x), …, h_k(x)) with every hᵢ a threshold function of x and g a
threshold function of k bits. Negating a hidden unit flips its bit, so g may
be taken positive; permuting units permutes g's bits; at the minimal k, g uses
all k bits (else k − 1 units would do). So f needs width k iff, for some g of
``threshold_functions.output_functions(k)``, the hᵢ can be chosen from the T
threshold functions of n bits to make g(h(x)) = f(x) on every input.

CNF per (k, g): selection variables s[i, t] (unit i computes threshold function
t; at least one per unit) and bit variables y[i, x] (unit i's output on x),
with s[i, t] → y[i, x] = t(x). With the target as assumption literals a[x]:
a[x] → g(y[·, x]) = 1 (for each maximal false point F of g, some y[i, x] with
i ∉ F is on) and ¬a[x] → g(y[·, x]) = 0 (for each minimal true point m of g,
some y[i, x] with i ∈ m is off). One solver per (n, k, g) serves every target.
Solver: CaDiCaL through python-sat.
"""
import numpy as np
from pysat.solvers import Solver

from expressivity.exact.threshold_functions import output_functions, threshold_functions

SOLVER = "cadical153"


def _points(code, k):
    """(minimal true points, maximal false points) of the positive function ``code`` of k bits,
    each a list of sets of unit indices (bit i of a row is unit i, most significant first)."""
    rows = range(2 ** k)
    units = lambda r: {i for i in range(k) if (r >> (k - 1 - i)) & 1}
    true = [units(r) for r in rows if (code >> r) & 1]
    false = [units(r) for r in rows if not (code >> r) & 1]
    minimal = [s for s in true if not any(o < s for o in true)]
    maximal = [s for s in false if not any(s < o for o in false)]
    return minimal, maximal


class WidthProblem:
    """SAT instance: can k step units with output g compute a given n-bit function?"""

    def __init__(self, n, k, g, hidden=None):
        self.n, self.k, self.g, self.rows = n, k, g, 2 ** n
        self.hidden = threshold_functions(n) if hidden is None else hidden
        T = len(self.hidden)
        self.bits = (self.hidden[:, None] >> np.arange(self.rows)) & 1     # (T, 2ⁿ)
        s = lambda i, t: 1 + i * T + t
        self.y = lambda i, x: 1 + k * T + i * self.rows + x
        self.a = lambda x: 1 + k * T + k * self.rows + x
        self.s = s
        self.solver = Solver(name=SOLVER)
        for i in range(k):
            self.solver.add_clause([s(i, t) for t in range(T)])
            for t in range(T):
                for x in range(self.rows):
                    self.solver.add_clause([-s(i, t), self.y(i, x) if self.bits[t, x] else -self.y(i, x)])
        minimal, maximal = _points(g, k)
        for x in range(self.rows):
            for F in maximal:
                self.solver.add_clause([-self.a(x)] + [self.y(i, x) for i in range(k) if i not in F])
            for m in minimal:
                self.solver.add_clause([self.a(x)] + [-self.y(i, x) for i in m])

    def solve(self, code):
        """The hidden units' codes (k,) computing the function ``code`` with output g, or None."""
        assumptions = [self.a(x) if (code >> x) & 1 else -self.a(x) for x in range(self.rows)]
        if not self.solver.solve(assumptions=assumptions):
            return None
        model = set(v for v in self.solver.get_model() if v > 0)
        T = len(self.hidden)
        return np.array([self.hidden[next(t for t in range(T) if self.s(i, t) in model)]
                         for i in range(self.k)])

    def close(self):
        self.solver.delete()


def minimal_widths(n, codes, max_width=8):
    """Exact minimal width for each n-bit function in ``codes``.

    Returns (widths (F,) int, witnesses: list of (hidden codes (k,), output code g)).
    A function still unsolved at ``max_width`` raises: the answer would be a bound, not exact.
    """
    codes = [int(c) for c in codes]
    bad = [c for c in codes if not 0 <= c < 2 ** 2 ** n]
    if bad:
        raise ValueError(f"codes={bad[:3]} are not functions of n={n} bits; allowed: 0..{2 ** 2 ** n - 1}")
    widths, witness = {}, {}
    hidden = threshold_functions(n)
    for k in range(1, max_width + 1):
        todo = [c for c in codes if c not in widths]
        if not todo:
            break
        for g in output_functions(k):
            problem = WidthProblem(n, k, g, hidden)
            for c in [c for c in todo if c not in widths]:
                units = problem.solve(c)
                if units is not None:
                    widths[c], witness[c] = k, (units, g)
            problem.close()
    missing = [c for c in codes if c not in widths]
    if missing:
        raise ValueError(f"max_width={max_width} leaves {len(missing)} functions unsolved; allowed: "
                         f"a max_width at least their minimal width")
    return np.array([widths[c] for c in codes]), [witness[c] for c in codes]
