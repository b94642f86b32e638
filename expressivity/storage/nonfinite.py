"""NaN and infinite losses in records: counted, named in the report, flagged on the claim.

A member whose loss became NaN or infinite is stored with a null loss and
``diverged: true`` (``divergence.py``). ``results.load_results`` counts them
per job (``Results.nonfinite``); a claim whose data holds any gets a caveat
saying how many, and the report's provenance lists the jobs.
"""
import dataclasses

LISTED = 20   # job folders named in the provenance; the rest are counted


def nonfinite_text(nonfinite):
    """One sentence for [(job folder, members)], or '' when there are none."""
    if not nonfinite:
        return ""
    members = sum(count for _, count in nonfinite)
    return (f"{members} member(s) in {len(nonfinite)} job record(s) have a NaN or infinite "
            "loss (stored as null, counted as diverged)")


def with_nonfinite_caveat(finding, results):
    """``finding`` with a caveat added when ``results`` holds non-finite losses."""
    text = nonfinite_text(getattr(results, "nonfinite", []))
    if not text:
        return finding
    return dataclasses.replace(finding, caveats=[*finding.caveats, text + "; the verdict "
                                                 "counts them as failures."])


def provenance_lines(nonfinite):
    """Markdown for the report's provenance: the count and the jobs, or a plain 'none'."""
    if not nonfinite:
        return "Non-finite losses (NaN/inf) in the records: none."
    lines = [f"Non-finite losses (NaN/inf) in the records: {nonfinite_text(nonfinite)}:"]
    lines += [f"- `{job}`: {count}" for job, count in nonfinite[:LISTED]]
    if len(nonfinite) > LISTED:
        lines.append(f"- … and {len(nonfinite) - LISTED} more job(s)")
    return "\n".join(lines)
