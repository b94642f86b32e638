import sys
from pathlib import Path

# Lets tests import helpers that live beside them (scalar_autodiff).
sys.path.insert(0, str(Path(__file__).parent))


import pytest  # noqa: E402


@pytest.fixture(params=["numpy", "numba"])
def kernels_of(request, monkeypatch):
    """Run a test on the NumPy kernels and on the compiled accelerator (when installed)."""
    from expressivity.train import accelerator
    if request.param == "numba" and not accelerator.numba_installed():
        pytest.skip("numba is not installed: only the NumPy kernels exist here")
    monkeypatch.setenv(accelerator.VARIABLE, request.param)
    return request.param
