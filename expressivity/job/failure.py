"""What a training job's numbers mean when no restart fitted, and which keys to try.

``explain_failure(record)`` reads a job record (its config, summary and every
member's final loss and gradient norms) and says, in one sentence, which of
three common endings it was, with the config keys worth changing:

- diverged: the loss of most restarts stopped being finite (the step is too large);
- plateau: the best loss sits at the loss of the best *constant* output (for the
  squared loss the targets' variance, 0.25 on a balanced truth table): the net
  says the same thing for every input;
- saturated: the final gradient is vanishingly small while the loss is still
  high (sigmoid units pinned at 0 or 1, or dead ReLUs);

or, failing those, that the loss had not yet come down to the constant output's, or was
below it and still moving when the epoch budget ran out.
The sentence goes beside the job's summary line (``joblog.log_job_end``).
"""
import math

import numpy as np

# The best loss is "at" the constant predictor's loss within this relative distance.
PLATEAU_TOLERANCE = 0.02
# A final gradient norm (summed over layers) below this counts as vanished.
VANISHED_GRADIENT = 1e-6


def constant_loss(Y, loss):
    """The lowest loss of a net that outputs one constant vector for every row of ``Y``
    (per row summed over outputs, averaged over rows): the mean for squared error, the
    median for absolute error, the rate of ones for cross-entropy."""
    Y = np.asarray(Y, dtype=float).reshape(len(Y), -1)
    if loss == "absolute":
        return float(np.abs(Y - np.median(Y, axis=0)).sum(axis=1).mean())
    if loss == "bce":
        p = np.clip(Y.mean(axis=0), 1e-12, 1 - 1e-12)
        return float(-(Y * np.log(p) + (1 - Y) * np.log(1 - p)).sum(axis=1).mean())
    return float(((Y - Y.mean(axis=0)) ** 2).sum(axis=1).mean())


def record_constant_loss(record):
    """``constant_loss`` of the record's task and loss, or None when the task cannot be
    rebuilt here (a construction job, an unknown task)."""
    config = record.get("config") or {}
    task, trainer = config.get("task"), config.get("trainer") or {}
    if not task or "rows" in record:
        return None
    try:
        from expressivity.tasks import make_task
        built = make_task(**task)
    except Exception:   # a task this cannot rebuild: say nothing rather than guess
        return None
    return constant_loss(built.Y, trainer.get("loss", "squared"))


def members_of(record):
    """Every member's final loss and final gradient norm (summed over layers), all probes."""
    losses, grads = [], []
    for probe in record.get("probes", []):
        members = probe.get("members") or {}
        losses += list(members.get("final_loss") or [])
        for norms in members.get("grad_norm_final") or []:
            grads.append(sum(norms) if isinstance(norms, list) else norms)
    return np.array(losses, dtype=float), np.array(grads, dtype=float)


def explain_failure(record, constant=None):
    """One sentence saying what a job that fitted no restart ended in, with keys to try;
    None when the job fitted (or is not a boolean training job)."""
    summary = record.get("summary") or {}
    if "rows" in record or summary.get("success_rate") is None or summary["success_rate"] > 0 \
            or not (record.get("task") or {}).get("boolean", True):
        return None
    config = record.get("config") or {}
    trainer = config.get("trainer") or {}
    lr, epochs = trainer.get("lr"), trainer.get("max_epochs")
    if (summary.get("diverged_rate") or 0) >= 0.5:
        return (f"{summary['diverged_rate']:.0%} of restarts diverged (their loss stopped being "
                f"finite): the step trainer.lr={lr} is too large for this net; try a smaller "
                "trainer.lr (or trainer.schedule=inverse_time)")
    constant = record_constant_loss(record) if constant is None else constant
    best = summary.get("best_loss")
    if best is not None and constant and math.isfinite(best) and \
            abs(best - constant) <= PLATEAU_TOLERANCE * constant:
        return (f"best_loss={best:.4g} is the loss of a constant output ({constant:.4g}): every "
                "restart still says the same thing for every input, on the plateau around the "
                f"constant predictor; try a larger trainer.lr (now {lr}), model.width, "
                f"trainer.restarts or trainer.max_epochs (now {epochs})")
    losses, grads = members_of(record)
    if len(grads) and len(losses) == len(grads):
        stuck = (grads < VANISHED_GRADIENT) & np.isfinite(losses)
        if stuck.mean() >= 0.5:
            return (f"{stuck.mean():.0%} of restarts ended with a vanished gradient (norm below "
                    f"{VANISHED_GRADIENT:g}) at a loss that does not fit: saturated units "
                    "(sigmoids pinned at 0 or 1, dead ReLUs); try model.init, a smaller "
                    "model.init_scale, trainer.loss=bce or model.activation")
    if best is not None and constant and math.isfinite(best) and best > constant:
        return (f"best_loss={best:.4g} is above even the loss of a constant output "
                f"({constant:.4g}): within trainer.max_epochs={epochs} no restart got as far as "
                "outputting the targets' average; try trainer.max_epochs, a larger trainer.lr "
                f"(now {lr}) or trainer.restarts")
    return (f"no restart fitted within trainer.max_epochs={epochs}, though the loss went "
            f"below the constant output's{'' if constant is None else f' ({constant:.4g})'}: "
            "training was still moving; try trainer.max_epochs, trainer.lr or trainer.restarts")
