"""Issue 19, point 1: the registered rule decides; a rule registered after its seed block first ran
is exploratory and never reaches the summary."""
from datetime import datetime, timezone

import pandas as pd
import pytest

from tests.support.jobs import compose_job
from tests.claims.test_claim_contract import TOY_PY   # decide_exists_registered: refuted on 2 + 2
from expressivity.claims.confirmation import (VersionVerdict, first_run, part_block, read_ledger,
                                              rule_versions, summarise)
from expressivity.claims.contract import AWAITING, Decision
from expressivity.claims import engine
from expressivity.claims.engine import evaluate
from expressivity.storage.records import HASHED_SECTIONS, config_hash, seed_block
from expressivity.claims.registry import Claim, discover
from expressivity.storage.results import Results, record_tables

LEDGER = read_ledger()


def _stub_verdicts(claim, ledger, block=0):
    """Every rule version of ``claim`` on ``block``, each saying a verdict named after it."""
    versions = rule_versions(claim.id, claim.meta, engine.tested_parts(claim.module()))
    out = []
    for v in versions:
        where = part_block(v.part, block, True)
        out.append(VersionVerdict(v, where, first_run(ledger, where, claim.sweeps),
                                  Decision("supported", {"version": v.version})))
    return out


@pytest.mark.parametrize("claim_id", list(discover()))
def test_every_rule_version_is_registered_and_has_its_decide_function(claim_id):
    claim = discover()[claim_id]
    module = claim.module()
    versions = rule_versions(claim.id, claim.meta, engine.tested_parts(module))
    assert versions and all(v.commit and v.registered.year >= 2026 for v in versions)
    assert all(callable(getattr(module, v.decide, None)) for v in versions)
    for entry in claim.meta.get("rule_history") or []:   # an earlier rule is a mapping with decide
        assert isinstance(entry, str) or "decide" in entry, entry


@pytest.mark.parametrize("claim_id", list(discover()))
def test_no_summary_verdict_comes_from_a_rule_registered_after_its_seed_block(claim_id):
    claim = discover()[claim_id]
    verdicts = _stub_verdicts(claim, LEDGER)
    for part, (decision, chosen) in summarise(verdicts, engine.tested_parts(claim.module())).items():
        if chosen is None:
            assert decision.verdict == AWAITING
            assert not any(v.confirmatory for v in verdicts if v.version.part == part)
        else:
            assert chosen.version.registered < chosen.first_run
            assert decision.numbers["version"] == chosen.version.version


EXPLORATORY_TODAY = {   # the cases: rules registered after their data was seen
    "restarts": {("training", "v2"), ("training", "v3")},            # v3: the ladder rule
    "activation": {("training", "v2"), ("training", "v3")},          # v3: the 12:20 change
    "depth_vs_width": {("exists", "v2"), ("training", "v2"), ("training", "v3")},
}


@pytest.mark.parametrize("claim_id", sorted(EXPLORATORY_TODAY))
def test_rules_registered_after_their_data_are_exploratory_and_the_summary_falls_back(claim_id):
    claim = discover()[claim_id]
    verdicts = _stub_verdicts(claim, LEDGER)
    exploratory = {(v.version.part, v.version.version) for v in verdicts if not v.confirmatory}
    assert EXPLORATORY_TODAY[claim_id] <= exploratory
    summary = summarise(verdicts, engine.tested_parts(claim.module()))
    assert summary["training"][1].version.version == "v1"          # the pre-registered rule
    if claim_id == "depth_vs_width":
        assert summary["exists"][0].verdict == AWAITING


def test_a_fresh_seed_block_declared_after_the_rules_confirms_the_current_rule():
    ledger = {**LEDGER, "1": {"first_run": datetime(2026, 12, 5, tzinfo=timezone.utc),
                              "commit": "next", "sweeps": {}}}
    claim = discover()["restarts"]
    verdicts = _stub_verdicts(claim, LEDGER, block=0) + _stub_verdicts(claim, ledger, block=1)
    chosen = summarise(verdicts, ["training"])["training"][1]
    assert chosen.version.current and chosen.block == "1"
    undeclared = _stub_verdicts(claim, LEDGER, block=2)        # not in the ledger: exploratory
    assert not any(v.confirmatory for v in undeclared)


TOY_YAML = """order: 15
title: A toy
statement: Two and two make four.
rule: supported if the sum equals `expected`.
expected: 4
sweeps: []
registered: {version: v2, date: "2026-12-01 10:00", commit: late}
rule_history:
  - part: exists
    decide: decide_exists_registered
    version: v1
    registered: {date: "REGISTERED", commit: early}
"""


def _toy(tmp_path, first):
    folder = tmp_path / "claims"
    (folder / "toy").mkdir(parents=True, exist_ok=True)
    (folder / "toy" / "claim.yaml").write_text(TOY_YAML.replace("REGISTERED", first))
    (folder / "toy" / "claim.py").write_text(TOY_PY)
    return discover([folder])["toy"]


def test_the_engine_shows_the_last_confirmatory_verdict_or_awaits_confirmation(tmp_path):
    empty = Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    fallback = evaluate(_toy(tmp_path, "2026-11-01 10:00"), empty, tmp_path)
    assert fallback.exists.verdict == "refuted" and fallback.basis("exists") == \
        "rule v1, seed block construction"                         # v1 ran before the block's first run
    assert fallback.current["exists"].verdict == "supported"       # v2, registered after: exploratory
    labels = list(fallback.registered)
    assert any("rule v2" in k and k.endswith("exploratory") for k in labels)
    assert any("rule v1" in k and k.endswith("confirmatory") for k in labels)
    awaiting = evaluate(_toy(tmp_path, "2026-11-30 10:00"), empty, tmp_path)
    assert awaiting.exists.verdict == AWAITING and awaiting.basis("exists") == "—"
    assert awaiting.exists.numbers == {"exploratory_verdict": "supported", "exploratory_rule": "v2"}


def test_a_claim_without_registration_or_an_earlier_rule_without_decide_is_refused(tmp_path):
    claim = _toy(tmp_path, "2026-11-01 10:00")
    meta = {k: v for k, v in claim.meta.items() if k != "registered"}
    with pytest.raises(ValueError, match="registered is missing"):
        rule_versions("toy", meta, ["exists"])
    meta = {**claim.meta, "rule_history": [{"part": "exists", "note": "changed after the pilot"}]}
    with pytest.raises(ValueError, match=r"rule_history\[0\] has no decide"):
        rule_versions("toy", meta, ["exists"])


def test_the_seed_block_is_derived_from_the_seed_and_leaves_config_hashes_alone():
    assert [seed_block(s) for s in (0, 1, 999, 1000, 2500)] == [0, 0, 0, 1, 2]
    assert seed_block(None) is None and "seed_block" not in HASHED_SECTIONS
    from omegaconf import OmegaConf
    config = OmegaConf.to_container(compose_job("task=parity", "task.n=2"), resolve=True)
    assert "seed_block" not in config             # not a config key: the hash is what it was
    record = {"config": config, "config_hash": config_hash(config), "experiment": "x", "probes": [],
              "summary": {}, "timing": {"seconds": 0.0}}               # an old record: no field
    _, _, job = record_tables(record, "job")
    assert job["seed_block"] == 0
    _, _, job = record_tables({**record, "config": {**config, "seed": 1003}}, "job")
    assert job["seed_block"] == 1


def test_every_registration_commit_is_in_the_history():
    """A rule version's commit must exist (a rebase that rewrites it must update the claim file)."""
    import shutil
    import subprocess
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    for claim in discover().values():
        for v in rule_versions(claim.id, claim.meta, engine.tested_parts(claim.module())):
            found = subprocess.run(["git", "cat-file", "-e", f"{v.commit}^{{commit}}"], cwd=root,
                                   capture_output=True)
            assert found.returncode == 0, f"{claim.id} rule {v.version}: commit {v.commit} not found"
