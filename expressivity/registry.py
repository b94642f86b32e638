"""Which claims exist: found from their files, never from a list in the code.

A claim is ``<folder>/<id>.yaml`` (statement, rule, history, ``order``,
``sweeps``) plus ``<folder>/<id>.py`` (its analysis, see
``expressivity.claims.contract``). ``discover(folders)`` reads every
``*.yaml`` of the folders (the built-in ``expressivity/claims/`` by default)
and returns a registry ``{id: Claim}`` in report order (``order``, then id).
Modules are imported only when a claim is analysed, so a claim that fails to
import cannot stop the others.
"""
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from omegaconf import OmegaConf

from .claims.contract import load_rule, rule_numbers
from .paths import name_problem

PROFILES = ("quick", "full")
CLAIMS_DIR = Path(__file__).resolve().parent / "claims"
# Keys of a claim file that are prose or bookkeeping; every other key is one of the rule's numbers.
PROSE_KEYS = ("id", "order", "title", "statement", "expect", "rule", "rule_history", "sweeps")


@dataclass
class Claim:
    """One discovered claim: its id, its claim file's content, and where its module is."""
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
        if self.path.parent == CLAIMS_DIR:
            return importlib.import_module(f"expressivity.claims.{self.id}")
        name = f"expressivity_claim_{abs(hash(str(self.path.parent)))}_{self.id}"
        if name not in sys.modules:
            source = self.path.with_suffix(".py")
            if not source.exists():
                raise ValueError(f"claim {self.id}: no analysis module {source}; allowed: "
                                 f"a {self.id}.py beside {self.path.name}")
            spec = importlib.util.spec_from_file_location(name, source)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        return sys.modules[name]

    def rule(self):
        """The module's ``Rule`` filled from the claim file, checked key by key."""
        return load_rule(self.module().Rule, self.numbers, self.id)


def read_claim(path):
    """A ``Claim`` from its YAML file; ValueError naming the file when it is not a claim."""
    path = Path(path)
    meta = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    if not isinstance(meta, dict):
        raise ValueError(f"{path}: a claim file must be a mapping; allowed: keys "
                         f"{', '.join(PROSE_KEYS)} and the rule's numbers")
    if meta.get("id", path.stem) != path.stem:
        raise ValueError(f"{path}: id={meta['id']!r} is not allowed; allowed: {path.stem!r} "
                         "(the file name)")
    meta["id"] = path.stem
    order = meta.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, (int, float)):
        raise ValueError(f"{path}: order={order!r} is not allowed; allowed: a number")
    return Claim(path.stem, meta, path)


def discover(folders=None):
    """{claim id: Claim} for every ``<id>.yaml`` in ``folders`` (default: the built-in claims),
    in report order: by ``order``, then id. A later folder's claim replaces an earlier one."""
    found = {}
    for folder in [CLAIMS_DIR] if folders is None else folders:
        for path in sorted(Path(folder).glob("*.yaml")):
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
