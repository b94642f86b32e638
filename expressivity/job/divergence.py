"""When a member counts as diverged: a bound set from its own initial loss.

The trainer (``train.chunk``) stops a member whose loss becomes NaN or
infinite. A loss can also grow to 1e281 and stay finite; that member has
diverged too. The rule, applied to every record (``runner.probe_record``):

    a member is diverged if its loss was ever non-finite, or if any recorded
    loss (the curve every ``trainer.record_every`` epochs, and the final loss)
    exceeds  DIVERGENCE_FACTOR x initial loss + DIVERGENCE_OFFSET
    = 1e6 x L(epoch 0) + 1e6.

The offset keeps the bound meaningful for a member whose initial loss is 0;
the factor leaves a million-fold rise (far beyond any transient of stable
training in this project) before a member is called diverged.
"""
import numpy as np

DIVERGENCE_FACTOR = 1e6
DIVERGENCE_OFFSET = 1e6


def divergence_bound(initial_loss):
    """(P,) the largest loss a member may reach before it counts as diverged."""
    return DIVERGENCE_FACTOR * np.abs(np.asarray(initial_loss, dtype=float)) + DIVERGENCE_OFFSET


def diverged_members(curve, final_loss, flagged):
    """(P,) bool: flagged by the trainer (NaN/inf), or over the bound at any recorded point.

    Parameters
    ----------
    curve : (T, P) recorded losses, row 0 at epoch 0
    final_loss : (P,) loss after training
    flagged : (P,) bool, the trainer's non-finite flags
    """
    curve = np.asarray(curve, dtype=float)
    final = np.asarray(final_loss, dtype=float)
    flagged = np.asarray(flagged, dtype=bool)
    if curve.size == 0:
        return flagged | ~np.isfinite(final)
    bound = divergence_bound(curve[0])
    losses = np.vstack([curve, final[None, :]])
    with np.errstate(invalid="ignore"):
        over = ~(losses <= bound).all(axis=0)     # NaN compares False: counted as over
    return flagged | over | ~np.isfinite(curve[0])
