"""The shipped SLURM config (hydra/launcher=slurm) becomes a valid sbatch script.

No SLURM cluster here: submitit only needs an ``srun`` on PATH to build its executor,
so a stub stands in, and the launcher is stopped where it would submit. What is checked
is the script sbatch would get, built by submitit from our config.
"""
import os

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.hydra_config import HydraConfig
from hydra.utils import instantiate

from expressivity.job.config import register_configs
from tests.support.jobs import CONF

submitit = pytest.importorskip("submitit", reason="submitit is not installed: pip install '.[launchers]'")


class Submitted(Exception):
    """Raised where the launcher would hand the jobs to SLURM."""


def test_the_slurm_config_makes_the_sbatch_script_it_promises(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "srun").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "bin" / "srun").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    register_configs()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        cfg = compose("config", overrides=["hydra/launcher=slurm", "hydra.launcher.partition=cpu",
                                           f"hydra.sweep.dir={tmp_path / 'sweep'}"],
                      return_hydra_config=True)
    HydraConfig.instance().set_config(cfg)
    launcher = instantiate(cfg.hydra.launcher)
    launcher.config = cfg
    executors = []

    def submit(executor, *args):
        executors.append(executor)
        raise Submitted

    monkeypatch.setattr(submitit.AutoExecutor, "map_array", submit)
    with pytest.raises(Submitted):
        launcher.launch([["task=xor"]], 0)
    script = executors[0]._executor._make_submission_file_text("python -m submitit.core._submit x", "0")
    for line in ("#SBATCH --cpus-per-task=2", "#SBATCH --mem=4GB", "#SBATCH --time=120",
                 "#SBATCH --partition=cpu", "#SBATCH --nodes=1", "#SBATCH --ntasks-per-node=1",
                 "export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1"):
        assert line in script.splitlines(), f"{line!r} missing from:\n{script}"
    cache = [ln for ln in script.splitlines() if ln.startswith("export EXPRESSIVITY_CACHE=")]
    assert cache and cache[0].endswith("/.cache/expressivity") and cache[0].split("=")[1].startswith("/")
    assert executors[0]._executor.parameters["array_parallelism"] == 128
