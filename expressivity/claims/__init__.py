"""One module per claim: tidy table -> figures + ``Finding``. ``CLAIMS`` lists them in report order."""
from .base import VERDICTS, Finding, load_claim

# Claim ids in report order; each has expressivity/claims/<id>.py and experiments/<id>.yaml.
CLAIMS = ["depth_vs_width", "activation", "loss", "restarts"]

__all__ = ["CLAIMS", "VERDICTS", "Finding", "load_claim"]
