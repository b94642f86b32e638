"""The claims: their API at this level, then one folder per claim.

The API: ``contract`` (verdicts, ``Decision``, ``Finding``, rule loading),
``registry`` (claims discovered from their folders), ``engine`` (runs one
claim: tables -> evidence -> decisions -> ``Finding``), and the helpers
several claims share: ``summaries`` and ``stats`` (tables, rates, intervals),
``growth_models``, ``plots`` and ``figure_theme`` (figures), ``constructed``
(construction records as frames), ``tuned``, ``best_of_k``.

A claim is a folder ``<id>/``: ``claim.yaml`` (statement, rule, numbers,
history), ``claim.py`` (its analysis), and the helpers only it needs.
Deleting the folder deletes the claim. The API never imports a claim folder,
and a claim never imports another's. May import storage, the job's names
(``job.paths``), ``constructions`` and the core; never sweeps or the report.
"""
from expressivity.claims.contract import NOT_TESTED, OUTCOMES, VERDICTS, Decision, Finding, overall

__all__ = ["NOT_TESTED", "OUTCOMES", "VERDICTS", "Decision", "Finding", "overall"]
