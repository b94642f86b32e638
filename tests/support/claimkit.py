"""Run a built-in claim through the engine, optionally with some rule numbers changed."""
from expressivity.claims.engine import evaluate
from expressivity.claims.registry import Claim, discover


def claim_of(claim_id, **numbers):
    """The discovered claim ``claim_id`` with ``numbers`` replacing those of its claim file."""
    claim = discover()[claim_id]
    return Claim(claim.id, {**claim.meta, **numbers}, claim.path)


def rule_of(claim_id, **numbers):
    """The claim's typed ``Rule``, loaded (and checked) from its claim file."""
    return claim_of(claim_id, **numbers).rule()


def analyse(claim_id, results, figures_dir, **numbers):
    """The engine's ``Finding`` for the claim on ``results`` (a ``Results``)."""
    return evaluate(claim_of(claim_id, **numbers), results, figures_dir)
