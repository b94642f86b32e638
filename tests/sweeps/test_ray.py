"""The shipped Ray config (hydra/launcher=ray_cluster) runs a sweep on a Ray cluster the test
starts, and gives the same records as the basic launcher.

Ray 2.x binds its servers on every interface whatever --node-ip-address says, so the
cluster runs inside private network and PID namespaces (``unshare``): it can only reach
the loopback device, and every Ray process dies with the namespace when the test ends.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ["task=xor,and", "trainer.restarts=4", "trainer.max_epochs=30", "cache_dir=null"]
NAMESPACE = ["unshare", "--map-root-user", "--net", "--pid", "--fork", "--mount-proc",
             "--kill-child"]
SCRIPT = """set -e
ip link set lo up
ray start --head --port=6379 --num-cpus=2 --object-store-memory=100000000 \\
    --include-dashboard=false --disable-usage-stats --temp-dir="$RAY_TMP" > ray_start.log 2>&1
if command -v ss > /dev/null; then ss -ltnH | awk '{print $4}' > listening.txt; fi
"$PYTHON" -m expressivity -m hydra/launcher=ray_cluster hydra.sweep.dir="$PWD/ray" "$@"
"""


def _missing(module):
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:
        return True


def _namespaces_work():
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    return subprocess.run([*NAMESPACE, "ip", "link", "set", "lo", "up"],
                          capture_output=True, timeout=30).returncode == 0


pytestmark = [
    pytest.mark.skipif(_missing("ray") or _missing("hydra_plugins.hydra_ray_launcher"),
                       reason="Ray is not installed: pip install 'expressivity[ray]' "
                              "(hydra-ray-launcher and ray[default])"),
    pytest.mark.skipif(not _namespaces_work(),
                       reason="cannot make a private network namespace (unshare --net); Ray "
                              "would listen on every interface, so the test does not start it"),
]


def _records(folder):
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(folder.glob("*/result.json"))}


@pytest.fixture
def ray_tmp():
    """A short folder for Ray's sockets (a Unix socket path must stay under 108 bytes)."""
    folder = tempfile.mkdtemp(prefix="xray", dir="/tmp")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_two_job_sweep_on_a_local_ray_cluster(tmp_path, ray_tmp):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHON=sys.executable, RAY_TMP=ray_tmp,
               OMP_NUM_THREADS="1")
    env.pop("RAY_ADDRESS", None)
    (tmp_path / "run.sh").write_text(SCRIPT)
    done = subprocess.run([*NAMESPACE, "sh", str(tmp_path / "run.sh"), *SWEEP],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    started = (tmp_path / "ray_start.log").read_text() if (tmp_path / "ray_start.log").exists() else ""
    assert done.returncode == 0, started[-2000:] + done.stdout[-2000:] + done.stderr[-2000:]
    listening = (tmp_path / "listening.txt").read_text().split() \
        if (tmp_path / "listening.txt").exists() else []
    assert all("127.0.0.1" in address or address.startswith("[::1]") for address in listening), listening
    on_ray = _records(tmp_path / "ray")
    assert len(on_ray) == 2
    subprocess.run([sys.executable, "-m", "expressivity", "-m", *SWEEP,
                    f"hydra.sweep.dir={tmp_path / 'basic'}"], cwd=tmp_path, env=env, check=True,
                   capture_output=True, timeout=120)
    basic = _records(tmp_path / "basic")
    for job, record in on_ray.items():
        assert record["provenance"]["launcher"] == "ray_cluster"
        assert record["timing"]["blas_threads"] == 1
        same = [{k: v for k, v in r.items() if k not in ("timing", "provenance", "checksum")}  # checksum covers both
                for r in (record, basic[job])]
        assert same[0] == same[1], f"ray job {job} differs from the basic launcher's"
