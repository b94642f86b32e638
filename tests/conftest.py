"""Fixtures every test folder shares. Helpers live in the packages tests.support (claim
tables, composed jobs, the browser) and tests.oracles (independent implementations)."""
import pytest


@pytest.fixture(params=["numpy", "numba"])
def kernels_of(request, monkeypatch):
    """Run a test on the NumPy kernels and on the compiled accelerator (when installed)."""
    from expressivity.train import accelerator
    if request.param == "numba" and not accelerator.numba_installed():
        pytest.skip("numba is not installed: only the NumPy kernels exist here")
    monkeypatch.setenv(accelerator.VARIABLE, request.param)
    return request.param
