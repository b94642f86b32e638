"""Property-based tests (Hypothesis): any override or record file runs or stops cleanly.

An override either composes and runs, or is refused with one message: by
Hydra while composing (a type, a key, a group option) or by our checks
(``ConfigError``); no other exception, nothing written. A record file is
either read or named as unreadable; the cache serves it or quarantines it.
The outcomes are counted in ``OUTCOMES`` (printed at the end of the module).
"""
import collections
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings, strategies as st
from omegaconf.errors import OmegaConfBaseException
from hydra.errors import HydraException

from expressivity.storage.cache import load_cached
from expressivity.storage.records import seal
from omegaconf import OmegaConf

from expressivity.job.config import ConfigError, single_run_problem, validate
from expressivity.storage.records import cache_path
from expressivity.storage.results import load_results
from expressivity.job.runner import run_job
from tests.support.jobs import compose_job

ROOT = Path(__file__).resolve().parents[2]
BASE = ["task.n=2", "model.width=2", "trainer.restarts=2", "trainer.max_epochs=3", "cache_dir=null"]
KEYS = ["task.name", "task.n", "task.encoding", "task.seed", "task.points", "task.sampling",
        "task.L", "task.outlier_fraction", "model.depth", "model.width", "model.widths",
        "model.activation", "model.init", "model.init_scale", "model.bias", "model.dtype",
        "trainer.loss", "trainer.lr", "trainer.schedule", "trainer.tau", "trainer.gamma",
        "trainer.momentum", "trainer.batch_size", "trainer.max_epochs", "trainer.tol",
        "trainer.restarts", "trainer.record_every", "trainer.chunk_size", "trainer.threads",
        "trainer.memory_budget_gb", "search.kind", "search.max_width", "seed", "profile",
        "experiment", "+foo", "+model.extra", "model.widht", "diagnose.enabled", "trainer.backend"]
OUTCOMES = collections.Counter()
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

numbers = st.one_of(st.integers(-3, 40), st.sampled_from([2 ** 31, 10 ** 12, -10 ** 12]),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([1e308, -0.0, 5e-324, 0.5]))
words = st.one_of(st.sampled_from(["relu", "sigmoid", "parity", "true", "false", "null", "2",
                                   "'it''s'", "[]", "[4,4]", "[0]", "{}", "a,b", "${oc.env:HOME}",
                                   "../x", "", "x" * 70, "é", "1e7", "0x10", "nan", "-inf"]),
                  st.text(alphabet="ab01.-_/'\"=,[]{}$ ", max_size=12))
values = st.one_of(numbers.map(repr), words)


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print(f"\nfuzz outcomes: {dict(OUTCOMES)}", file=sys.__stderr__)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(KEYS), values), min_size=1, max_size=3))
# Valid inputs that must run (random triples are mostly refused): each path of the job once.
@example([("model.activation", "relu"), ("model.depth", "2")])
@example([("diagnose.enabled", "true"), ("task.n", "3")])
@example([("trainer.batch_size", "1"), ("trainer.momentum", "0.5")])
@example([("search.kind", "min_width"), ("search.max_width", "4")])
def test_any_override_runs_or_is_refused_with_one_message(tmp_path_factory, pairs):
    overrides = [f"{key}={value}" for key, value in pairs]
    out = tmp_path_factory.mktemp("job")
    with address_space_cap():
        _run_or_refuse(overrides, out)


def _run_or_refuse(overrides, out):
    problem = single_run_problem(overrides)
    if problem:
        OUTCOMES["overrides: refused (boolean)"] += 1
        return
    try:
        cfg = compose_job(*BASE, *overrides)
        resolved = OmegaConf.create(OmegaConf.to_container(cfg, resolve=True))   # interpolations
    except (HydraException, OmegaConfBaseException, ValueError):
        OUTCOMES["overrides: refused by Hydra"] += 1
        return
    try:
        validate(resolved)
    except ConfigError as error:
        assert str(error) and "\n" not in str(error)
        assert not list(out.iterdir())
        OUTCOMES["overrides: refused by our checks"] += 1
        return
    if not cheap(cfg):   # valid, but e.g. 10**12 epochs: too long to train in a test
        OUTCOMES["overrides: valid, too long to run here"] += 1
        return
    run_job(cfg, out)
    assert (out / "result.json").exists()
    OUTCOMES["overrides: ran"] += 1


@contextlib.contextmanager
def address_space_cap(extra_bytes=2 * 1024 ** 3):
    """Cap this process's address space at its current size + ``extra_bytes`` (Linux), so a
    config that slipped past the memory estimate fails with MemoryError instead of swapping
    the machine (a fuzz case once took 17 GB)."""
    try:
        size = int(next(line.split()[1] for line in open("/proc/self/status")
                        if line.startswith("VmSize:"))) * 1024
    except (OSError, StopIteration):
        yield
        return
    old = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size + extra_bytes, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, old)


def cheap(cfg):
    """Whether a valid job trains in well under a second."""
    t, m, tr = cfg.task, cfg.model, cfg.trainer
    rows = 2 ** t.n if t.name not in ("product", "sawtooth", "constant") else t.points
    width = max([m.width, *(m.widths or []), cfg.search.max_width if cfg.search.kind != "none" else 0])
    steps = tr.max_epochs * max(1, rows // max(1, tr.batch_size or rows))   # SGD steps, each a Python call
    return (tr.max_epochs * rows * tr.restarts * width ** 2 * max(m.depth, 1) <= 5e6
            and steps <= 2000 and rows <= 4096)


def json_values():
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                       st.floats(allow_nan=False, allow_infinity=False))
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
        max_leaves=10)


@pytest.fixture(scope="module")
def good_record(tmp_path_factory):
    return run_job(compose_job(*BASE), tmp_path_factory.mktemp("good"))


def _mutate(record, path, value):
    """A copy of ``record`` with the item at ``path`` (indices into nested dicts) replaced."""
    copy = json.loads(json.dumps(record))
    node = copy
    for step in path[:-1]:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys or not isinstance(node[keys[step % len(keys)]], (dict, list)):
            break
        node = node[keys[step % len(keys)]]
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if keys:
        node[keys[path[-1] % len(keys)]] = value
    return copy


@FUZZ
@given(st.lists(st.integers(0, 50), min_size=1, max_size=5), json_values(), st.booleans())
def test_any_damaged_record_is_read_or_named_and_never_served_from_the_cache(
        good_record, path, value, keep_checksum):
    record = _mutate(good_record, path, value)
    if not keep_checksum:
        record.pop("checksum", None)
    with tempfile.TemporaryDirectory() as folder:
        job = Path(folder) / "job"
        job.mkdir()
        (job / "result.json").write_text(json.dumps(record))
        results = load_results([folder])
        assert len(results.jobs) + len(results.problems) == 1
        OUTCOMES["records: read" if len(results.jobs) else "records: named unreadable"] += 1
        entry = cache_path(folder, good_record["config_hash"])
        entry.parent.mkdir(parents=True)
        entry.write_text(json.dumps(record))
        served = load_cached(folder, good_record["config_hash"], stream=open("/dev/null", "w"))
        if served is not None:
            assert served == seal(json.loads(json.dumps(served)))   # sound, and its own checksum
            OUTCOMES["cache: served"] += 1
        else:
            assert not entry.exists()    # quarantined
            OUTCOMES["cache: quarantined"] += 1


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_as_a_record_are_named_not_fatal(data):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "result.json").write_bytes(data)
        results = load_results([folder])
        assert len(results.problems) == 1
        OUTCOMES["bytes: named unreadable"] += 1


@pytest.mark.parametrize("override", ["trainer.lr=-1", "model.bias=2", "model.width=wide",
                                      "+foo=1", "profile=../x", "task=nope"])
def test_the_command_line_stops_cleanly_without_a_traceback(tmp_path, override):
    cmd = [sys.executable, "-m", "expressivity", *BASE, override, f"hydra.run.dir={tmp_path / 'r'}"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode in (1, 2) and out.stderr.strip() and "Traceback" not in out.stderr
    assert not (tmp_path / "r" / "result.json").exists()
    OUTCOMES["command line: stopped cleanly"] += 1


HYDRA_KEYS = ["hydra.sweep.subdir", "hydra.run.dir", "hydra.sweep.dir", "hydra.launcher.n_jobs",
              "hydra.job_logging.root.level", "hydra.sweeper.max_batch_size", "objective.metric",
              "objective.direction", "tune.enabled", "tune.restarts", "tune.max_epochs", "task.terms",
              "task.L"]
hydra_values = st.one_of(values, st.sampled_from(["..", "../x", "a/../../b", "/tmp", "${hydra.job.num}",
                                                  "INFO", "NOPE", "100000", "-1", "9223372036854775807",
                                                  "${oc.env:HOME}", "${nope}", "interval(1,3)"]))


@settings(FUZZ, max_examples=30)
@given(st.lists(st.tuples(st.sampled_from(HYDRA_KEYS + KEYS), hydra_values), min_size=1, max_size=3),
       st.booleans())
def test_the_preflight_never_raises_and_refuses_with_one_message(pairs, multirun):
    """Whatever the overrides (Hydra's own keys too), the pre-flight of ``python -m expressivity``
    returns None (run, or left to Hydra's own clean message) or one message; it never raises,
    and its folder checks leave nothing behind."""
    import os
    from expressivity.sweeps.preflight import check_before_hydra as preflight
    args = (["-m"] if multirun else []) + BASE + [f"{key}={value}" for key, value in pairs]
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            message = preflight(args)
        finally:
            os.chdir(here)
        assert message is None or (message.strip() and "Traceback" not in message)
        assert not [p for p in Path(folder).rglob("*")], "the pre-flight left files behind"
    OUTCOMES["preflight: refused" if message else "preflight: passed on"] += 1


@settings(FUZZ, max_examples=30)
@given(st.fixed_dictionaries({}, optional={"experiment": st.one_of(st.sampled_from(["ok", "../../x", "a/b", ""]), words),
                                           "model": st.fixed_dictionaries({}, optional={"bias": json_values()}),
                                           "tune": st.fixed_dictionaries({}, optional={"enabled": json_values()}),
                                           "diagnose": st.fixed_dictionaries({}, optional={"enabled": json_values()})}))
def test_any_experiment_file_is_read_raw_and_named_or_passed(content):
    """An experiment file's booleans are read as written (``bias: 2`` is not true) and its own
    ``experiment`` name must be a safe folder name; anything else is left to Hydra."""
    from expressivity.job.experiment_overrides import experiment_file_problem
    import yaml
    from omegaconf import OmegaConf
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "e.yaml").write_text("# @package _global_\n" + yaml.safe_dump(content))
        message = experiment_file_problem(["+experiment=e"], folder)
        # The oracle reads the file as Hydra will (OmegaConf's YAML: an unquoted 1e7 is a
        # number there, a string to PyYAML's dumper).
        content = OmegaConf.to_container(OmegaConf.load(Path(folder) / "e.yaml")) or {}
    flags = [content.get(s, {}).get(k, True) for s, k in (("model", "bias"), ("tune", "enabled"),
                                                           ("diagnose", "enabled"))]
    bad_flag = any(v is not None and not isinstance(v, bool) and not str(v).startswith("${")
                   for v in flags)
    name = content.get("experiment", "ok")
    bad_name = not str(name).startswith("${") and not __import__("re").fullmatch(
        r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", str(name)) or not isinstance(name, str) and "experiment" in content
    assert (message is not None) == (bad_flag or bad_name), (content, message)
    assert message is None or "\n" not in message
    OUTCOMES["experiment files: refused" if message else "experiment files: passed"] += 1
