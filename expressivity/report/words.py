"""The report's fixed words: its title, what each verdict word means, the overall rule.

Kept apart from the page builders so that the front page and the claim pages
read them without importing each other.
"""
from expressivity.claims.contract import NOT_TESTED

TITLE = "Does the essay hold up? Its claims, tested"
VERDICT_MEANING = {
    "supported": "the data meet the rule's condition for the claim",
    "refuted": "the data meet the rule's condition against the claim",
    "mixed": "the claim holds in some conditions and not in others",
    "inconclusive": "the data could not decide, or the analysis or a sweep failed "
                    "(the claim's section says which)",
    NOT_TESTED: "this side of the claim is not tested here",
}
OVERALL_RULE = ("The overall verdict combines the two sides by a fixed rule: a side not tested does "
                "not count; two tested sides that agree give their verdict; if either is "
                "inconclusive the claim is; otherwise they disagree and the claim is mixed.")


def short(commit):
    """The first 12 hex digits of a commit, keeping a '+ uncommitted changes' note."""
    return commit[:12] + commit[40:] if commit else "unknown"
