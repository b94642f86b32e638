"""The epoch loop for one chunk of members: steps, stopping rules, curves.

Members that stop (exact fit, divergence, loss target) are frozen; once half
of the members still being computed are frozen, the computation is cut down
to the others (``Live.shrink``). A member's numbers never depend on which
members share its computation, so this changes nothing but the time.
"""
import numpy as np

from expressivity.train.folded import Folded, with_ones
from expressivity.train.outcome import TrainOutcome
from expressivity.train.per_example import PerExample
from expressivity.train.schedules import SCHEDULES

# Data orders are drawn up to this many epochs at a time per member (fewer when
# a chunk's keys would pass ORDER_KEYS_MAX numbers). A member's generator
# fills its keys in sequence, so its orders are the same whatever the block
# size or the chunk it is in.
ORDER_BLOCK = 16
ORDER_KEYS_MAX = 2 ** 21


class Live:
    """The members still computed: their kernel, per-example stepper and data orders."""

    def __init__(self, master, per_example, rngs):
        self.master, self.index, self.rngs = master, np.arange(master.size), rngs
        self.kernel = master
        self.stepper = PerExample(master) if per_example else None
        self.orders, self.drawn_at = None, 0

    def shrink(self, keep):
        """Compute only the members where ``keep`` (over the live ones) is True from now on."""
        if self.kernel is not self.master:
            self.master.put(self.index, self.kernel)
        old = self.kernel
        self.kernel = old.subset(keep)
        if self.stepper is not None:
            self.stepper = self.stepper.subset(self.kernel, keep)
        if self.orders is not None:
            self.orders = self.orders[keep]
        self.index = self.index[keep]
        self.rngs = None if self.rngs is None else [r for r, k in zip(self.rngs, keep) if k]

    def order(self, epoch, rows, per_draw):
        """(live members, rows) data order of this epoch."""
        if self.orders is None or epoch - self.drawn_at == self.orders.shape[1]:
            self.orders, self.drawn_at = _data_orders(self.rngs, rows, per_draw), epoch
        return self.orders[:, epoch - self.drawn_at]

    def finish(self):
        """Every member's final parameters in ``master``."""
        if self.stepper is not None:
            self.stepper.to_folded()
        if self.kernel is not self.master:
            self.master.put(self.index, self.kernel)
        return self.master


def train_chunk(net, X, Y, s, rngs, threshold, report=None, monitor=None):
    """Train the members of ``net`` (an ``MLP``) in place; their ``TrainOutcome``.

    ``report(epoch, fitted, finished)``, if given, is called at every stored curve point
    and at the end with the members fitted so far (it changes nothing computed).
    ``monitor(epoch, loss, live)``, if given, is called every epoch after the stopping
    rules with the chunk's full-batch ``loss`` (P,) and a function ``live()`` returning
    (index, weights, biases) of the members still computed; it returns a bool array (P,)
    of members to freeze from now on, or None (a stopping rule of the caller's own).
    """
    P, B = net.population, X.shape[0]
    master = _kernel(s.backend)(net.weights, net.biases, net.activations)
    inputs = with_ones(X) if master.bias else X          # (B, n_in [+1])
    inputs_t = np.ascontiguousarray(inputs.T)            # shared by every member
    targets_t = np.ascontiguousarray(Y.T)                # (n_out, B)
    active = np.ones(P, dtype=bool)
    state = {"fit_epoch": np.full(P, -1), "diverged": np.zeros(P, bool),
             "converged": np.zeros(P, bool), "loss": np.empty(P, master.dtype),
             "fits": None if threshold is None else np.zeros(P, bool)}
    full_batch = s.batch_size == 0 or s.batch_size >= B
    live = Live(master, not full_batch and s.batch_size == 1, rngs)
    curve, grad_norm_init = [], None
    per_draw = max(1, min(ORDER_BLOCK, ORDER_KEYS_MAX // (P * B)))
    grid = _curve_grid(s.max_epochs, s.record_every)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(s.max_epochs + 1):
            if live.stepper is not None and epoch > 0:
                live.stepper.to_folded()
            passed = live.kernel.run(inputs_t, targets_t, s.loss,
                                     full_batch or grad_norm_init is None, threshold)
            _gather(state, live.index, passed)
            if grad_norm_init is None:
                grad_norm_init = live.kernel.weight_grad_norms()
            _update_state(state["fits"], state["loss"], epoch, active, state, s)
            if monitor is not None:
                stop = monitor(epoch, state["loss"], lambda: (live.index, *live.kernel.unfold()))
                if stop is not None:
                    active &= ~np.asarray(stop, dtype=bool)
            if epoch == s.max_epochs or not active.any():
                # Frozen members no longer move: their loss holds for the rest of the grid.
                curve += [state["loss"].copy()] * (len(grid) - len(curve))
                break
            if epoch in grid:
                curve.append(state["loss"].copy())
                if report is not None:
                    report(epoch, int((state["fit_epoch"] >= 0).sum()), False)
            if 2 * active[live.index].sum() <= len(live.index):
                live.shrink(active[live.index])
            lr = SCHEDULES[s.schedule](s.lr, epoch, s.tau, s.gamma, s.step_every)
            _epoch_steps(live, s, full_batch, (lr * active)[live.index], active[live.index],
                         live.order(epoch, B, per_draw) if not full_batch else None,
                         inputs, inputs_t, Y, targets_t)
        master = live.finish()
        if report is not None:
            report(epoch, int((state["fit_epoch"] >= 0).sum()), True)
        final = master.run(inputs_t, targets_t, s.loss, True, threshold, summary=True)
        grad_norm_final = master.weight_grad_norms()
    net.weights, net.biases = master.unfold()
    fitted = final["fits"] & np.isfinite(final["loss"]) if threshold is not None else \
        np.zeros(P, bool)
    return TrainOutcome(final_loss=final["loss"], max_error=final["max_error"],
                        accuracy=final["accuracy"], fitted=fitted,
                        fit_epoch=state["fit_epoch"], diverged=state["diverged"],
                        converged=state["converged"], curve_epochs=np.array(sorted(grid)),
                        curve=np.array(curve), grad_norm_init=grad_norm_init,
                        grad_norm_final=grad_norm_final)


def _kernel(backend):
    """The population kernel class of ``trainer.backend`` (checked in ``train.sgd.train``)."""
    if backend == "torch":
        from expressivity.train.torch_kernel import TorchFolded
        return TorchFolded
    return Folded


def _gather(state, index, passed):
    """Put the live members' loss (and fit) into the chunk's; frozen members keep theirs."""
    state["loss"][index] = passed["loss"]
    if state["fits"] is not None:
        state["fits"][:] = False
        state["fits"][index] = passed["fits"]


def _epoch_steps(live, s, full_batch, scale, keep, order, inputs, inputs_t, Y, targets_t):
    """One epoch of SGD steps for the live members (``scale`` is 0 for frozen ones)."""
    if full_batch:
        live.kernel.step(scale, keep, s.momentum)
    elif live.stepper is not None:
        live.stepper.epoch(order, inputs_t, targets_t, scale, keep, s.loss, s.momentum)
    else:
        for i in range(0, inputs.shape[0], s.batch_size):
            idx = order[:, i:i + s.batch_size]
            live.kernel.run(np.swapaxes(inputs[idx], 1, 2), np.swapaxes(Y[idx], 1, 2), s.loss)
            live.kernel.step(scale, keep, s.momentum)


def _data_orders(rngs, B, epochs):
    """(P, epochs, B) permutations, each member's from its own generator."""
    return stable_argsort(np.stack([r.random((epochs, B)) for r in rngs]))


def stable_argsort(keys):
    """``keys.argsort(axis=-1, kind="stable")``, three times faster on this machine's SIMD sort.

    Without ties the permutation that sorts a row is unique, so the quicksort argsort is the
    stable one; a tie (two equal random keys: about 4e-12 per row of 256) is looked for in the
    sorted keys, and then the stable sort runs after all.
    """
    order = keys.argsort(axis=-1, kind="quicksort")
    values = np.sort(keys, axis=-1)
    if (values[..., 1:] == values[..., :-1]).any():
        return keys.argsort(axis=-1, kind="stable")
    return order


def _curve_grid(max_epochs, every):
    """Epochs at which the loss curve is recorded: 0, every, 2·every, …, and the last."""
    return set(range(0, max_epochs + 1, max(1, every))) | {max_epochs}
def _update_state(fits, loss, epoch, active, state, s):
    """Freeze members that diverged, fit the truth table exactly, or reached ``tol``.

    ``fits`` (P,) says which members' outputs all fall on the right side of the
    threshold, or is None for a task without one.
    """
    bad = active & ~np.isfinite(loss)
    state["diverged"] |= bad
    active &= ~bad
    if fits is not None:
        new = active & fits & (state["fit_epoch"] < 0)
        state["fit_epoch"][new] = epoch
        if s.stop_on_fit:
            active &= ~fits
    if s.tol > 0:
        done = active & (loss <= s.tol)
        state["converged"] |= done
        active &= ~done
