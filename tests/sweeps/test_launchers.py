"""The same sweep gives the same records whatever launcher runs it; cluster configs compose."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from expressivity.job.conf_files import conf_dir
from expressivity.job.config import register_configs
from expressivity.job.parallel import blas_thread_limit

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ["task=parity", "task.n=2,3", "trainer.batch_size=0,1", "model.width=3",
         "trainer.restarts=4", "trainer.max_epochs=30", "cache_dir=null"]


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# The README's environment sets no thread variable; CI's used to set all three to 1.
ENVIRONMENTS = {"readme": {}, "ci": dict.fromkeys(THREAD_VARIABLES, "1")}


def _environment(which):
    """The caller's environment with the thread variables exactly as ``which`` says."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    return {**env, **ENVIRONMENTS[which]}


def _sweep(launcher, folder, environment="readme", sweep=SWEEP):
    cmd = [sys.executable, "-m", "expressivity", "-m", *sweep, f"hydra/launcher={launcher}",
           f"hydra.sweep.dir={folder}"]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, timeout=120,
                   env=_environment(environment))
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(folder.glob("*/result.json"))}


def test_basic_joblib_and_submitit_local_give_identical_records(tmp_path):
    runs = {name: _sweep(name, tmp_path / name) for name in ("basic", "joblib", "submitit_local")}
    assert all(len(records) == 4 for records in runs.values())
    basic = runs.pop("basic")
    for name, records in runs.items():
        assert records.keys() == basic.keys()
        for job, record in records.items():
            assert record["provenance"]["launcher"] == name
            # Several jobs share the machine: each gets one BLAS thread.
            assert record["timing"]["blas_threads"] == 1
            mine = {k: v for k, v in record.items() if k not in ("timing", "provenance", "checksum")}
            theirs = {k: v for k, v in basic[job].items() if k not in ("timing", "provenance", "checksum")}
            assert mine == theirs, f"{name} job {job} differs from the basic launcher's"


@pytest.mark.parametrize("environment", sorted(ENVIRONMENTS))
def test_a_shared_machine_job_trains_on_one_blas_thread_in_any_environment(tmp_path, environment):
    # The compiled accelerator's matmuls load a second BLAS (SciPy's) while the job trains:
    # the limit must reach it whatever thread variables the caller set.
    records = _sweep("submitit_local", tmp_path, environment, SWEEP[:2] + SWEEP[3:])
    assert len(records) == 2
    assert {r["timing"]["blas_threads"] for r in records.values()} == {1}


def test_limited_blas_reaches_a_library_loaded_inside_the_block():
    # A clean process with no thread variables: the limit holds for SciPy's BLAS, loaded
    # inside the block, and everything is as before after it.
    code = """
import os, numpy
from expressivity.job.parallel import limited_blas, blas_threads, THREAD_VARIABLES
from threadpoolctl import threadpool_info
before = blas_threads()
with limited_blas(1):
    import scipy.linalg.cython_blas
    inside = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    variables = [os.environ.get(v) for v in THREAD_VARIABLES]
after = [os.environ.get(v) for v in THREAD_VARIABLES]
print(before, len(inside), max(inside), variables, after)
"""
    pytest.importorskip("scipy")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=_environment("readme"), timeout=60).stdout.split(maxsplit=3)
    assert out[1] == "2" and out[2] == "1"     # numpy's and scipy's BLAS, both on one thread
    assert out[3].strip() == "['1', '1', '1'] [None, None, None]"


def test_blas_gets_one_thread_when_the_cores_are_shared():
    assert blas_thread_limit(1, "basic") is None
    assert blas_thread_limit(1, None) is None
    assert blas_thread_limit(2, "basic") == 1
    assert blas_thread_limit(1, "joblib") == 1
    assert blas_thread_limit(1, "submitit_local") == 1
    assert blas_thread_limit(1, "ray") == 1
    assert blas_thread_limit(1, "ray_cluster") == 1
    assert blas_thread_limit(1, "submitit_slurm") is None   # one job per allocation


@pytest.mark.parametrize("launcher,target,keys", [
    ("slurm", "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher",
     {"cpus_per_task": 2, "mem_gb": 4, "timeout_min": 120}),
    ("ray_cluster", "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher",
     {"ray": {"init": {"address": "auto", "object_store_memory": None},
              "remote": {"num_cpus": 1, "max_calls": 1}}}),
])
def test_the_cluster_launcher_configs_compose(launcher, target, keys):
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf
    register_configs()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        cfg = compose("config", overrides=[f"hydra/launcher={launcher}"], return_hydra_config=True)
    launcher_cfg = OmegaConf.to_container(cfg.hydra.launcher)
    assert launcher_cfg["_target_"] == target
    for key, value in keys.items():
        assert launcher_cfg[key] == value
