"""Construction jobs: config -> job -> record (hash, provenance, cache) -> rows -> claim."""
import json

import pandas as pd
import pytest
from omegaconf import OmegaConf

from tests.support.jobs import compose_job, construction_results
from expressivity.storage.records import shape_problem
from expressivity.claims.constructed import construction_frame
from expressivity.job.config import ConfigError, validate
from expressivity.constructions import REGISTRY, construction_problem
from expressivity.constructions.counting import architecture_rows, threshold_rows
from expressivity.storage.records import config_hash
from expressivity.storage.results import Results
from expressivity.job.runner import run_job

SMALL_ARCHS = [{"sizes": [2, 1], "values": [-1, 0, 1]}, {"sizes": [2, 2, 1], "values": [-1, 1]}]


def _job(tmp_path, name="counting_architectures", **params):
    cfg = compose_job(f"construction={name}", f"cache_dir={tmp_path / 'cache'}")
    for key, value in params.items():
        cfg.construction[key] = value
    return cfg


def test_a_construction_record_has_hash_provenance_and_comes_from_the_cache_the_second_time(tmp_path):
    cfg = _job(tmp_path, architectures=SMALL_ARCHS)
    first = run_job(cfg, tmp_path / "a")
    second = run_job(cfg, tmp_path / "b")
    assert first["timing"]["cached"] is False and second["timing"]["cached"] is True
    on_disk = json.loads((tmp_path / "a" / "result.json").read_text())
    assert on_disk["config_hash"] == config_hash(on_disk["config"]) and len(on_disk["config_hash"]) == 64
    assert {"git_commit", "numpy", "python"} <= set(on_disk["provenance"])
    assert shape_problem(on_disk) is None and on_disk["probes"] == []
    assert set(on_disk["config"]) == {"construction", "experiment", "profile", "cache_dir"}  # no trainer
    assert on_disk["rows"] == architecture_rows(SMALL_ARCHS) == second["rows"]


def test_the_hash_follows_the_construction_section_alone(tmp_path):
    base = compose_job("construction=counting_thresholds")
    a = OmegaConf.to_container(base)
    b = {**a, "seed": 7, "task": {**a["task"], "n": 3}}        # not read by a construction job
    c = {**a, "construction": {**a["construction"], "max_n": 4}}
    assert config_hash(a) == config_hash(b) != config_hash(c)


def test_a_training_job_hashes_as_before_without_a_construction():
    training = OmegaConf.to_container(compose_job())
    assert training["construction"] is None
    without = {k: v for k, v in training.items() if k != "construction"}
    assert config_hash(training) == config_hash(without)
    assert config_hash(training) != config_hash({**training, "seed": 1})


def test_an_unknown_construction_is_one_clear_error_before_any_work(tmp_path):
    cfg = _job(tmp_path)
    cfg.construction.name = "sorting_hat"
    with pytest.raises(ConfigError) as error:
        validate(cfg)
    message = str(error.value)
    assert "construction.name='sorting_hat' is not allowed" in message
    assert all(name in message for name in REGISTRY)
    with pytest.raises(ConfigError):
        run_job(cfg, tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()


def test_an_unknown_or_missing_parameter_names_the_key():
    assert "construction.sizes=[2] is not allowed" in construction_problem(
        {"name": "counting_architectures", "architectures": [], "sizes": [2]})
    assert "construction.max_weight=None" in construction_problem(
        {"name": "counting_thresholds", "max_n": 3, "two_unit_max_n": 2})
    assert construction_problem({"name": "counting_thresholds", "max_n": 3, "max_weight": 2,
                                 "two_unit_max_n": 2}) is None


def test_every_registered_construction_has_a_config_file_that_validates():
    for name in REGISTRY:
        cfg = compose_job(f"construction={name}")
        assert cfg.construction.name == name and validate(cfg) is None


@pytest.mark.parametrize("experiment", ["backprop", "counting", "universality", "product_constructions",
                                        "linear_constructions", "approximation_constructions",
                                        "bias_constructions", "depth_constructions"])
def test_construction_experiments_compose(experiment):
    cfg = compose_job(f"+experiment={experiment}")
    assert cfg.experiment == experiment and cfg.construction is None   # the sweep picks the construction


def test_rows_keep_each_constructions_types_and_the_claim_reads_what_the_function_gives(tmp_path):
    results = construction_results(tmp_path, ("counting_architectures", {"architectures": SMALL_ARCHS}),
                                   ("counting_thresholds", {"max_n": 3, "max_weight": 2,
                                                            "two_unit_max_n": 2}))
    arch = construction_frame(results, "counting_architectures", {"architectures": SMALL_ARCHS})
    pd.testing.assert_frame_equal(arch, pd.DataFrame(architecture_rows(SMALL_ARCHS)))
    assert arch["k"].dtype.kind == "i"             # not upcast by the thresholds' missing k
    thresholds = construction_frame(results, "counting_thresholds", {"max_n": 3})
    pd.testing.assert_frame_equal(thresholds, pd.DataFrame(threshold_rows(3, 2, 2)))


def test_a_record_made_with_other_parameters_than_the_rule_stops_the_claim(tmp_path):
    results = construction_results(tmp_path, ("counting_architectures", {"architectures": SMALL_ARCHS}))
    with pytest.raises(ValueError, match="record's architectures=.* is not the claim's registered"):
        construction_frame(results, "counting_architectures", {"architectures": SMALL_ARCHS[:1]})
    with pytest.raises(ValueError, match="no records of construction 'counting_thresholds'"):
        construction_frame(results, "counting_thresholds", {})
    empty = Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    with pytest.raises(ValueError, match="run its sweep first"):
        construction_frame(empty, "counting_thresholds", {})


def test_a_construction_record_with_broken_rows_is_not_sound(tmp_path):
    record = run_job(_job(tmp_path, architectures=SMALL_ARCHS), tmp_path / "a")
    assert shape_problem({**record, "rows": "many"}) == "incomplete: 'rows' not a list of objects"
    assert shape_problem({**record, "rows": [1, 2]}) == "incomplete: 'rows' not a list of objects"


def test_backprop_reads_exactly_what_the_function_gives(tmp_path):
    from tests.support.claimkit import rule_of
    from expressivity.claims.backprop import claim as backprop
    from expressivity.constructions.backprop import gradient_errors
    small = dict(activations=["tanh", "relu"], losses=["squared"], depths=[0, 1], bias=[True], members=2)
    rule = rule_of("backprop", **small)
    ev = backprop.evidence(construction_results(tmp_path, ("gradient_errors", small)), rule)
    direct = pd.DataFrame(gradient_errors(**{k: getattr(rule, k) for k in backprop.PARAMETERS}))
    pd.testing.assert_frame_equal(ev.table, direct.drop(columns="accelerator"))
    assert ev.worst == direct["max_error"].max() and ev.kept == direct["kept"].sum()


def test_linear_collapse_rows_are_exact_and_seeded():
    from expressivity.constructions.linear import collapse_rows
    rows = collapse_rows(3, 0, 4, 3, 2, 5)
    assert [(r["depth"], r["bias"]) for r in rows] == [(d, b) for d in (1, 2, 3) for b in (True, False)]
    assert all(0 <= r["relative_error"] < 1e-12 for r in rows)
    assert rows == collapse_rows(3, 0, 4, 3, 2, 5) != collapse_rows(3, 1, 4, 3, 2, 5)


def test_xor_is_the_one_parity_code_and_not_a_threshold_function():
    from expressivity.constructions.linear import xor_code, xor_rows
    assert xor_code() == 0b0110                       # rows 01 and 10 are 1 in counting order
    assert xor_rows() == [{"xor_linearly_separable": False, "threshold_functions": 14, "stable_at_m": 2}]
