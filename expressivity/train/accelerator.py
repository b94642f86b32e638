"""Which kernels train: the NumPy reference, or the compiled accelerator when it is installed.

The accelerator (Numba, ``pip install numba`` or the ``fast`` extra) compiles
the elementwise passes of the full-batch kernel and the whole per-example
epoch; the NumPy kernels stay the reference and the fallback. Tests check that
both give the same numbers to 1e-12 (float64); last bits may differ, so a run
records which one trained it (see ``name``).

Environment variable ``EXPRESSIVITY_ACCELERATOR``: ``auto`` (default: Numba
when importable), ``numba`` (an error if it is not installed) or ``numpy``.
"""
import importlib.util
import os

from expressivity.train import inplace

VARIABLE = "EXPRESSIVITY_ACCELERATOR"
CHOICES = ("auto", "numba", "numpy")


def numba_installed():
    return importlib.util.find_spec("numba") is not None


def name():
    """``"numba"`` or ``"numpy"``: the kernels that train in this process now."""
    value = os.environ.get(VARIABLE, "auto").strip().lower() or "auto"
    if value not in CHOICES:
        raise ValueError(f"{VARIABLE}={value!r} is not known; allowed: {', '.join(CHOICES)}")
    if value == "numba" and not numba_installed():
        raise ValueError(f"{VARIABLE}=numba but numba is not installed; allowed: auto or numpy "
                         "(or pip install numba)")
    if value == "auto":
        return "numba" if numba_installed() else "numpy"
    return value


def compiled():
    """The compiled kernels module (``train.compiled``), or None on the NumPy path."""
    if name() != "numba":
        return None
    from expressivity.train import compiled as module
    return module


def kernels():
    """(FORWARD, FROM_HALF, TIMES_DERIVATIVE) for the accelerator in use now.

    The NumPy passes of ``train.inplace``, with the compiled ones laid over them
    where the accelerator has them.
    """
    fast = compiled()
    if fast is None:
        return inplace.FORWARD, inplace.FROM_HALF, inplace.TIMES_DERIVATIVE
    return ({**inplace.FORWARD, **fast.FORWARD}, {**inplace.FROM_HALF, **fast.FROM_HALF},
            {**inplace.TIMES_DERIVATIVE, **fast.TIMES_DERIVATIVE})
