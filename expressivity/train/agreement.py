"""Do the fast kernels compute what ``nn`` (the one home of the math) says?

``nn.activations`` holds each activation's value and derivative and
``nn.losses`` each loss's; the NumPy kernels (``train.inplace``) call them,
and the compiled accelerator (``train.compiled``) repeats them in fused
loops. ``disagreements`` evaluates every kernel in use on a grid of
pre-activations (both signs, zero, large magnitudes) and lists those that
differ from ``nn`` by more than ``tol``: a kernel or an ``nn`` function
changed alone shows up here (tests run it with and without the accelerator).
"""
import numpy as np

from expressivity.nn import activations as nn_activations
from expressivity.nn import losses as nn_losses
from expressivity.train import accelerator
from expressivity.train.accelerator import kernels
from expressivity.train.inplace import Work

# Pre-activations checked: a dense grid, exact zeros and values where f saturates.
GRID = np.concatenate([np.linspace(-8, 8, 161), [0.0, -0.0, 1e-9, -1e-9, 40.0, -40.0]])


def _layers(dtype):
    """z as a (2, 3, n) array and a strided view of it, the layouts the kernels see."""
    rng = np.random.default_rng(0)
    z = np.stack([GRID * s for s in rng.uniform(0.5, 1.5, 6)]).reshape(2, 3, -1).astype(dtype)
    padded = np.zeros((2, 4, z.shape[-1]), dtype)
    padded[:, :3] = z
    return [z, padded[:, :3]]


def disagreements(dtype=np.float64, tol=1e-12):
    """One line per kernel (of the accelerator in use) that disagrees with ``nn``; [] if none.

    ``tol`` is the largest absolute difference allowed, relative to max(1, |value|).
    """
    forward, from_half, times_derivative = kernels()
    found = []
    for z in _layers(dtype):
        for name in forward:
            want = nn_activations.ACTIVATIONS[name](np.array(z))
            a, work = np.empty_like(z), Work(z.shape, z.dtype)
            forward[name](z, a, work)
            found += _compare(f"forward {name}", a, want, tol)
            if name in from_half:
                half = np.empty_like(z)
                from_half[name](np.array(z) * 0.5, half, work)
                found += _compare(f"from-half {name}", half, want, tol)
            delta = np.cos(7 * np.array(z)) + 2            # any nonzero upstream error
            expected = delta * nn_activations.DERIVATIVES[name](np.array(z), want)
            times_derivative[name](delta, z, want, work)
            found += _compare(f"times-derivative {name}", delta, expected, tol)
    fast = accelerator.compiled()
    if fast is not None:
        found += _per_example_losses()
    return found


def _per_example_losses():
    """The compiled per-example kernel's loss derivatives against ``nn.losses``."""
    from expressivity.train import per_example_compiled as pe
    found = []
    if pe.BCE_EPS != nn_losses.BCE_EPS:
        found.append(f"per-example kernel BCE_EPS {pe.BCE_EPS} != nn.losses.BCE_EPS")
    if pe.loss_code("bce", "sigmoid") != pe.FUSED_BCE or pe.loss_code("bce", "tanh") == pe.FUSED_BCE:
        found.append("per-example kernel fuses a different (loss, output) set than nn.losses.fused")
    p = nn_activations.ACTIVATIONS["sigmoid"](GRID)
    for t in (0.0, 1.0):
        got = np.array([pe._loss_derivative(pe.FUSED_BCE, x, t) for x in p])
        found += _compare(f"fused bce delta, y={t:g}", got, nn_losses.bce_logit_delta(p, t), 0)
        for name, code in pe.LOSS_CODES.items():
            got = np.array([pe._loss_derivative(code, x, t) for x in p])
            found += _compare(f"loss derivative {name}, y={t:g}", got,
                              nn_losses.LOSS_DERIVATIVES[name](p, t), 1e-12)
    return found


def _compare(what, got, want, tol):
    with np.errstate(invalid="ignore"):
        gap = np.abs(got - want) / np.maximum(1, np.abs(want))
    bad = ~((gap <= tol) | (np.isnan(got) & np.isnan(want)))
    if not bad.any():
        return []
    return [f"{what} ({accelerator.name()}): differs from nn by up to {np.nanmax(gap):.3g} "
            f"at {int(bad.sum())} of {bad.size} points"]
