"""Which claims exist: found from their folders, never from a list in the code.

A claim is a folder ``<id>/`` holding ``claim.yaml`` (statement, rule,
history, ``order``, ``sweeps``) and ``claim.py`` (its analysis, see
``expressivity.claims.contract``), with any helper modules it needs beside
them; deleting the folder deletes the claim. ``discover(folders)`` reads every
``*/claim.yaml`` of the folders (the built-in ``expressivity/claims/`` by
default) and returns a registry ``{id: Claim}`` in report order (``order``,
then id). Modules are imported only when a claim is analysed, so a claim that
fails to import cannot stop the others.
"""
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from omegaconf import OmegaConf

from expressivity.claims.contract import load_rule, rule_numbers
from expressivity.job.paths import name_problem

PROFILES = ("quick", "full")
CLAIMS_DIR = Path(__file__).resolve().parent
CLAIM_FILE, CLAIM_MODULE = "claim.yaml", "claim.py"
# Keys of a claim file that are prose or bookkeeping; every other key is one of the rule's numbers.
PROSE_KEYS = ("id", "order", "title", "statement", "expect", "rule", "rule_history", "sweeps",
              "registered", "captions", "rule_earlier")


@dataclass
class Claim:
    """One discovered claim: its id (the folder's name), its claim file's content, and where it is."""
    id: str
    meta: dict
    path: Path

    @property
    def sweeps(self):
        return sweep_names(self.meta, self.id)

    @property
    def numbers(self):
        return rule_numbers(self.meta, PROSE_KEYS)

    def module(self):
        """The claim's analysis module (imported on first use)."""
        folder = self.path.parent
        if folder.parent == CLAIMS_DIR:
            return importlib.import_module(f"expressivity.claims.{self.id}.claim")
        # A user's claim folder: imported as a package of its own, so its claim.py can import
        # its helpers beside it (``from . import figures``).
        package = f"expressivity_claim_{abs(hash(str(folder)))}_{self.id}"
        if package not in sys.modules:
            source = folder / CLAIM_MODULE
            if not source.exists():
                raise ValueError(f"claim {self.id}: no analysis module {source}; allowed: "
                                 f"a {CLAIM_MODULE} beside {self.path.name}")
            init = folder / "__init__.py"
            spec = importlib.util.spec_from_file_location(
                package, init if init.exists() else source.with_name("__init__.py"),
                submodule_search_locations=[str(folder)])
            module = importlib.util.module_from_spec(spec)
            sys.modules[package] = module
            if init.exists():
                spec.loader.exec_module(module)
        name = f"{package}.claim"
        if name not in sys.modules:
            importlib.import_module(name)
        return sys.modules[name]

    def rule(self):
        """The module's ``Rule`` filled from the claim file, checked key by key."""
        return load_rule(self.module().Rule, self.numbers, self.id)


def read_claim(path):
    """A ``Claim`` from its ``<id>/claim.yaml``; ValueError naming the file when it is not a claim."""
    path = Path(path)
    claim_id = path.parent.name
    meta = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    if not isinstance(meta, dict):
        raise ValueError(f"{path}: a claim file must be a mapping; allowed: keys "
                         f"{', '.join(PROSE_KEYS)} and the rule's numbers")
    if meta.get("id", claim_id) != claim_id:
        raise ValueError(f"{path}: id={meta['id']!r} is not allowed; allowed: {claim_id!r} "
                         "(the folder's name)")
    meta["id"] = claim_id
    order = meta.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, (int, float)):
        raise ValueError(f"{path}: order={order!r} is not allowed; allowed: a number")
    return Claim(claim_id, meta, path)


def discover(folders=None):
    """{claim id: Claim} for every ``<id>/claim.yaml`` in ``folders`` (default: the built-in
    claims), in report order: by ``order``, then id. A later folder's claim replaces an earlier
    one."""
    found = {}
    for folder in [CLAIMS_DIR] if folders is None else folders:
        for path in sorted(Path(folder).glob(f"*/{CLAIM_FILE}")):
            claim = read_claim(path)
            found[claim.id] = claim
    return dict(sorted(found.items(), key=lambda item: (item[1].meta.get("order", 1000), item[0])))


def default_registry():
    """The built-in claims."""
    return discover()


def select_claims(registry, selected=None):
    """The claim ids to run, in registry order.

    Parameters
    ----------
    registry : {claim id: Claim}, in report order
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


def sweep_names(meta, claim_id):
    """The sweeps feeding a claim: its file's ``sweeps`` (default ``[id]``; ``[]`` for none)."""
    sweeps = meta.get("sweeps", [claim_id]) if meta else [claim_id]
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
