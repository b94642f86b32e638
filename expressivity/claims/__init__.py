"""One module per claim: tidy table -> figures + ``Finding``. ``CLAIMS`` lists them in report order."""
from .base import VERDICTS, Finding, load_claim

# Claim ids in report order; each has expressivity/claims/<id>.py and expressivity/conf/experiment/<id>.yaml.
CLAIMS = ["depth_vs_width", "activation", "loss", "restarts"]

__all__ = ["CLAIMS", "VERDICTS", "Finding", "load_claim"]

# Claims beyond the four main sweeps (issue 4): exact constructions, counting and
# approximation, reported after them. Kept as a separate list so that the main
# claims can be added to CLAIMS above without touching these lines.
THEORY_CLAIMS = ["backprop", "linear", "universality", "counting", "approximation", "product",
                 "bias", "stepsize"]
CLAIMS.extend(THEORY_CLAIMS)
