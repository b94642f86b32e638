"""The epoch loop for one chunk of members: steps, stopping rules, curves."""
import numpy as np

from .folded import Folded, with_ones
from .outcome import TrainOutcome
from .per_example import PerExample
from .schedules import SCHEDULES

# Data orders are drawn up to this many epochs at a time per member (fewer when
# a chunk's keys would pass ORDER_KEYS_MAX numbers). A member's generator
# fills its keys in sequence, so its orders are the same whatever the block
# size or the chunk it is in.
ORDER_BLOCK = 16
ORDER_KEYS_MAX = 2 ** 21


def train_chunk(net, X, Y, s, rngs, threshold):
    """Train the members of ``net`` (an ``MLP``) in place; their ``TrainOutcome``."""
    P, B = net.population, X.shape[0]
    kernel = Folded(net.weights, net.biases, net.activations)
    inputs = with_ones(X) if kernel.bias else X          # (B, n_in [+1])
    inputs_t = np.ascontiguousarray(inputs.T)            # shared by every member
    targets_t = np.ascontiguousarray(Y.T)                # (n_out, B)
    active = np.ones(P, dtype=bool)
    state = {"fit_epoch": np.full(P, -1), "diverged": np.zeros(P, bool),
             "converged": np.zeros(P, bool)}
    full_batch = s.batch_size == 0 or s.batch_size >= B
    stepper = PerExample(kernel) if not full_batch and s.batch_size == 1 else None
    curve, grad_norm_init, orders, drawn_at = [], None, None, 0
    per_draw = max(1, min(ORDER_BLOCK, ORDER_KEYS_MAX // (P * B)))
    grid = _curve_grid(s.max_epochs, s.record_every)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(s.max_epochs + 1):
            if stepper is not None and epoch > 0:
                stepper.to_folded()
            gradients = full_batch or grad_norm_init is None
            passed = kernel.run(inputs_t, targets_t, s.loss, gradients, threshold)
            loss = passed["loss"]
            if grad_norm_init is None:
                grad_norm_init = kernel.weight_grad_norms()
            _update_state(passed.get("fits"), loss, epoch, active, state, s)
            if epoch == s.max_epochs or not active.any():
                # Frozen members no longer move: their loss holds for the rest of the grid.
                curve += [loss.copy()] * (len(grid) - len(curve))
                break
            if epoch in grid:
                curve.append(loss.copy())
            lr = SCHEDULES[s.schedule](s.lr, epoch, s.tau, s.gamma, s.step_every)
            scale = lr * active
            if full_batch:
                kernel.step(scale, active, s.momentum)
                continue
            if orders is None or epoch - drawn_at == orders.shape[1]:
                orders, drawn_at = _data_orders(rngs, B, per_draw), epoch
            order = orders[:, epoch - drawn_at]
            if stepper is not None:
                for i in range(B):
                    stepper.step(order[:, i], inputs_t, targets_t, scale, active, s.loss,
                                 s.momentum)
                continue
            for i in range(0, B, s.batch_size):
                idx = order[:, i:i + s.batch_size]
                kernel.run(np.swapaxes(inputs[idx], 1, 2), np.swapaxes(Y[idx], 1, 2), s.loss)
                kernel.step(scale, active, s.momentum)
        if stepper is not None:
            stepper.to_folded()
        final = kernel.run(inputs_t, targets_t, s.loss, True, threshold, summary=True)
        grad_norm_final = kernel.weight_grad_norms()
    net.weights, net.biases = kernel.unfold()
    fitted = final["fits"] & np.isfinite(final["loss"]) if threshold is not None else \
        np.zeros(P, bool)
    return TrainOutcome(final_loss=final["loss"], max_error=final["max_error"],
                        accuracy=final["accuracy"], fitted=fitted,
                        fit_epoch=state["fit_epoch"], diverged=state["diverged"],
                        converged=state["converged"], curve_epochs=np.array(sorted(grid)),
                        curve=np.array(curve), grad_norm_init=grad_norm_init,
                        grad_norm_final=grad_norm_final)


def _data_orders(rngs, B, epochs):
    """(P, epochs, B) permutations, each member's from its own generator."""
    keys = np.stack([r.random((epochs, B)) for r in rngs])
    return keys.argsort(axis=-1, kind="stable")


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
