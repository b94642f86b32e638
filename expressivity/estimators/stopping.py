"""scikit-learn's stopping rule (no improvement for n_iter_no_change epochs), for a whole population."""
import numpy as np


class NoImprovement:
    """scikit-learn's stopping rule, for every member of a population at once.

    Each ``update(epoch, values)`` takes one number per member, where lower is
    better (a loss, or minus a validation score). A member whose value does not
    beat its best so far by more than ``tol`` for more than ``patience``
    consecutive epochs, or is not finite, stops: ``stopped_at`` (P,) is the
    epoch it stopped at, -1 while it goes on. ``improved`` says which members
    set a new best at the last update.
    """

    def __init__(self, members, tol, patience):
        self.tol, self.patience = tol, patience
        self.best = np.full(members, np.inf)
        self.count = np.zeros(members, dtype=int)
        self.stopped_at = np.full(members, -1)
        self.improved = np.zeros(members, dtype=bool)

    def update(self, epoch, values):
        """Members that stop at this epoch: (P,) bool."""
        values = np.asarray(values, dtype=float)
        going = self.stopped_at < 0
        finite = np.isfinite(values)
        self.count = np.where(going & finite & (values > self.best - self.tol), self.count + 1,
                              np.where(going, 0, self.count))
        self.improved = going & finite & (values < self.best)
        self.best = np.where(self.improved, values, self.best)
        stop = going & ((self.count > self.patience) | ~finite)
        self.stopped_at[stop] = epoch
        return stop
