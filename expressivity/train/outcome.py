"""What training leaves behind for each member, and how a fit is judged."""
from dataclasses import dataclass

import numpy as np


@dataclass
class TrainOutcome:
    """Per-member results of one training run (P members, L layers, T curve points).

    final_loss, accuracy : (P,) float; accuracy is NaN for continuous tasks
    max_error : (P,) float, the largest |ŷ - y| over all rows and outputs (sup error)
    fitted, diverged, converged : (P,) bool
    fit_epoch : (P,) int, epochs trained when the truth table was first fitted, -1 if never
    curve_epochs : (T,) int; curve : (T, P) full-batch loss at those epochs
    grad_norm_init, grad_norm_final : (L, P) Frobenius norm of ∂L/∂W per layer
    """
    final_loss: np.ndarray
    max_error: np.ndarray
    accuracy: np.ndarray
    fitted: np.ndarray
    fit_epoch: np.ndarray
    diverged: np.ndarray
    converged: np.ndarray
    curve_epochs: np.ndarray
    curve: np.ndarray
    grad_norm_init: np.ndarray
    grad_norm_final: np.ndarray


# An output counts as on one side of the threshold only if it clears it by more
# than this: outputs that sit on the threshold up to rounding (a linear net's
# constant 0.5 on XOR, a bias-free net's 0 at the origin) are ties, not fits.
FIT_MARGIN = 1e-6


def correct_rows(output, truth, threshold):
    """Bool array shaped like ``output``: True where the output lies on the side of
    ``threshold`` that ``truth`` (targets > threshold) asks for, by more than FIT_MARGIN."""
    return np.where(truth, output > threshold + FIT_MARGIN, output < threshold - FIT_MARGIN)


def evaluate(net, X, Y, loss, threshold):
    """Full-batch loss (P,), accuracy (P,) and exact fit (P,) of every member."""
    with np.errstate(over="ignore", invalid="ignore"):
        value = net.loss(X, Y, loss)
        output = net.layer_outputs[-1]
        max_error = np.abs(output - Y).max(axis=(1, 2))
    if threshold is None:
        nan = np.full(net.population, np.nan)
        return {"loss": value, "max_error": max_error, "accuracy": nan,
                "fitted": np.zeros(net.population, bool)}
    right = correct_rows(output, Y > threshold, threshold)
    return {"loss": value, "max_error": max_error, "accuracy": right.mean(axis=(1, 2)),
            "fitted": right.all(axis=(1, 2)) & np.isfinite(value)}


def merge_outcomes(parts):
    """Join chunk outcomes along the member axis (all share one curve grid)."""
    def join(name, axis=0):
        return np.concatenate([getattr(p, name) for p in parts], axis=axis)
    return TrainOutcome(
        final_loss=join("final_loss"), max_error=join("max_error"), accuracy=join("accuracy"), fitted=join("fitted"),
        fit_epoch=join("fit_epoch"), diverged=join("diverged"), converged=join("converged"),
        curve_epochs=parts[0].curve_epochs, curve=join("curve", 1),
        grad_norm_init=join("grad_norm_init", 1), grad_norm_final=join("grad_norm_final", 1))
