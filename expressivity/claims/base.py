"""What a claim's analysis returns, and where its pre-registered rule lives.

A claim module (``expressivity/claims/<id>.py``) defines

    ID: str                     # e.g. "depth_vs_width"; names expressivity/conf/experiment/<ID>.yaml
    def analyse(results, claim, figures_dir) -> Finding

where ``results`` is the ``expressivity.results.Results`` of the claim's sweep
(tables ``members``, ``curves``, ``jobs``; empty for a claim that
runs no sweep), ``claim`` is the ``claim:`` block of ``expressivity/conf/experiment/<ID>.yaml``
as a plain dict (statement, rule text and the rule's thresholds, written
before any run), and ``figures_dir`` is where figures go. The verdict must be
computed from the data by that rule.

The ``claim:`` block holds at least ``id``, ``title``, ``statement`` (the
essay's claim in our words), ``rule`` (the decision rule as prose) and the
rule's numbers, plus ``sweeps``: the experiment files whose Hydra sweeps feed
the analysis (default ``[<id>]``; ``[]`` for a claim settled by explicit
constructions alone). ``expressivity reproduce`` runs each sweep as
``python -m expressivity -m +experiment=<sweep> profile=<profile>`` into
``runs/<profile>/<sweep>/`` and hands the collected results to ``analyse``.
"""
from dataclasses import dataclass, field
from pathlib import Path

VERDICTS = ("supported", "refuted", "mixed", "inconclusive")
EXPERIMENTS = Path(__file__).resolve().parents[1] / "conf" / "experiment"


@dataclass
class Finding:
    """One claim's outcome.

    verdict : one of VERDICTS
    numbers : the values that decided the verdict, by name (plain floats/ints/str)
    text : what was found, in a few sentences of Markdown
    figures : file names inside figures_dir
    tables : Markdown tables (already rendered), each with a caption above it
    caveats : what a reader should keep in mind (e.g. representable is not learnable)
    """
    claim_id: str
    verdict: str
    numbers: dict
    text: str
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    caveats: list = field(default_factory=list)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict={self.verdict!r}; allowed: {', '.join(VERDICTS)}")


def load_claim(claim_id):
    """The ``claim:`` block of expressivity/conf/experiment/<claim_id>.yaml as a plain dict."""
    from omegaconf import OmegaConf
    path = EXPERIMENTS / f"{claim_id}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in EXPERIMENTS.glob("*.yaml"))
        raise ValueError(f"claim={claim_id!r} has no experiment file; allowed: {', '.join(known)}")
    block = OmegaConf.load(path).get("claim")
    if block is None:
        raise ValueError(f"{path}: no `claim:` block (statement and decision rule)")
    return OmegaConf.to_container(block, resolve=False)
