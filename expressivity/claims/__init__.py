"""The claims: each is ``<id>.yaml`` (statement, rule, history) plus ``<id>.py`` (its analysis).

Claims are discovered from their files (``expressivity.claims.registry.discover``);
the contract a claim module follows is in ``contract.py``. The other modules
here are shared helpers (figures, tables, statistics).
"""
from expressivity.claims.contract import NOT_TESTED, OUTCOMES, VERDICTS, Decision, Finding, overall

__all__ = ["NOT_TESTED", "OUTCOMES", "VERDICTS", "Decision", "Finding", "overall"]
