"""backprop's check as a job: backprop against central differences, reference and training kernels."""
import itertools

import numpy as np

from expressivity.nn import MLP
from expressivity.theory.gradcheck import compare, kink_distance, numeric_gradients, relative_errors
from expressivity.train import accelerator
from expressivity.train.gradients import full_batch_gradients, per_example_gradients
from expressivity.constructions.seeds import generator


def gradient_errors(activations, losses, depths, bias, members, batch, width, inputs, outputs,
                    step, kink_guard, seed, per_matrix=False, matrix_floor=None):
    """One row per (activation, loss, depth, bias): the largest kept relative error of the
    reference ``MLP`` and of the two training kernels, members kept and set aside.

    Per configuration ``members`` random networks (uniform init, ``width`` units per hidden
    layer, ``inputs`` -> ``outputs``) and a random batch (``batch``, inputs); a network with a
    kink within ``kink_guard`` is set aside. Errors are max |exact - numeric| / max |numeric|
    against central differences with step ``step``; NaN when no network was kept.
    ``per_matrix`` (issue 19) adds the same three errors with each weight matrix and bias
    vector normalised by its own max |numeric| (columns ``*_per_matrix``); ``matrix_floor``
    (rule v4) adds them once more with that floor under each denominator (columns
    ``*_per_matrix_floored``; ``theory.gradcheck.compare``).
    """
    rows = []
    for activation, loss, depth, has_bias in itertools.product(activations, losses, depths, bias):
        rng = generator(seed, activation, loss, depth, has_bias)
        sizes = (inputs, *[width] * depth, outputs)
        output = "sigmoid" if loss == "bce" else activation   # bce needs outputs in (0, 1)
        net = MLP.init(sizes, [activation] * depth + [output], population=members,
                       init="uniform", bias=has_bias, rng=rng)
        X = rng.normal(size=(batch, inputs))
        Y = rng.uniform(0.05, 0.95, size=(batch, outputs))
        errors = relative_errors(net, X, Y, loss, h=step)
        kept = kink_distance(net, X, Y, loss) > kink_guard   # row 0's kinks included
        full, single = kernel_errors(net, X, Y, loss, step)
        worst = lambda e: float(e[kept].max()) if kept.any() else np.nan
        row = {"activation": activation, "loss": loss, "depth": depth, "bias": has_bias,
               "max_error": worst(errors), "full_batch_kernel_error": worst(full),
               "per_example_kernel_error": worst(single),
               "kept": int(kept.sum()), "set_aside": int((~kept).sum()),
               "accelerator": accelerator.name()}
        if per_matrix:
            full, single = kernel_errors(net, X, Y, loss, step, per_matrix=True)
            row.update(max_error_per_matrix=worst(relative_errors(net, X, Y, loss, h=step,
                                                                  per_matrix=True)),
                       full_batch_kernel_error_per_matrix=worst(full),
                       per_example_kernel_error_per_matrix=worst(single))
        if per_matrix and matrix_floor is not None:
            full, single = kernel_errors(net, X, Y, loss, step, per_matrix=True, floor=matrix_floor)
            row.update(max_error_per_matrix_floored=worst(relative_errors(
                           net, X, Y, loss, h=step, per_matrix=True, floor=matrix_floor)),
                       full_batch_kernel_error_per_matrix_floored=worst(full),
                       per_example_kernel_error_per_matrix_floored=worst(single))
        rows.append(row)
    return rows


def kernel_errors(net, X, Y, loss, step, per_matrix=False, floor=1e-12):
    """Per member, the training kernels' gradient errors against central differences: two (P,).

    The full-batch kernel's gradient of the mean loss over X (X: (batch, inputs)), and the
    per-example kernel's gradient of the loss on the first row alone, each as
    max |kernel - numeric| / max |numeric| (the reference's measure).
    """
    full = _relative(full_batch_gradients(net, X, Y, loss), numeric_gradients(net, X, Y, loss, step),
                     per_matrix, floor)
    single = _relative(per_example_gradients(net, X[0], Y[0], loss),
                       numeric_gradients(net, X[:1], Y[:1], loss, step), per_matrix, floor)
    return full, single


def _relative(gradients, numeric, per_matrix=False, floor=1e-12):
    weights, biases = gradients
    return compare(weights + (biases or []), numeric, per_matrix, floor)
