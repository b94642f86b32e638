"""backprop's check as a job: backprop against central differences, reference and training kernels."""
import itertools

import numpy as np

from expressivity.nn import MLP
from expressivity.theory.gradcheck import kink_distance, numeric_gradients, relative_errors
from expressivity.train import accelerator
from expressivity.train.gradients import full_batch_gradients, per_example_gradients
from expressivity.constructions.seeds import generator


def gradient_errors(activations, losses, depths, bias, members, batch, width, inputs, outputs,
                    step, kink_guard, seed):
    """One row per (activation, loss, depth, bias): the largest kept relative error of the
    reference ``MLP`` and of the two training kernels, members kept and set aside.

    Per configuration ``members`` random networks (uniform init, ``width`` units per hidden
    layer, ``inputs`` -> ``outputs``) and a random batch (``batch``, inputs); a network with a
    kink within ``kink_guard`` is set aside. Errors are max |exact - numeric| / max |numeric|
    against central differences with step ``step``; NaN when no network was kept.
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
        rows.append({"activation": activation, "loss": loss, "depth": depth, "bias": has_bias,
                     "max_error": worst(errors), "full_batch_kernel_error": worst(full),
                     "per_example_kernel_error": worst(single),
                     "kept": int(kept.sum()), "set_aside": int((~kept).sum()),
                     "accelerator": accelerator.name()})
    return rows


def kernel_errors(net, X, Y, loss, step):
    """Per member, the training kernels' gradient errors against central differences: two (P,).

    The full-batch kernel's gradient of the mean loss over X (X: (batch, inputs)), and the
    per-example kernel's gradient of the loss on the first row alone, each as
    max |kernel - numeric| / max |numeric| (the reference's measure).
    """
    full = _relative(full_batch_gradients(net, X, Y, loss), numeric_gradients(net, X, Y, loss, step))
    single = _relative(per_example_gradients(net, X[0], Y[0], loss),
                       numeric_gradients(net, X[:1], Y[:1], loss, step))
    return full, single


def _relative(gradients, numeric):
    weights, biases = gradients
    exact = weights + (biases or [])
    diff = np.max([np.abs(e - g).reshape(len(e), -1).max(axis=1) for e, g in zip(exact, numeric)],
                  axis=0)
    size = np.max([np.abs(g).reshape(len(g), -1).max(axis=1) for g in numeric], axis=0)
    return diff / np.maximum(size, 1e-12)
