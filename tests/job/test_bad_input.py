"""Wrong input -> one clear message naming the key, the value and what is allowed, before any work."""
import subprocess
import sys
from pathlib import Path

import pytest

from expressivity.job.config import ConfigError, validate
from expressivity.job.experiment_overrides import unknown_experiment
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


# ---------------------------------------------------------------------------------------------
# Round two (issue 21): every case is refused with one `expressivity:` message (exit 2) before
# any work, or handled correctly. A command runs in tmp_path/w/a/b, so a write into a parent
# folder (`..`) would show up in tmp_path; each case's cache is tmp_path's too.
# ---------------------------------------------------------------------------------------------
ROUND_TWO_BASE = ["task=xor", "trainer.restarts=2", "trainer.max_epochs=5"]
HAS_TORCH = __import__("importlib").util.find_spec("torch") is not None
HAS_OPTUNA = __import__("importlib").util.find_spec("hydra_plugins.hydra_optuna_sweeper") is not None
ROUND_TWO = [
    # 1. resource bombs
    ("-m seed=0,1 hydra/launcher=joblib hydra.launcher.n_jobs=100000",
     "hydra.launcher.n_jobs=100000 is not allowed; allowed: -1 (all cores) or 1.."),
    ("tune.enabled=true tune.restarts=2000000000",
     "the tuning protocol's largest round), over trainer.memory_budget_gb=4.0"),
    ("tune.enabled=true tune.max_epochs=9223372036854775807", "loss curves of 24 restarts x 9223372036854775807"),
    ("trainer.memory_budget_gb=1e308 trainer.restarts=1000000000",
     "trainer.memory_budget_gb=1e+308 is not allowed; allowed: a positive number at most this machine's memory"),
    ("task=dnf task.terms=9223372036854775807", "task.terms=9223372036854775807 is not allowed; allowed: an integer 1..4096"),
    ("task=sawtooth task.L=9223372036854775807", "task.L=9223372036854775807 is not allowed; allowed: an integer 1..52"),
    ("trainer.restarts=9223372036854775808", "an integer that fits int64"),
    # 2. writes outside the output folders
    ("-m seed=0,1 hydra.sweep.subdir=../../../x_${hydra.job.num}",
     "hydra.sweep.subdir='../../../x_${hydra.job.num}' is not allowed; allowed: a relative path that stays inside the sweep folder"),
    ("hydra.run.dir=..", "hydra.run.dir='..' is not allowed; allowed: a relative path that stays inside the working folder (or an absolute path)"),
    ("-m seed=0 hydra.sweep.dir=..", "hydra.sweep.dir='..' is not allowed"),
    ("hydra.run.dir=/proc/nope", "hydra.run.dir='/proc/nope' is not a writable folder"),
    ("hydra.output_subdir=../../../x", "hydra.output_subdir='../../../x' is not allowed; allowed: a relative path that stays inside the job folder"),
    ("-m seed=0,1 hydra.job.name=../../x", "hydra.job.name='../../x' is not allowed"),
    ("hydra.job_logging.handlers.file.filename=../../../x.log", "hydra.job_logging.handlers.file.filename='../../../x.log' is not allowed"),
    # 3. points that were computed before a refusal
    ("-m trainer.backend=numpy,torch", "job 1 (task=xor trainer.restarts=2 trainer.max_epochs=5 trainer.backend=torch): trainer.backend='torch' is not allowed"),
    ("-m cache_dir=.cache/a,/proc/nope", "cache_dir (job 1)='/proc/nope' is not a writable folder"),
    ("-m objective.metric=success_rate,nope", "objective.metric='nope' is not allowed for search.kind=none"),
    ("-m objective.direction=minimize,sideways", "objective.direction='sideways' is not allowed"),
    ("-m hydra/sweeper=basic objective.direction=minimize,sideways", "objective.direction='sideways' is not allowed"),
    ("-m hydra/sweeper=basic seed=0,1 model.bias=true,2", "model.bias='2' is not allowed; allowed: true or false"),
    ("-m +experiment=parity_optuna hydra/sweeper=optuna hydra.sweeper.n_trials=2 objective.metric=nope",
     "objective.metric='nope' is not allowed"),
    # 4. tracebacks
    ("trainer.lr=${oc.env:HOME}", "could not be converted to Float (key trainer.lr)"),
    ("model.width=${model.width}", "Recursive interpolation detected (key model.width)"),
    ("trainer.backend=torch", "trainer.backend='torch' is not allowed; allowed: numpy, or torch once PyTorch is installed"),
    ("-m seed=0,1 hydra/launcher=joblib hydra.launcher.prefer=nope",
     "hydra.launcher.prefer='nope' is not allowed; allowed: one of processes, threads (or null)"),
    ("-m seed=0 hydra/launcher=submitit_local hydra.launcher.tasks_per_node=0",
     "hydra.launcher.tasks_per_node=0 is not allowed; allowed: an integer >= 1"),
    ("-m seed=0 hydra/launcher=submitit_local hydra.launcher.timeout_min=0",
     "hydra.launcher.timeout_min=0 is not allowed; allowed: an integer >= 1"),
    ("-m seed=0,1 hydra.sweeper.max_batch_size=0", "hydra.sweeper.max_batch_size=0 is not allowed; allowed: null or a positive integer"),
    ("-m task.n=interval(1,3)", "the sweep cannot be split into jobs: HydraException: BasicSweeper does not support sweep type"),
    ("hydra.job_logging.root.level=NOPE", "hydra.job_logging.root.level='NOPE' is not allowed; allowed: one of CRITICAL"),
    ("-m seed=0 --info", "--info and --multirun together are not allowed"),
    ("-m seed=0,1 model.width=0 --dry-run", "model.width=0 is not allowed"),   # a listing checks too
    ("-m seed=0,1 --dry-run nokey", "OverrideParseException: Error parsing override 'nokey'"),
    # 7. quietly wrong
    ("task.encoding=pm1 trainer.loss=bce", "trainer.loss='bce' is not allowed; allowed: squared or absolute with task.encoding=pm1"),
    ("model.widths=[4,4] model.depth=2 model.width=-5", "model.width=-5 is not allowed; allowed: a positive integer"),
    ("tune.enabled=true tune.params=[model.init_scale] tune.grids=[[1e300]]",
     "tune.grids[0]=[1e+300] is not allowed; allowed: positive numbers at most 1e+06 for model.init_scale"),
]


def run_in_a_nest(tmp_path, args, **kwargs):
    """Run ``python -m expressivity args`` in tmp_path/w/a/b; (process, files under tmp_path)."""
    cwd = tmp_path / "w" / "a" / "b"
    cwd.mkdir(parents=True)
    out = subprocess.run([sys.executable, "-m", "expressivity", *args], capture_output=True,
                         text=True, cwd=cwd, timeout=120, env={**__import__("os").environ,
                                                               "PYTHONPATH": str(ROOT)}, **kwargs)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                     if p not in (cwd, cwd.parent, cwd.parent.parent))
    return out, written


@pytest.mark.parametrize("args,message", ROUND_TWO, ids=[a for a, _ in ROUND_TWO])
def test_round_two_bad_input_is_refused_with_one_message_before_any_work(tmp_path, args, message):
    if "torch" in args and HAS_TORCH:
        pytest.skip("PyTorch is installed here: trainer.backend=torch is valid")
    if "optuna" in args and not HAS_OPTUNA:
        pytest.skip("needs hydra-optuna-sweeper")
    argv = args.split()
    flags = [a for a in argv if a.startswith("-")]
    out, written = run_in_a_nest(tmp_path, [*flags, *ROUND_TWO_BASE,
                                            *[a for a in argv if a not in flags]])
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("expressivity: bad config: "), out.stderr
    assert out.stderr.count("expressivity:") == 1
    assert message in out.stderr, out.stderr
    assert written == [], written   # nothing computed, no folder made, in or above the nest


def test_an_experiment_file_is_read_raw_for_booleans_and_its_own_name(tmp_path):
    from expressivity.job.experiment_overrides import experiment_file_problem
    (tmp_path / "b.yaml").write_text("# @package _global_\nmodel:\n  bias: 2\n")
    (tmp_path / "x.yaml").write_text("# @package _global_\nexperiment: ../../../x\n")
    (tmp_path / "ok.yaml").write_text("# @package _global_\nexperiment: ok\nmodel: {bias: false}\n")
    assert experiment_file_problem(["+experiment=b"], tmp_path) == \
        "model.bias=2 is not allowed; allowed: true or false (in b.yaml)"
    assert experiment_file_problem(["+experiment=ok,x"], tmp_path).startswith(
        "experiment='../../../x' is not allowed; allowed: a name of letters")
    assert experiment_file_problem(["+experiment=ok"], tmp_path) is None


@pytest.mark.parametrize("where", ["-cd", "hydra.searchpath"])
@pytest.mark.parametrize("content,args,message", [
    ("experiment: ../../../x\n", [], "experiment='../../../x' is not allowed; allowed: a name of letters"),
    ("experiment: fine\nmodel:\n  bias: 2\n", [], "model.bias=2 is not allowed; allowed: true or false (in evil.yaml)"),
    ("experiment: fine\nhydra:\n  sweep:\n    subdir: ../../x_${hydra.job.num}\n", ["-m"],
     "hydra.sweep.subdir='../../x_${hydra.job.num}' is not allowed"),
])
def test_a_users_experiment_file_is_checked_before_hydra_makes_a_folder(tmp_path, where, content, args, message):
    conf = tmp_path / "conf" / "experiment"
    conf.mkdir(parents=True)
    (conf / "evil.yaml").write_text("# @package _global_\n" + content)
    extra = ["-cd", str(tmp_path / "conf")] if where == "-cd" else [f"hydra.searchpath=[file://{tmp_path / 'conf'}]"]
    out, written = run_in_a_nest(tmp_path, [*args, *extra, *ROUND_TWO_BASE, "+experiment=evil",
                                            *(["seed=0,1"] if args else [])])
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert message in out.stderr
    assert [w for w in written if not w.startswith("conf")] == []


def test_a_file_size_limit_below_the_record_is_refused_before_any_work(tmp_path):
    import resource
    out, written = run_in_a_nest(tmp_path, [*ROUND_TWO_BASE, "hydra.run.dir=run"],
                                 preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "the file-size limit (ulimit -f) of 4096 bytes is not allowed for this job" in out.stderr
    assert written == []


FULL_DISK = """
import errno, sys
import expressivity.job.runner as runner
def full(path, data):
    raise OSError(errno.ENOSPC, "No space left on device", str(path))
runner.write_json_atomic = full
from expressivity.__main__ import hydra_main
hydra_main(sys.argv[1:])
"""


def test_a_full_disk_at_write_time_is_one_message_not_a_traceback(tmp_path):
    out = subprocess.run([sys.executable, "-c", FULL_DISK, *ROUND_TWO_BASE, "cache_dir=null",
                          f"hydra.run.dir={tmp_path / 'run'}"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "expressivity: could not write" in out.stderr and "No space left on device" in out.stderr
    assert not (tmp_path / "run" / "result.json").exists()


@pytest.mark.parametrize("argv", [["collect", str(ROOT / "tests"), "--out", "/proc/nope"],
                                  ["report", "--out", "/dev/null/x"],
                                  ["reproduce", "--out", "/proc/nope"]])
def test_an_output_folder_that_cannot_be_written_is_refused_before_any_work(argv, capsys):
    from expressivity.cli import main
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "is not a writable folder" in err and err.count("\n") == 1


def test_the_estimators_name_each_bad_parameter_before_numpy_sees_it():
    import numpy as np
    from expressivity.estimators import PopulationMLPClassifier
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float), np.array([0, 1, 1, 0])
    cases = [({"init_scale": float("nan")}, "init_scale=nan; allowed: a positive number at most 1e+06"),
             ({"init_scale": -1}, "init_scale=-1; allowed"),
             ({"init_scale": 1e300}, "init_scale=1e+300; allowed"),
             ({"learning_rate_init": "0.1"}, "learning_rate_init='0.1'; allowed: a positive finite number"),
             ({"hidden_layer_sizes": (10 ** 9,)}, "half this machine's memory"),
             ({"n_restarts": 10 ** 10}, "half this machine's memory"),
             ({"n_restarts": True}, "n_restarts=True; allowed: an integer >= 1 (not a bool)")]
    for params, message in cases:
        with pytest.raises(ValueError) as error:
            PopulationMLPClassifier(max_iter=2, **params).fit(X, y)
        assert message in str(error.value), (params, str(error.value))


# 5. readers: one schema; a bad record never stops the others
def test_every_bad_record_is_named_and_the_good_one_is_still_tabled(tmp_path):
    import json
    import os
    from expressivity.storage.collect import collect
    from expressivity.storage.json_files import load_json_file
    good = run_job(compose_job(*SMALL), tmp_path / "runs" / "good")
    bad = {
        "rows": {**good, "rows": [{"a": 1}], "config": {**good["config"], "construction": "notadict"}},
        "seconds": {**good, "timing": {**good["timing"], "seconds": "fast"}},
        "loss_text": json.loads(json.dumps(good)),
    }
    bad["loss_text"]["probes"][0]["members"]["final_loss"][0] = "low"
    for name, record in bad.items():
        record.pop("checksum", None)
        (tmp_path / "runs" / name).mkdir()
        (tmp_path / "runs" / name / "result.json").write_text(json.dumps(record))
    (tmp_path / "runs" / "fifo").mkdir()
    os.mkfifo(tmp_path / "runs" / "fifo" / "result.json")
    (tmp_path / "runs" / "zero").mkdir()
    (tmp_path / "runs" / "zero" / "result.json").symlink_to("/dev/zero")
    results, written = collect([tmp_path / "runs"], tmp_path / "tables")
    assert len(results.jobs) == 1 and written["members"] is not None
    reasons = {__import__("pathlib").Path(p).parent.name: r for p, r in results.problems}
    assert sorted(reasons) == ["fifo", "loss_text", "rows", "seconds", "zero"]
    assert "config.construction='notadict' is not an object" in reasons["rows"]
    assert "timing.seconds='fast' is not a number" in reasons["seconds"]
    assert "probes[0].members.final_loss[0]='low' is not a number or null" in reasons["loss_text"]
    assert "not a regular file" in reasons["fifo"] and "not a regular file" in reasons["zero"]
    with pytest.raises(ValueError, match="over the 10-byte cap"):
        load_json_file(tmp_path / "runs" / "good" / "result.json", max_bytes=10)


# 2 and 6. the cache: nothing written out through a link; a broken lock or shard is recovered
def test_cache_folders_and_locks_that_lead_out_or_cannot_be_used_are_moved_aside(tmp_path, capsys):
    import os
    from expressivity.storage.records import cache_path, config_hash
    from expressivity.job.runner import job_part
    from omegaconf import OmegaConf
    cache, outside = tmp_path / "cache", tmp_path / "outside"
    outside.mkdir()
    cfg = compose_job(*SMALL[:-1], f"cache_dir={cache}")
    digest = config_hash(job_part(OmegaConf.to_container(cfg, resolve=True)))
    entry = cache_path(cache, digest)
    cache.mkdir()
    entry.parent.symlink_to(outside, target_is_directory=True)        # the shard is a link out
    (cache / "quarantine").symlink_to(outside, target_is_directory=True)
    run_job(cfg, tmp_path / "r1")
    assert list(outside.iterdir()) == [], "written through a link out of the cache"
    assert entry.is_file() and not entry.parent.is_symlink()
    assert not (cache / "quarantine").is_symlink() or True   # only replaced when used
    err = capsys.readouterr().err
    assert "is a symbolic link (writes would leave the cache); moved to" in err
    # a lock that is a link out, then a shard this process cannot use (mode 000 for a non-root)
    lock = tmp_path / "outside" / "lock"
    entry.unlink()
    os.unlink(str(entry) + ".lock")
    os.symlink(lock, str(entry) + ".lock")
    run_job(cfg, tmp_path / "r2")
    assert not lock.exists() and not os.path.islink(str(entry) + ".lock")
    real_access = os.access
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "access", lambda p, mode: False if str(p) == str(entry.parent) else real_access(p, mode))
        record = run_job(cfg, tmp_path / "r3")   # recovered, not raised on every re-run
    assert record["timing"]["cached"] is False and entry.is_file()
    assert "is a folder this process cannot read, write or enter; moved to" in capsys.readouterr().err
    # a quarantined entry goes into a real folder, never through the link
    entry.write_text("{broken")
    run_job(cfg, tmp_path / "r4")
    assert (cache / "quarantine").is_dir() and not (cache / "quarantine").is_symlink()
    assert list(outside.iterdir()) == []


def test_a_cached_record_carries_the_asking_jobs_unhashed_keys(tmp_path):
    first = compose_job(*SMALL[:-1], f"cache_dir={tmp_path / 'cache'}", "profile=quick",
                        "trainer.threads=1", "objective.metric=success_rate")
    run_job(first, tmp_path / "a")
    second = compose_job(*SMALL[:-1], f"cache_dir={tmp_path / 'cache'}", "profile=full",
                         "trainer.threads=2", "objective.metric=best_loss")
    from omegaconf import OmegaConf
    OmegaConf.update(second, "experiment", "other")
    record = run_job(second, tmp_path / "b")
    assert record["timing"]["cached"] is True
    assert (record["config"]["profile"], record["config"]["trainer"]["threads"],
            record["config"]["objective"]["metric"], record["experiment"]) == ("full", 2, "best_loss", "other")
