"""Wrong input -> one clear message naming the key, the value and what is allowed, before any work."""
import subprocess
import sys
from pathlib import Path

import pytest

from expressivity.job.config import ConfigError, unknown_experiment, validate
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["task=parity", "task.n=3", "model.width=4", "trainer.restarts=4", "trainer.max_epochs=5",
         "cache_dir=null"]

# Caught by Hydra while composing (group options, types, keys) or by our
# check of experiment names: run the real command, read its stderr.
COMMAND_LINE = [
    ("task=nope", ["Could not find 'task/nope'", "Available options in 'task'", "parity"]),
    ("model.width=wide", ["Value 'wide'", "could not be converted to Integer",
                          "full_key: model.width"]),
    ("trainer.lr=fast", ["Value 'fast'", "could not be converted to Float", "full_key: trainer.lr"]),
    ("model.bias=maybe", ["bad config: model.bias='maybe' is not allowed; allowed: true or false"]),
    ("model.widht=3", ["Key 'widht' not in 'ModelConfig'", "full_key: model.widht"]),
    ("+experiment=nope", ["bad config: experiment='nope' is not allowed; allowed:"]),
    ("model.bias=2", ["bad config: model.bias='2' is not allowed; allowed: true or false"]),
    ("+foo=1", ["bad config: foo is not allowed (an unknown key"]),
    ("task.n=25", ["bad config: task.n=25 is not allowed; allowed: an integer 1..20 "
                   "(a truth table has 2^n rows)"]),
]


@pytest.mark.parametrize("override,fragments", COMMAND_LINE)
def test_the_command_line_refuses_bad_input_with_a_clear_message(tmp_path, override, fragments):
    cmd = [sys.executable, "-m", "expressivity", *SMALL, override, f"hydra.run.dir={tmp_path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode != 0
    for fragment in fragments:
        assert fragment in out.stderr, out.stderr
    assert not (tmp_path / "result.json").exists()


# Caught by config.validate: names and ranges, then the memory budget.
VALUES = [
    ("task.n=21", "task.n=21 is not allowed; allowed: an integer 1..20 (a truth table has 2^n rows)"),
    ("model.depth=-1", "model.depth=-1 is not allowed; allowed: an integer >= 0 (hidden layers)"),
    ("model.init=orthogonal", "model.init='orthogonal' is not allowed; allowed: one of he, uniform, xavier, zeros"),
    ("model.init_scale=0", "model.init_scale=0.0 is not allowed; allowed: a positive number"),
    ("model.dtype=float16", "model.dtype='float16' is not allowed; allowed: one of float32, float64"),
    ("model.output_activation=softmax", "model.output_activation='softmax' is not allowed; allowed: one of auto, identity"),
    ("trainer.lr=inf", "trainer.lr=inf is not allowed; allowed: a positive number"),
    ("trainer.lr=nan", "trainer.lr=nan is not allowed; allowed: a positive number"),
    ("trainer.momentum=1", "trainer.momentum=1.0 is not allowed; allowed: a number in [0, 1)"),
    ("trainer.momentum=-0.1", "trainer.momentum=-0.1 is not allowed; allowed: a number in [0, 1)"),
    ("trainer.gamma=0", "trainer.gamma=0.0 is not allowed; allowed: a number in (0, 1]"),
    ("trainer.gamma=1.5", "trainer.gamma=1.5 is not allowed; allowed: a number in (0, 1]"),
    ("trainer.tau=-1", "trainer.tau=-1.0 is not allowed; allowed: a positive number"),
    ("trainer.tol=-1", "trainer.tol=-1.0 is not allowed; allowed: a number >= 0 (0: no loss target)"),
    ("trainer.batch_size=-2", "trainer.batch_size=-2 is not allowed; allowed: 0 (full batch) or a positive integer"),
    ("trainer.max_epochs=-5", "trainer.max_epochs=-5 is not allowed; allowed: an integer >= 0"),
    ("trainer.threads=0", "trainer.threads=0 is not allowed; allowed: a positive integer"),
    ("trainer.chunk_size=-1", "trainer.chunk_size=-1 is not allowed; allowed: 0 (automatic) or a positive integer"),
    ("trainer.schedule=cosine", "trainer.schedule='cosine' is not allowed; allowed: one of constant, exponential, inverse_time, step"),
    ("trainer.memory_budget_gb=0", "trainer.memory_budget_gb=0.0 is not allowed; allowed: a positive number"),
    ("task.points=0", "task.points=0 is not allowed; allowed: a positive integer"),
    ("task.sampling=sobol", "task.sampling='sobol' is not allowed; allowed: one of grid, uniform"),
    ("task.distribution=cauchy", "task.distribution='cauchy' is not allowed; allowed: one of lognormal, outliers, point"),
    ("task.outlier_fraction=1.5", "task.outlier_fraction=1.5 is not allowed; allowed: a number in [0, 1]"),
    ("task.encoding=pm2", "task.encoding='pm2' is not allowed; allowed: one of 01, pm1"),
    ("seed=-1", "seed=-1 is not allowed; allowed: an integer >= 0"),
    ("search.max_width=0", "search.max_width=0 is not allowed; allowed: a positive integer"),
    ("model.init_scale=1e308", "model.init_scale=1e+308 is not allowed; allowed: a positive number at most 1e+06"),
    ("+model.foo=1", "model.foo is not allowed (an unknown key; 1 in all: model.foo)"),
    ("profile=../../../X", "profile='../../../X' is not allowed; allowed: a name of letters"),
    # The record of 1e7 members (1500 bytes each) is the largest part, not the parameters.
    ("trainer.restarts=10000000", "(14.0 GiB of it for the record of 10000000 restarts' outcomes)"),
    ("trainer.max_epochs=1000000000", "of it for loss curves of 4 restarts x 1000000000 / 10 points"),
    # A truth table that is enumerable but whose layer values do not fit the budget:
    # 5 arrays x 2^20 rows x 65 units x 8 bytes = 2.5 GiB for one member.
    ("task.n=20", "this job needs about 2.9 GiB (2.5 GiB of it for layer values"),   # + 0.35 GiB of task data
]


@pytest.mark.parametrize("override,message", VALUES)
def test_values_out_of_range_are_refused_before_any_work(tmp_path, override, message):
    overrides = SMALL + [override]
    if override == "task.n=20":
        overrides += ["model.width=64", "trainer.memory_budget_gb=1"]
    with pytest.raises(ConfigError) as error:
        run_job(compose_job(*overrides), tmp_path)
    assert message in str(error.value)
    assert not (tmp_path / "result.json").exists()


def test_a_job_too_big_for_memory_says_what_it_needs_and_what_to_lower(tmp_path):
    with pytest.raises(ConfigError) as error:
        run_job(compose_job(*SMALL, "task.n=20", "model.width=256"), tmp_path)
    text = str(error.value)
    # By hand: one member's layer values, 5 arrays x 2^20 rows x 257 units x 8 bytes = 10.0 GiB.
    # Plus the task data: 2^20 rows x 21 values x 17 bytes = 0.35 GiB; total 10.4 GiB.
    assert "this job needs about 10.4 GiB (10.0 GiB of it for layer values of 1 thread(s) x " \
           "1 members x 1048576 rows x 257 units), over trainer.memory_budget_gb=4.0" in text
    assert "Lower task.n (rows), model.width/model.depth (units)" in text
    with pytest.raises(ConfigError) as error:
        run_job(compose_job(*SMALL, "trainer.restarts=2000000", "model.width=64"), tmp_path)
    # By hand: (2 copies x 2e6 members + 4 x 32 in one chunk) x (4·64 + 65·1 = 321 numbers)
    # x 8 bytes = 9.6 GiB.
    assert "(9.6 GiB of it for the parameters of 2000000 restarts x sizes [3, 64, 1])" \
        in str(error.value)
    assert "Lower trainer.restarts, model.width or model.depth" in str(error.value)


def test_experiment_names_are_checked_against_the_experiment_files(tmp_path):
    (tmp_path / "depth_vs_width.yaml").write_text("# @package _global_\n")
    (tmp_path / "activation.yaml").write_text("# @package _global_\n")
    assert unknown_experiment(["+experiment=activation", "task.n=3"], tmp_path) is None
    assert unknown_experiment(["+experiment=activation,depth_vs_width"], tmp_path) is None
    assert unknown_experiment(["experiment=nope"], tmp_path) is None   # the plain name key
    # an extra search path may hold the experiment; Hydra is left to judge
    assert unknown_experiment(["+experiment=nope", "hydra.searchpath=[file:///x]"], tmp_path) is None
    assert unknown_experiment(["+experiment=activation,nope"], tmp_path) == (
        "experiment='nope' is not allowed; allowed: one of activation, depth_vs_width "
        "(files in experiments/)")
    assert "holds no <name>.yaml" in unknown_experiment(["+experiment=x"], tmp_path / "missing")


def test_depth_and_widths_that_disagree_are_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"model.depth=3 with model.widths=\[4, 4\] is not allowed; "
                                          r"allowed: model.depth equal to len\(model.widths\) \(2\)"):
        run_job(compose_job(*SMALL, "model.depth=3", "model.widths=[4,4]"), tmp_path)
    record = run_job(compose_job(*SMALL, "model.depth=2", "model.widths=[4,3]"), tmp_path)
    assert record["probes"][0]["widths"] == [4, 3]


@pytest.mark.parametrize("argv,message", [
    (["reproduce", "--claims", " "], "--claims=' ' is not allowed; allowed: comma-separated claim ids"),
    (["report", "--claims", ","], "--claims=',' is not allowed"),
    (["bench", "--quick", "--threads", "-3"], "--threads=-3 is not allowed; allowed: a positive integer"),
])
def test_the_cli_refuses_empty_claim_lists_and_negative_threads(argv, message, capsys, tmp_path):
    from expressivity.cli import main
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_memory_estimate_counts_the_diagnosis_hessian_and_the_task_data():
    from expressivity.job.memory import estimate_memory
    small = compose_job("task.n=4", "model.width=8", "diagnose.enabled=true")
    parts, _ = estimate_memory(small)
    n_params = (4 + 1) * 8 + (8 + 1) * 1
    assert parts["diagnose"] >= 8 * n_params ** 2            # the (N, N) Hessian, at least
    assert parts["data"] >= 16 * (4 + 1) * 8                  # 2^4 rows of inputs and target
    assert estimate_memory(compose_job("task.n=4", "model.width=8"))[0]["diagnose"] == 0
    with pytest.raises(ConfigError, match="Hessian and perturbed copies.*diagnose.enabled=false"):
        validate(compose_job("task.n=10", "model.width=3000", "diagnose.enabled=true"))
