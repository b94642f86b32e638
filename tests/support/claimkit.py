"""Run a built-in claim through the engine, optionally with some rule numbers changed."""
from dataclasses import replace

from expressivity.claims.engine import evaluate
from expressivity.claims.registry import Claim, discover


def claim_of(claim_id, **numbers):
    """The discovered claim ``claim_id`` with ``numbers`` replacing those of its claim file."""
    claim = discover()[claim_id]
    return Claim(claim.id, {**claim.meta, **numbers}, claim.path)


def rule_of(claim_id, **numbers):
    """The claim's typed ``Rule``, loaded (and checked) from its claim file."""
    return claim_of(claim_id, **numbers).rule()


def summary(claim_id, results, figures_dir, **numbers):
    """The engine's ``Finding`` for the claim on ``results``: its sides are the summary's
    (confirmatory verdicts only; synthetic tables have no seed block, so exploratory)."""
    return evaluate(claim_of(claim_id, **numbers), results, figures_dir)


def analyse(claim_id, results, figures_dir, **numbers):
    """The engine's ``Finding`` with its two sides replaced by the CURRENT rule's decisions:
    what a synthetic-table test of the rule checks, whatever the rule's confirmation status."""
    finding = summary(claim_id, results, figures_dir, **numbers)
    return replace(finding, exists=finding.current["exists"], training=finding.current["training"])
