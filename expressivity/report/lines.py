"""The report's words for a student: one line per claim, rules as steps, reasons, budgets.

Everything here is computed from a claim's file (its title, statement, rule and
the rule's numbers) and from its ``Finding`` (each side's verdict and deciding
numbers, in words with their units by ``wording.say``); no claim's result is
written here by hand.

- ``reader_line(o)``: what the essay says, what was found and the numbers that
  decided it, in one line (the front page lists one per claim; a claim's page
  opens with it);
- ``rule_steps(rule, numbers)``: a rule's prose as a numbered list of short
  sentences, with each of the rule's numbers written in place of its name;
- ``verdict_reason(finding)``: why the overall verdict is what it is, by the
  fixed rule that combines the two sides;
- ``without_internal_refs(text)``: issue numbers and other internal references
  taken out of text meant for readers;
- ``word_count`` and ``over_budget``: the words a reader sees on a page, and
  whether a page passes its budget.
"""
import re
from pathlib import Path

from expressivity.claims.contract import AWAITING, BUDGET, VERIFIED, kind
from expressivity.report.mdtext import plain_text
from expressivity.report.wording import format_value, say

# What each verdict of one side says about the claim, in plain words.
SIDE_MEANS = {"supported": "it holds", "refuted": "it does not hold",
              "mixed": "it holds in some conditions, not in others",
              "inconclusive": "the data could not decide", "not tested": "not tested",
              VERIFIED: "it holds by construction or exact computation",
              BUDGET: "the deciding number was still moving at the largest budget",
              AWAITING: "awaiting a confirmatory run"}
SIDE_NAMES = {"exists": "constructions", "training": "training"}
# The words a student meets on a page, at most (code, tables and collapsed blocks aside):
# the front page a fixed part and so many per claim; each claim page one budget.
WORD_BUDGET = {"front_fixed": 250, "front_per_claim": 60, "claim": 1800}
ESSAY_WORDS = 20
IN_OUR_WORDS = re.compile(r"\bIn our words:\s*", re.IGNORECASE)
# An aside: a parenthesis after a space with a space inside ("4(n-1)" and "ceil(log2 n)" stay).
PARENTHETICAL = re.compile(r"\s+\((?=[^()]*\s)[^()]*\)")
SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bal)(?<!\bvs)[.;](?=\s+[A-Z\"(])")
ISSUE_NUMBER = r"#?\d{1,4}(?![\d-])"
INTERNAL_REF = re.compile(r"\s*\(\s*(?:see\s+)?#\d{1,4}\s*\)"
                          r"|(?:\b(?:for|in|by|from|see|per)\s+)?\b[Ii]ssues?\s+" + ISSUE_NUMBER
                          + r"(?:\s*(?:,|and)\s*" + ISSUE_NUMBER + r")*")
LEADING_ASIDE = re.compile(r"^\(([^()]*)\):\s*")
# A snake_case name, bare or in backticks, that is not part of a path or dotted name.
IDENTIFIER = re.compile(r"(?<![/\w`])(?<!\w\.)`?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`?(?![\w/]|\.\w)")


def essay_says(claim):
    """The essay's claim in one short sentence: the statement's 'In our words:' part, or its
    first sentence, without asides in parentheses, cut at a clause near ``ESSAY_WORDS``."""
    statement = " ".join(str(claim.get("statement") or claim.get("title") or "").split())
    parts = IN_OUR_WORDS.split(statement, maxsplit=1)
    text = parts[-1]
    text = SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    text = PARENTHETICAL.sub("", text)
    words = text.split()
    if len(words) > ESSAY_WORDS:
        head = " ".join(words[:ESSAY_WORDS])
        if head.count("(") > head.count(")"):           # never stop inside a parenthesis
            head = head[:head.rfind("(")].rsplit(" ", 1)[0]
        cut = max(head.rfind(", "), head.rfind("; "), head.rfind(": "))
        text = (head[:cut] if cut > len(head) // 2 else head).rstrip(",;: ") + " …"
    return text[:1].upper() + text[1:] if text else claim.get("title", "")


def side_found(part, decision, labels=None, count=1):
    """'training: it does not hold (12 matched cells …)', or None for a side not tested."""
    if decision.verdict == "not tested":
        return None
    numbers = list(decision.numbers.items())[:count]
    said = "; ".join(say(k, v, labels) for k, v in numbers)
    return f"{SIDE_NAMES[part]}: {SIDE_MEANS[decision.verdict]}" + (f" ({said})" if said else "")


def found(finding):
    """What was found, side by side, each with its leading deciding number in words."""
    sides = [side_found(part, finding.decision(part), finding.labels)
             for part in ("exists", "training")]
    sides = [s for s in sides if s]
    return "; ".join(sides) if sides else "nothing was tested"


def reader_line(o, link=None, named=True):
    """One line: the claim (linked when ``link``; left out when not ``named``, under the
    claim's own heading), what the essay says, what we found."""
    title = o.claim.get("title", o.id)
    name = f"**[{title}]({link})**. " if link else f"**{title}**. " if named else ""
    essay = essay_says(o.claim)
    return (f"{name}*The essay:* {essay}{'' if essay.endswith('…') else '.'} "
            f"*We found:* {found(o.finding)}. **{o.finding.verdict.capitalize()}.**")


def verdict_reason(finding):
    """Why the overall verdict follows from the two sides (contract.overall, in words)."""
    exists, training = finding.exists.verdict, finding.training.verdict
    tested = [(SIDE_NAMES[p], v) for p, v in (("exists", exists), ("training", training))
              if v != "not tested"]
    if not tested:
        return "neither side is tested"
    if len(tested) == 1:
        return f"only one side is tested here ({tested[0][0]}), so its verdict is the claim's"
    if exists == training:
        return f"both sides say {exists}"
    kinds = {p: kind(v) for p, v in (("exists", exists), ("training", training))}
    if "inconclusive" in kinds.values():
        part = "exists" if kinds["exists"] == "inconclusive" else "training"
        said = {"exists": exists, "training": training}[part]
        return (f"{SIDE_NAMES[part]} could not decide yet ({said}), so the claim is not "
                "decided either")
    if kinds["exists"] == kinds["training"]:   # verified and supported: the claim holds
        return f"both sides say it holds ({SIDE_NAMES['exists']}: {exists}; training: {training})"
    return (f"the sides disagree ({SIDE_NAMES['exists']}: {exists}; training: {training}), "
            "so the claim holds only in part")


def result_basis(finding):
    """A line saying that the result below is the current rule's analysis when the summary's
    verdict of some side comes from another rule or from none; '' when they are the same."""
    said = []
    for part in ("exists", "training"):
        current = [v for v in finding.versions if v.version.part == part and v.version.current]
        if not current:
            continue
        chosen, mine = finding.chosen.get(part), current[0]
        if chosen is not None and chosen.version.version == mine.version.version:
            continue
        why = (f"the summary's verdict is rule {chosen.version.version}'s" if chosen is not None
               else "no rule has a confirmatory verdict yet")
        said.append(f"{SIDE_NAMES[part]}: rule {mine.version.version} says "
                    f"{mine.decision.verdict} here, exploratory on seed block {mine.block} ({why})")
    if not said:
        return ""
    return ("*Below: the current rule's analysis. " + "; ".join(said)
            + ". Every version's verdict is under Verdict.*")


def without_internal_refs(text):
    """``text`` without issue numbers ('Issue 10 (after …): …' -> 'After …: …')."""
    out = INTERNAL_REF.sub("", text)
    if out == text:
        return text
    out = re.sub(r"\(\s*[:,]\s*", "(", out)                       # '(issue 8: x' -> '(x'
    out = re.sub(r"(^|[.!?]\s+|\n)[,:]\s*", r"\1", out)          # 'Issue 10, before' -> 'before'
    out = re.sub(r"[ \t]{2,}", " ", out)
    out = re.sub(r"[ \t]+([,.;:)])", r"\1", out)
    aside = LEADING_ASIDE.match(out.lstrip())
    if aside:
        out = aside.group(1) + ": " + out.lstrip()[aside.end():]
    out = out.strip(" ")
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), out)


def in_words(value):
    """A rule's number in words: pairs of numbers as a range, mappings as 'a: b'."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and \
            all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return f"{format_value(value[0])} to {format_value(value[1])}"
    return format_value(value)


def identifiers_in_words(text, numbers=None):
    """``text`` with each of ``numbers``' names replaced by its value in words, and every other
    snake_case name by its words ('local_minimum' -> 'local minimum'). Text about an earlier
    rule passes no ``numbers``: today's values may not be the ones it had."""
    numbers = numbers or {}

    def name_to_words(match):
        key = match.group(1)
        return in_words(numbers[key]) if key in numbers else key.replace("_", " ")

    return IDENTIFIER.sub(name_to_words, text)


def rule_steps(rule, numbers):
    """The rule's prose as numbered sentences, each rule number's value in place of its name
    and other identifiers in words ('local_minimum' -> 'local minimum')."""
    text = identifiers_in_words(" ".join(str(rule).split()), numbers)
    steps = [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
    steps = [s if s.endswith((".", "?", "!")) else s + "." for s in steps]
    return "\n".join(f"{i}. {s[:1].upper() + s[1:]}" for i, s in enumerate(steps, 1))


def figure_caption(claim_id, name, captions=None, short=False):
    """What a figure shows and what to look at: ``captions[name]``, a (shows, look) pair from
    the claim file (``engine.figure_captions``; ``short``: what it shows only), else words made
    from its file name ('restarts_success_rate.png' of claim ``restarts`` -> 'success rate')."""
    if name in (captions or {}):
        shows, look = captions[name]
        return shows if short or not look else f"{shows} {look}"
    stem = Path(name).stem
    if stem.startswith(claim_id + "_"):
        stem = stem[len(claim_id) + 1:]
    return stem.replace("_", " ").strip() or Path(name).stem


def details(summary, body):
    """A block collapsed on the page (``<details>``, shown by GitHub and the HTML alike)."""
    return f"<details><summary>{summary}</summary>\n\n{body.strip()}\n\n</details>"


FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
COLLAPSED = re.compile(r"<details>.*?</details>", re.DOTALL)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def word_count(markdown):
    """Words a reader sees of ``markdown``: prose, lists and headings; code blocks, table rows,
    collapsed ``<details>`` blocks and images' alt text (shown only if the image fails) do not
    count."""
    text = IMAGE.sub(" ", COLLAPSED.sub(" ", FENCED.sub(" ", markdown)))
    lines = [line for line in text.split("\n") if not line.lstrip().startswith("|")]
    return len(re.findall(r"[\w’'−-]+", plain_text("\n".join(lines))))


def budget(kind, claims=0):
    """The word budget of a front page (``kind`` "front", with ``claims`` lines) or a claim page."""
    if kind == "front":
        return WORD_BUDGET["front_fixed"] + WORD_BUDGET["front_per_claim"] * claims
    return WORD_BUDGET[kind]


def over_budget(markdown, kind, claims=0):
    """(words, budget) if ``markdown`` has more words than its budget allows, else None."""
    words, allowed = word_count(markdown), budget(kind, claims)
    return (words, allowed) if words > allowed else None


def warn_over_budget(name, markdown, kind, claims=0, stream=None):
    """Say on ``stream`` (stderr) that page ``name`` is over its word budget; True if it is."""
    import sys
    over = over_budget(markdown, kind, claims)
    if over:
        print(f"report: {name} has {over[0]:,} words a reader sees, over its budget of "
              f"{over[1]:,} (report.lines.WORD_BUDGET): shorten its text", file=stream or sys.stderr)
    return bool(over)
