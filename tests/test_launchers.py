"""The same sweep gives the same records whatever launcher runs it; cluster configs compose."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from expressivity.config import register_configs
from expressivity.parallel import blas_thread_limit

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ["task=parity", "task.n=2,3", "trainer.batch_size=0,1", "model.width=3",
         "trainer.restarts=4", "trainer.max_epochs=30", "cache_dir=null"]


def _sweep(launcher, folder):
    cmd = [sys.executable, "-m", "expressivity", "-m", *SWEEP, f"hydra/launcher={launcher}",
           f"hydra.sweep.dir={folder}"]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, timeout=120)
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
    with initialize_config_dir(config_dir=str(ROOT / "expressivity" / "conf"), version_base="1.3"):
        cfg = compose("config", overrides=[f"hydra/launcher={launcher}"], return_hydra_config=True)
    launcher_cfg = OmegaConf.to_container(cfg.hydra.launcher)
    assert launcher_cfg["_target_"] == target
    for key, value in keys.items():
        assert launcher_cfg[key] == value
