"""The report's fixed words: its title, what each verdict word means, the overall rule.

Kept apart from the page builders so that the front page and the claim pages
read them without importing each other.
"""
from expressivity.claims.contract import AWAITING, BUDGET, NOT_TESTED, VERIFIED

TITLE = "Does the essay hold up? Its claims, tested"
VERDICT_MEANING = {
    "supported": "the data meet the rule's condition for the claim",
    "refuted": "the data meet the rule's condition against the claim",
    "mixed": "the claim holds in some conditions and not in others",
    "inconclusive": "the data could not decide, or the analysis or a sweep failed "
                    "(the claim's section says which)",
    VERIFIED: "a construction or exact computation met the rule; only a bug could have failed it",
    BUDGET: "the deciding number was still moving at the largest budget run",
    AWAITING: "no rule registered before its seed block was first run has decided it yet "
              "(the claim page shows the exploratory verdicts)",
    NOT_TESTED: "this side of the claim is not tested here",
}
OVERALL_RULE = ("The overall verdict combines the two sides by a fixed rule: a side not tested does "
                "not count; two tested sides that agree give their verdict; if either is "
                "inconclusive the claim is; otherwise they disagree and the claim is mixed.")


def short(commit):
    """The first 12 hex digits of a commit, keeping a '+ uncommitted changes' note."""
    return commit[:12] + commit[40:] if commit else "unknown"
