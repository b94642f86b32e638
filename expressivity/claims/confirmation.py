"""Which rule version's verdict counts: confirmatory or exploratory (issue 19).

Every rule version carries when it was registered: the current rule in the claim file's
``registered: {version, date, commit}`` (one mapping, or one per part), each earlier one in its
``rule_history`` entry (``version``, ``part``, ``decide``, ``registered``). Every data set
comes from an evaluation seed block (``records.seed_block``; constructions: ``construction``)
whose first run is declared in ``seed_blocks.py``. A version's verdict on a block is
*confirmatory* only if the version was registered before the block was first run, otherwise
*exploratory*. The summary shows, per part, the confirmatory verdict of the newest version (on
the newest block it is confirmatory on), else ``inconclusive: awaiting confirmation``.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from expressivity.claims.contract import AWAITING, PARTS, Decision
from expressivity.claims.seed_blocks import BLOCKS

CONSTRUCTION = "construction"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def parse_time(value, where):
    """A 'YYYY-MM-DD HH:MM' (UTC) string as a datetime; ValueError naming ``where`` else."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    try:
        return datetime.strptime(str(value), TIME_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(f"{where}={value!r} is not allowed; allowed: a UTC time "
                         f"'YYYY-MM-DD HH:MM'") from None


@dataclass(frozen=True)
class RuleVersion:
    """One registered rule for one part: its name, when and at which commit it was registered,
    and the function of the claim module that applies it."""
    part: str
    version: str
    registered: datetime
    commit: str
    decide: str
    current: bool = False
    note: str = ""

    @property
    def when(self):
        return f"{self.registered.strftime(TIME_FORMAT)} UTC, {self.commit}"


def _registration(entry, where):
    if not isinstance(entry, dict) or "date" not in entry or "commit" not in entry:
        raise ValueError(f"{where}={entry!r} is not allowed; allowed: a mapping with date "
                         f"('YYYY-MM-DD HH:MM' UTC), commit and version")
    return parse_time(entry["date"], f"{where}.date"), str(entry["commit"]), \
        str(entry.get("version", "current"))


def rule_versions(claim_id, meta, parts):
    """Every ``RuleVersion`` of a claim for the ``parts`` it decides, oldest first per part.

    Raises ValueError naming the key when the current rule has no registration or a
    ``rule_history`` mapping (an earlier rule) lacks its decide function or registration."""
    registered = meta.get("registered")
    if registered is None and parts:
        raise ValueError(f"claim {claim_id}: registered is missing; allowed: "
                         "{version, date, commit} of the current rule (or one per part)")
    out = []
    for index, entry in enumerate(meta.get("rule_history") or []):
        if not isinstance(entry, dict):
            continue   # a note: settings or code changed, the rule did not
        where = f"claim {claim_id}: rule_history[{index}]"
        for key in ("decide", "part", "version", "registered"):
            if key not in entry:
                raise ValueError(f"{where} has no {key}; allowed: an earlier rule names decide "
                                 "(its function), part, version and registered {date, commit}")
        if entry["part"] not in PARTS:
            raise ValueError(f"{where}.part={entry['part']!r} is not allowed; allowed: "
                             f"{', '.join(PARTS)}")
        when, commit, _ = _registration(entry["registered"], f"{where}.registered")
        out.append(RuleVersion(entry["part"], str(entry["version"]), when, commit,
                               entry["decide"], note=" ".join(str(entry.get("note", "")).split())))
    for part in parts:
        entry = registered.get(part, registered) if isinstance(registered, dict) else registered
        when, commit, version = _registration(entry, f"claim {claim_id}: registered"
                                              + (f".{part}" if entry is not registered else ""))
        out.append(RuleVersion(part, version, when, commit, f"decide_{part}", current=True))
    for v in out:
        if not v.current and v.part not in parts:
            raise ValueError(f"claim {claim_id}: rule_history version {v.version} decides "
                             f"part={v.part!r}, which the claim does not decide; allowed: "
                             f"{', '.join(parts)}")
    return sorted(out, key=lambda v: (PARTS.index(v.part), v.registered, v.current))


def read_ledger(blocks=None):
    """{block (str): {"first_run": datetime, "commit": str, "sweeps": {sweep: datetime}}} from
    ``seed_blocks.BLOCKS`` (or ``blocks`` of the same shape): a block's first run, and per
    sweep the first run where it differs."""
    out = {}
    for block, entry in (BLOCKS if blocks is None else blocks).items():
        where = f"seed_blocks.BLOCKS[{block!r}]"
        if not isinstance(entry, dict) or "first_run" not in entry:
            raise ValueError(f"{where}={entry!r} is not allowed; allowed: first_run, commit, "
                             "sweeps, note")
        out[str(block)] = {"first_run": parse_time(entry["first_run"], f"{where}.first_run"),
                           "commit": str(entry.get("commit", "unknown")),
                           "sweeps": {name: parse_time(when, f"{where}.sweeps.{name}")
                                      for name, when in (entry.get("sweeps") or {}).items()}}
    return out


def first_run(ledger, block, sweeps):
    """When data of ``block`` from any of ``sweeps`` was first run (the earliest; the block's
    own date for a sweep not listed, or for a claim without sweeps); None if not declared."""
    entry = ledger.get(str(block))
    if entry is None:
        return None
    return min([entry["sweeps"].get(s, entry["first_run"]) for s in sweeps] or [entry["first_run"]])


@dataclass(frozen=True)
class VersionVerdict:
    """One rule version's decision on one seed block's data, and whether it is confirmatory."""
    version: RuleVersion
    block: str
    first_run: datetime   # None: the block is not declared in the ledger
    decision: Decision

    @property
    def confirmatory(self):
        return self.first_run is not None and self.version.registered < self.first_run

    @property
    def status(self):
        return "confirmatory" if self.confirmatory else "exploratory"

    @property
    def label(self):
        current = ", current rule" if self.version.current else ""
        return (f"{self.version.part} under rule {self.version.version} (`{self.version.decide}`"
                f"{current}; registered {self.version.when}) on seed block {self.block}: "
                f"{self.status}")


def part_block(part, training_block, has_training):
    """The block a part's verdict rests on: the exists side on constructions and exact counts,
    the training side on its training records' block (constructions when it has none)."""
    return str(training_block) if part == "training" and has_training else CONSTRUCTION


def summary_verdict(verdicts, part):
    """The ``VersionVerdict`` the summary shows for ``part``: among the confirmatory ones, the
    newest registered version, on the block first run last; None when none is confirmatory."""
    confirmed = [v for v in verdicts if v.version.part == part and v.confirmatory]
    if not confirmed:
        return None
    return max(confirmed, key=lambda v: (v.version.registered, v.version.current, v.first_run))


def awaiting(verdicts, part):
    """The summary's decision when no version of ``part`` is confirmatory: what the newest
    exploratory verdict said rides along in the numbers."""
    mine = [v for v in verdicts if v.version.part == part]
    newest = max(mine, key=lambda v: (v.version.registered, v.version.current), default=None)
    numbers = {} if newest is None else {"exploratory_verdict": newest.decision.verdict,
                                         "exploratory_rule": newest.version.version}
    return Decision(AWAITING, numbers)


def summarise(verdicts, parts):
    """{part: (Decision, VersionVerdict or None)}: the summary's decision of every part the
    claim decides, from its confirmatory verdicts only (``summary_verdict``, else ``awaiting``).
    A summary verdict from a rule registered after its block's first run is a bug: it raises."""
    out = {}
    for part in parts:
        chosen = summary_verdict(verdicts, part)
        if chosen is not None and not chosen.confirmatory:
            raise AssertionError(f"summary verdict of {part} from an exploratory rule: {chosen.label}")
        out[part] = (chosen.decision, chosen) if chosen else (awaiting(verdicts, part), None)
    return out
