"""train.vecmath's exp, tanh and logistic against NumPy over the whole float64 range, in ulps,
as the trainer's loops compile them (with and without fused multiply-add)."""
import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="the compiled accelerator needs numba")

from expressivity.train import vecmath  # noqa: E402


def _kernels(fastmath):
    flags = {"error_model": "numpy", "fastmath": {"contract"} if fastmath else False}

    def over(f):
        @numba.njit(**flags)
        def run(x, out):
            for i in range(x.size):
                out[i] = f(x[i])
        return run
    return {"exp": over(vecmath.exp), "tanh": over(vecmath.tanh), "logistic": over(vecmath.logistic)}


KERNELS = {fastmath: _kernels(fastmath) for fastmath in (False, True)}


def ulps(a, b):
    """Units in the last place between float64 arrays (0 where both are nan, or +0 and -0)."""
    def ordered(x):
        bits = x.view(np.int64)
        return np.where(bits < 0, -(bits & 0x7FFFFFFFFFFFFFFF), bits).astype(object)
    gap = np.abs(ordered(a) - ordered(b))
    gap[np.isnan(a) & np.isnan(b)] = 0
    return gap.astype(float)


def whole_range(low, high, rng):
    """Uniform points over [low, high], dense points near 0, every binade of both signs down to
    the smallest subnormal, and the special values."""
    magnitudes = 10.0 ** rng.uniform(-323.5, np.log10(max(-low, high)), 400_000)
    signed = magnitudes * rng.choice([-1.0, 1.0], magnitudes.size)
    points = np.concatenate([rng.uniform(low, high, 400_000), rng.uniform(-1, 1, 200_000),
                             signed[(signed >= low) & (signed <= high)],
                             [0.0, -0.0, 5e-324, -5e-324, 1e-310, -1e-310, np.inf, -np.inf,
                              np.nan, low, high]])
    return points


def reference_logistic(z):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-z.astype(np.longdouble)))).astype(np.float64)


CASES = {  # name: (reference, lowest and highest finite argument worth testing)
    "exp": (np.exp, -746.0, 710.0),             # 0 below, inf above: both sides included
    "tanh": (np.tanh, -30.0, 30.0),             # ±1 beyond, checked by the binades up to 1e3
    "logistic": (reference_logistic, -750.0, 750.0),
}


@pytest.mark.parametrize("fastmath", [False, True], ids=["no-fma", "fma"])
@pytest.mark.parametrize("name", list(CASES))
def test_within_the_ulp_bound_of_numpy_over_the_whole_range(name, fastmath):
    reference, low, high = CASES[name]
    x = whole_range(low if name != "tanh" else -1e3, high if name != "tanh" else 1e3,
                    np.random.default_rng(0))
    got = np.empty_like(x)
    KERNELS[fastmath][name](x, got)
    with np.errstate(over="ignore", invalid="ignore"):
        want = reference(x)
    gap = ulps(got, want)
    assert gap.max() <= vecmath.ULP_BOUND, (name, x[gap.argmax()], got[gap.argmax()],
                                            want[gap.argmax()])


@pytest.mark.parametrize("name,x,want", [
    ("exp", [0.0, -0.0, np.inf, -np.inf, 709.78, 709.79, -745.2, 1e-300],
     [1.0, 1.0, np.inf, 0.0, np.exp(709.78), np.inf, 0.0, 1.0]),
    ("tanh", [0.0, -0.0, np.inf, -np.inf, 1e-300, -1e-300, 25.0],
     [0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 1.0]),
    ("logistic", [0.0, np.inf, -np.inf, 800.0, -40.0], [0.5, 1.0, 0.0, 1.0, np.exp(-40.0) / (1 + np.exp(-40.0))]),
])
def test_special_values_are_numpys(name, x, want):
    x = np.array(x + [np.nan])
    got = np.empty_like(x)
    KERNELS[False][name](x, got)
    assert np.isnan(got[-1])
    assert ulps(got[:-1], np.array(want)).max() <= 1
    assert np.array_equal(np.signbit(got[:-1]), np.signbit(np.array(want)))


def test_the_ulp_check_would_catch_a_function_one_percent_off():
    x = np.linspace(-5, 5, 1001)
    assert ulps(np.exp(x) * 1.01, np.exp(x)).min() > 1e13
    assert ulps(np.nextafter(np.exp(x), np.inf), np.exp(x)).max() == 1
    assert ulps(np.array([0.0, np.nan]), np.array([-0.0, np.nan])).max() == 0
