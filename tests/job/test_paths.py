"""Names that become paths are checked; only sweep folders are cleared; paths reach Hydra quoted."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from expressivity.job.config import ConfigError
from expressivity.job.paths import check_name, hydra_quoted, inside
from expressivity.claims.registry import Claim, sweep_names
from expressivity.reproduce import reproduce
from expressivity.job.runner import run_job
from expressivity.sweeps.launch import clear_sweep_folder, run_sweep
from tests.support.jobs import compose_job

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["task.n=2", "model.width=2", "trainer.restarts=2", "trainer.max_epochs=3", "cache_dir=null"]
TOY = """# @package _global_
experiment: toy
model: {width: 2}
trainer: {restarts: 2, max_epochs: 5}
hydra:
  sweeper:
    params:
      task.n: 2,3
"""


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".hidden", "x" * 65, "a b", "..", "a\nb"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(ValueError, match="allowed: a name of letters, digits"):
        check_name("profile", name)


def test_a_profile_or_experiment_that_would_leave_runs_is_refused_before_any_work(tmp_path):
    cmd = [sys.executable, "-m", "expressivity", "-m", *SMALL, "profile=../../../X", "seed=0,1"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 2 and "profile='../../../X' is not allowed" in out.stderr
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent.parent / "X").exists()
    cfg = compose_job(*SMALL)
    cfg.experiment = "a/b"   # as an experiment file could set it
    with pytest.raises(ConfigError, match="experiment='a/b' is not allowed"):
        run_job(cfg, tmp_path / "out")


def test_a_sweep_name_outside_runs_is_refused_before_anything_is_deleted(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    with pytest.raises(ValueError, match="sweep='../victim' is not allowed"):
        sweep_names({"sweeps": ["../victim"]}, "toy")
    with pytest.raises(ValueError):
        run_sweep("../victim", "quick", tmp_path / "runs" / "../victim")
    conf = tmp_path / "conf" / "experiment"
    conf.mkdir(parents=True)
    (conf / "toy.yaml").write_text(TOY)
    claim = Claim("toy", {"id": "toy", "sweeps": ["../victim"]}, tmp_path / "claims" / "toy.yaml")
    reproduce(claims=["toy"], registry={"toy": claim}, config_dirs=[tmp_path / "conf"],
              runs_dir=tmp_path / "runs", out=tmp_path / "report", stream=io.StringIO())
    assert victim.read_text() == "keep me"


def test_only_a_sweep_folder_is_cleared(tmp_path):
    other = tmp_path / "toy"
    other.mkdir()
    (other / "thesis.tex").write_text("precious")
    with pytest.raises(ValueError, match="does not hold a sweep"):
        clear_sweep_folder("toy", other)
    assert (other / "thesis.tex").exists()
    (other / "multirun.yaml").write_text("")
    assert list(clear_sweep_folder("toy", other).iterdir()) == []
    with pytest.raises(ValueError, match="not named after sweep"):
        clear_sweep_folder("toy", tmp_path / "elsewhere")


def test_a_working_folder_with_an_apostrophe_and_spaces_works(tmp_path):
    conf = tmp_path / "it's a \"conf\"" / "experiment"
    conf.mkdir(parents=True)
    (conf / "toy.yaml").write_text(TOY)
    folder = tmp_path / "Bob's runs" / "toy"
    run = run_sweep("toy", "quick", folder, config_dirs=[conf.parent], stream=io.StringIO())
    assert run.ok, run.stderr_tail
    assert len(list(folder.rglob("result.json"))) == 2


def test_hydra_quoting_round_trips_any_path():
    from hydra.core.override_parser.overrides_parser import OverridesParser
    parser = OverridesParser.create()
    for text in ["/a/b", "/it's", "/back\\slash\\", "/q\"d", "/x\\'y", "/comma,=[]{}"]:
        override = parser.parse_override(f"hydra.sweep.dir={hydra_quoted(text)}")
        assert override.value() == text


def test_a_cache_or_output_folder_that_cannot_be_written_stops_the_job_before_work(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="cache_dir=.* is not a writable folder"):
        run_job(compose_job(*SMALL[:-1], f"cache_dir={blocker}"), tmp_path / "out")
    with pytest.raises(ConfigError, match="output folder=.* is not a writable folder"):
        run_job(compose_job(*SMALL), blocker / "out")
    if os.geteuid() != 0:   # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ConfigError, match="not a writable folder"):
            run_job(compose_job(*SMALL[:-1], f"cache_dir={locked}"), tmp_path / "out2")
    assert not (tmp_path / "out").exists()
    assert inside(tmp_path / "a" / ".." / "a", tmp_path) and not inside(tmp_path / "..", tmp_path)
