"""Search kind ``converged_width``: the smallest width training fits, at growing budgets until two agree.

What training finds is an upper bound on the smallest net that exists, and
it depends on the budget. So the search runs a ladder of budgets
(``search.budget_epochs[i]`` epochs × ``search.budget_restarts[i]`` restarts)
and stops once two successive budgets give the same minimal width
(``converged``), else reports the last as a bound with its budget.

Budgets only grow, and members are prefix-stable (member i has the same
generator whatever the population: ``SeedSequence.spawn``) and frozen once
they fit, so a width that fits at one budget fits at every larger one. Each
budget therefore only looks below the previous answer: one probe at answer − 1
(a failure there means the two budgets agree), else a bisection below it. The first budget doubles from
``search.start_width`` and bisects. Success need not be monotone in width:
answer − 1 and answer + 1 are always known at the budget that gave the answer
(probed, or implied by a smaller budget) at the budget where the answer first
appeared; a failure at answer + 1 is flagged.

Per-layer widths (``search.shape``): ``uniform`` [w]·depth or ``halving``
[w, ⌈w/2⌉, ⌈w/4⌉, …]; w is the first layer's width.
"""
import copy

from omegaconf import OmegaConf

SHAPES = ("uniform", "halving")


def layer_widths(width, depth, shape):
    """Hidden widths for first-layer ``width``: list of ``depth`` ints (>= 1)."""
    if shape == "uniform":
        return [width] * depth
    return [max(1, -(-width // 2 ** i)) for i in range(depth)]


def parameter_count(n_in, widths, n_out=1):
    """Weights and biases of an MLP (n_in, *widths, n_out)."""
    sizes = (n_in, *widths, n_out)
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def budget_ladder(search):
    """[(epochs, restarts), …] from the search config."""
    return list(zip(search.budget_epochs, search.budget_restarts))


class Prober:
    """Trains and remembers probes; ``fits(level, width)`` knows widths implied by smaller budgets."""

    def __init__(self, cfg, task, train_probe):
        self.cfg, self.task, self.train_probe = cfg, task, train_probe
        self.budgets = budget_ladder(cfg.search)
        self.records, self.known = [], {}          # known[(level, width)] = any_fit

    def fits(self, level, width):
        if (level, width) in self.known:
            return self.known[(level, width)]
        if any(self.known.get((lower, width)) for lower in range(level)):
            return True                            # fitted at a smaller budget: fits at this one
        epochs, restarts = self.budgets[level]
        cfg = copy.deepcopy(self.cfg)
        OmegaConf.update(cfg, "trainer.max_epochs", int(epochs))
        OmegaConf.update(cfg, "trainer.restarts", int(restarts))
        widths = layer_widths(width, cfg.model.depth, cfg.search.shape)
        record = self.train_probe(cfg, self.task, widths)
        record["budget"] = {"level": level, "epochs": int(epochs), "restarts": int(restarts)}
        self.records.append(record)
        self.known[(level, width)] = record["summary"]["any_fit"]
        return self.known[(level, width)]


def bisect(prober, level, low, found):
    """Smallest fitting width in (low, found], given that ``found`` fits and ``low`` does not (0: none)."""
    while found - low > 1:
        mid = (low + found) // 2
        low, found = (low, mid) if prober.fits(level, mid) else (mid, found)
    return found


def first_answer(prober, level, start, cap):
    """Smallest fitting width at one budget with no answer below it yet: doubling, then bisection."""
    low, width = 0, min(start, cap)
    while not prober.fits(level, width):
        if width >= cap:
            return None
        low, width = width, min(2 * width, cap)
    return bisect(prober, level, low, width)


def lower_answer(prober, level, previous):
    """The previous budget's answer, or (if answer − 1 now fits) a bisection below it."""
    if previous == 1 or not prober.fits(level, previous - 1):
        return previous
    return bisect(prober, level, 0, previous - 1)


def converged_width_search(cfg, task, train_probe):
    """Run the ladder; returns (probe records, summary dict). See the module docstring."""
    prober = Prober(cfg, task, train_probe)
    cap, answers, flags = cfg.search.max_width, [], []
    for level in range(len(prober.budgets)):
        previous = answers[-1] if answers else None
        if previous is None:
            answer = first_answer(prober, level, cfg.search.start_width, cap)
        else:
            answer = lower_answer(prober, level, previous)
        answers.append(answer)
        new = answer is not None and answer != previous
        if new and answer < cap and not prober.fits(level, answer + 1):
            flags.append({"level": level, "width": answer + 1})
        if len(answers) >= 2 and answers[-1] is not None and answers[-1] == answers[-2]:
            break
    return prober.records, summary(cfg, prober, answers, flags)


def summary(cfg, prober, answers, flags):
    final = answers[-1]
    widths = layer_widths(final, cfg.model.depth, cfg.search.shape) if final else None
    return {
        "min_width": final,
        "min_widths": list(answers),
        "min_parameters": parameter_count(prober.task.X.shape[1], widths) if final else None,
        "layer_widths": widths,
        "budgets": [list(b) for b in prober.budgets[:len(answers)]],
        "converged": len(answers) >= 2 and answers[-1] is not None and answers[-1] == answers[-2],
        "non_monotone": flags,
        "probed": [[r["budget"]["level"], r["widths"][0], r["summary"]["any_fit"]] for r in prober.records],
        "max_width": cfg.search.max_width, "shape": cfg.search.shape,
    }
