"""The contract every claim follows: two verdicts, the numbers that decided them, a typed rule.

A claim is two files in a claims folder (``expressivity/claims/`` for the
built-in ones):

``<id>.yaml``
    ``order`` (report position), ``title``, ``statement`` (the essay's claim
    in our words), ``expect``, ``rule`` (the decision rule as prose),
    ``sweeps`` (experiment files feeding it, ``[]`` for none),
    ``rule_history`` (changes made after data was seen), and the rule's
    numbers as further top-level keys, all written before the run.
``<id>.py``
    ``Rule``: a dataclass whose fields are exactly the rule's numbers;
    ``evidence(tables, rule)``: the sweep's tables (``members``, ``curves``,
    ``jobs``) -> whatever the claim computes from them;
    ``decide_exists(evidence, rule)`` and/or ``decide_training(evidence, rule)``
    -> ``Decision`` (a missing one means that side is not tested);
    optional ``VERIFIED``: the parts that are constructions or exact computations (only a
    bug can fail them): the engine words their "supported" as ``verified``;
    optional ``NUMBER_LABELS``: ``{key or key pattern with *: (label, unit)}``,
    how the report names each deciding number in words (see ``wording``);
    ``figures(evidence, rule, writer)`` -> figure file names (``writer`` is the
    engine's ``FigureWriter``); ``text(evidence, decisions, rule)`` -> Markdown,
    where ``decisions`` maps "exists"/"training" to their ``Decision``;
    optional ``tables(evidence)`` -> Markdown tables, ``caveats(evidence,
    decisions)`` -> list of str, ``COLUMNS`` and ``JOB_COLUMNS`` (member and job
    columns the evidence needs: without them the engine reports the sweep as unusable).

A ``rule_history`` entry that is a mapping is an earlier rule version: it names
``decide: <function>``, ``part: exists|training``, ``version`` and ``registered:
{date, commit}``; the engine runs that function too and the report shows its
verdict beside the current one. The current rule's version and registration
are the claim file's ``registered: {version, date, commit}`` (or one such
mapping per part). A plain-text entry is a note (settings or code, rule
unchanged). Which version's verdict the summary shows is decided in
``claims.confirmation``: only a rule registered before its seed block was
first run is confirmatory.
"""
import dataclasses
import typing
from dataclasses import dataclass, field

VERDICTS = ("supported", "refuted", "mixed", "inconclusive")
NOT_TESTED = "not tested"
# Outcome words that say what kind of evidence a verdict is (issue 19):
VERIFIED = "verified"          # a construction or exact computation: it can only fail through a bug
BUDGET = "inconclusive: budget"   # rests on a number still moving at the largest budget run
AWAITING = "inconclusive: awaiting confirmation"   # no rule registered before its seed block
OUTCOMES = VERDICTS + (VERIFIED, BUDGET, AWAITING, NOT_TESTED)
PARTS = ("exists", "training")
PART_TITLES = {"exists": "exists", "training": "training finds"}


@dataclass(frozen=True)
class Decision:
    """One verdict and the numbers that decided it (deciding numbers first).

    sensitivity : what the rule says with every budget-bound number counted against the
        claim's verdict (None: no number of this decision is a bound)
    budget : for ``inconclusive: budget``, the budget run and the rate at which the deciding
        number was still moving there ({"budget": ..., "rate": ..., "quantity": ...})
    """
    verdict: str
    numbers: dict = field(default_factory=dict)
    sensitivity: str = None
    budget: dict = None

    def __post_init__(self):
        if self.verdict not in OUTCOMES:
            raise ValueError(f"verdict={self.verdict!r} is not allowed; allowed: {', '.join(OUTCOMES)}")
        if self.sensitivity is not None and self.sensitivity not in OUTCOMES:
            raise ValueError(f"sensitivity={self.sensitivity!r} is not allowed; allowed: "
                             f"{', '.join(OUTCOMES)}")


def kind(verdict):
    """The plain verdict a word belongs to: verified -> supported, inconclusive: ... ->
    inconclusive (for combining sides; the word itself is what the report shows)."""
    verdict = getattr(verdict, "verdict", verdict)
    if verdict == VERIFIED:
        return "supported"
    return "inconclusive" if verdict.startswith("inconclusive") else verdict


NOT_TESTED_DECISION = Decision(NOT_TESTED)


def overall(exists, training):
    """The summary's overall verdict from the two sides (``Decision`` or verdict strings).

    Fixed rule: a side that is not tested does not count; with no side tested the
    claim is not tested; one tested side gives its verdict; two sides that agree
    give that verdict; if either is inconclusive the claim is inconclusive;
    otherwise (they disagree) it is mixed.
    Outcome words combine by their kind (``kind``): verified and supported agree (two
    verified sides stay verified, else supported); an inconclusive side gives its own word.
    """
    sides = [getattr(s, "verdict", s) for s in (exists, training)]
    tested = [v for v in sides if v != NOT_TESTED]
    if not tested:
        return NOT_TESTED
    if len(tested) == 1 or tested[0] == tested[1]:
        return tested[0]
    kinds = [kind(v) for v in tested]
    if "inconclusive" in kinds:
        return tested[kinds.index("inconclusive")]
    return kinds[0] if kinds[0] == kinds[1] else "mixed"


@dataclass
class Finding:
    """One claim's outcome, built by the engine only.

    exists, training : ``Decision`` for what exists and what training finds
    text : what was found, in Markdown
    figures : figure file names; tables : Markdown tables; caveats : list of str
    registered : {label: Decision} of every rule version's verdict, each labelled with its
        registration, seed block and status (confirmatory or exploratory)
    labels : the claim module's ``NUMBER_LABELS`` (words and units for the deciding numbers)
    captions : the claim file's ``captions``: {figure file name: (what it shows, what to look
        at)}, each one sentence (the front page shows the first only)
    current : {part: Decision} of the current rule (what ``text`` was written from)
    versions : every ``confirmation.VersionVerdict``; chosen : {part: the one the summary
        shows, or None (inconclusive: awaiting confirmation)}
    exists, training are the summary's decisions: confirmatory verdicts only.
    """
    claim_id: str
    exists: Decision
    training: Decision
    text: str
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    caveats: list = field(default_factory=list)
    registered: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    captions: dict = field(default_factory=dict)
    current: dict = field(default_factory=dict)
    versions: list = field(default_factory=list)
    chosen: dict = field(default_factory=dict)

    def basis(self, part):
        """'rule <version>, seed block <block>' of the summary's verdict of ``part`` ('—' if none)."""
        chosen = self.chosen.get(part)
        return f"rule {chosen.version.version}, seed block {chosen.block}" if chosen else "—"

    @property
    def verdict(self):
        """The overall verdict (``overall`` of the two sides)."""
        return overall(self.exists, self.training)

    @property
    def numbers(self):
        """Every deciding number, the existence side first."""
        return {**self.exists.numbers, **self.training.numbers}

    def decision(self, part):
        return getattr(self, part)


def rule_numbers(meta, prose_keys):
    """The rule's numbers of a claim file: every key that is not prose."""
    return {k: v for k, v in meta.items() if k not in prose_keys}


def _type_ok(value, kind):
    if kind is typing.Any or kind is object:
        return True
    origin = typing.get_origin(kind)
    if origin is typing.Union:
        return any(_type_ok(value, k) for k in typing.get_args(kind))
    if kind is type(None):
        return value is None
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, origin or kind)


def load_rule(rule_class, numbers, claim_id):
    """``rule_class(**numbers)`` after checking every key and type; one clear ValueError else.

    The error names the claim, the key, the value and what is allowed, before any work.
    """
    fields = {f.name: f for f in dataclasses.fields(rule_class)}
    unknown = sorted(set(numbers) - set(fields))
    if unknown:
        raise ValueError(f"claim {claim_id}: rule number {unknown[0]}={numbers[unknown[0]]!r} is not "
                         f"allowed; allowed keys: {', '.join(fields)}")
    missing = [name for name, f in fields.items() if name not in numbers
               and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise ValueError(f"claim {claim_id}: rule number {missing[0]} is missing; allowed: "
                         f"a value of type {_type_name(fields[missing[0]].type)} in {claim_id}/claim.yaml")
    hints = typing.get_type_hints(rule_class)
    for name, value in numbers.items():
        if not _type_ok(value, hints[name]):
            raise ValueError(f"claim {claim_id}: {name}={value!r} is not allowed; allowed: "
                             f"a value of type {_type_name(hints[name])}")
    return rule_class(**numbers)


def _type_name(kind):
    return getattr(kind, "__name__", str(kind))
