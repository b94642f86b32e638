"""Which claims exist, where their claim blocks live, and which sweeps feed them.

The registered claims are ``expressivity.claims.CLAIMS`` (report order), each a
module ``expressivity.claims.<id>``. Tests and extensions pass their own
``registry`` ({id: module}) and ``config_dirs`` (extra Hydra config folders,
each holding ``experiment/<id>.yaml``) instead.
"""
import importlib
from pathlib import Path

from omegaconf import OmegaConf

from .claims import CLAIMS, load_claim
from .paths import name_problem

PROFILES = ("quick", "full")


def default_registry():
    """{claim id: loader} for the registered claims; a module is imported only when analysed,
    so one claim that fails to import cannot stop the others."""
    return {cid: None for cid in CLAIMS}


def claim_module(registry, claim_id):
    """The module (anything with ``analyse``) for ``claim_id``."""
    module = registry.get(claim_id)
    if module is None:
        module = importlib.import_module(f"expressivity.claims.{claim_id}")
    return module


def select_claims(registry, selected=None):
    """The claim ids to run, in registry order.

    Parameters
    ----------
    registry : {claim id: module or None}, in report order
    selected : iterable of ids, or None / empty for all

    Raises ValueError naming every unknown id and the allowed ones, before any work.
    """
    known = list(registry)
    if not selected:
        return known
    selected = [s.strip() for s in selected if s.strip()]
    unknown = [s for s in selected if s not in registry]
    if unknown:
        allowed = ", ".join(known) if known else "(no claim is registered yet)"
        raise ValueError(f"--claims={','.join(unknown)} is not a registered claim; "
                         f"allowed: {allowed}")
    return [cid for cid in known if cid in selected]


def check_profile(profile):
    if profile not in PROFILES:
        raise ValueError(f"--profile={profile!r} is not allowed; allowed: {', '.join(PROFILES)}")


def check_jobs(jobs):
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"--jobs={jobs!r} is not allowed; "
                         "allowed: a positive integer (parallel jobs)")


def claim_block(claim_id, config_dirs=()):
    """The ``claim:`` block of ``<dir>/experiment/<id>.yaml`` for the first of ``config_dirs``
    holding it, else of ``expressivity/conf/experiment/<id>.yaml``; a plain dict (interpolations unresolved)."""
    for folder in config_dirs:
        path = Path(folder) / "experiment" / f"{claim_id}.yaml"
        if path.exists():
            block = OmegaConf.load(path).get("claim")
            if block is None:
                raise ValueError(f"{path}: no `claim:` block (statement and decision rule)")
            return OmegaConf.to_container(block, resolve=False)
    return load_claim(claim_id)


def sweep_names(claim, claim_id):
    """The sweeps feeding a claim: its block's ``sweeps`` (default ``[id]``; ``[]`` for none)."""
    sweeps = claim.get("sweeps", [claim_id]) if claim else [claim_id]
    if isinstance(sweeps, str):
        sweeps = [sweeps]
    if not isinstance(sweeps, list) or not all(isinstance(s, str) and s for s in sweeps):
        raise ValueError(f"claim {claim_id}: sweeps={sweeps!r} is not allowed; "
                         "allowed: a list of experiment names ([] for none)")
    for sweep in sweeps:   # each becomes a folder that reproduce clears: no '..', no '/'
        problem = name_problem("sweep", sweep)
        if problem:
            raise ValueError(f"claim {claim_id}: {problem}")
    return sweeps
