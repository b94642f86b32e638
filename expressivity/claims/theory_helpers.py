"""Small shared pieces for the theory claims: figures, tables, seeded generators."""
from pathlib import Path

import numpy as np

from .base import Finding
from .plots import save  # noqa: F401  (one figure writer for every claim)


def figure(rows=1, cols=1, size=(5.0, 3.6)):
    """A matplotlib figure on the file-only Agg backend: (fig, axes)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns
    sns.set_theme(style="whitegrid", context="notebook")
    fig, axes = plt.subplots(rows, cols, figsize=(size[0] * cols, size[1] * rows), squeeze=False)
    return fig, axes




def markdown(frame, caption, floatfmt=".3g"):
    """A caption line and a Markdown table of ``frame`` (index dropped)."""
    # object dtype keeps integers as integers: a mixed frame would otherwise turn them into floats
    return f"{caption}\n\n{frame.astype(object).to_markdown(index=False, floatfmt=floatfmt)}"


def generator(seed, *keys):
    """A generator for one named piece of work: same (seed, keys) -> same numbers."""
    words = [int(seed)] + [int.from_bytes(str(k).encode(), "little") % (2 ** 32) for k in keys]
    return np.random.default_rng(words)


def rule_number(claim, key):
    """A pre-registered number from the claim block, with a clear error when it is missing."""
    if key not in claim:
        raise ValueError(f"claim {claim.get('id')!r} has no `{key}` in its rule; "
                         f"allowed: add it to expressivity/conf/experiment/{claim.get('id')}.yaml")
    return claim[key]


def missing_sweep(claim_id, results, columns):
    """An inconclusive Finding when the sweep left no usable records, else None."""
    members = results.members
    absent = [c for c in columns if c not in members.columns]
    if len(members) and not absent:
        return None
    problems = len(getattr(results, "problems", []) or [])
    why = "no records" if not len(members) else f"records lack columns {absent}"
    return Finding(claim_id, "inconclusive", {"members": len(members), "unreadable_records": problems},
                   f"The {claim_id} sweep left {why} ({problems} unreadable records), so the rule "
                   f"could not be applied. Verdict: **inconclusive**.")
