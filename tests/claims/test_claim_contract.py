"""The claim contract: verdict vocabulary, the overall rule, typed rules, discovery, the engine."""
import ast
import dataclasses
import io
from pathlib import Path

import pandas as pd
import pytest

from expressivity.analyse import report
from expressivity.claims.contract import NOT_TESTED, Decision, load_rule, overall
from expressivity.claims.engine import evaluate
from expressivity.claims.registry import CLAIMS_DIR, discover
from expressivity.storage.results import Results

EMPTY = Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
PACKAGE = Path(__file__).resolve().parents[2] / "expressivity"


@pytest.mark.parametrize("exists,training,expected", [
    (NOT_TESTED, NOT_TESTED, NOT_TESTED),
    ("supported", NOT_TESTED, "supported"),
    (NOT_TESTED, "refuted", "refuted"),
    ("supported", "supported", "supported"),
    ("mixed", "mixed", "mixed"),
    ("supported", "refuted", "mixed"),
    ("refuted", "mixed", "mixed"),
    ("supported", "inconclusive", "inconclusive"),
    ("inconclusive", "refuted", "inconclusive"),
])
def test_the_overall_verdict_follows_the_fixed_rule(exists, training, expected):
    assert overall(Decision(exists), Decision(training)) == expected
    assert overall(training, exists) == expected      # symmetric


def test_a_decision_with_an_unknown_verdict_is_refused():
    with pytest.raises(ValueError, match="verdict='likely' is not allowed; allowed: supported"):
        Decision("likely")


@dataclasses.dataclass(frozen=True)
class ToyRule:
    threshold: float
    cells: int
    names: list
    note: str = "default"


@pytest.mark.parametrize("numbers,message", [
    ({"threshold": 0.5, "cells": 2, "names": [], "extra": 1},
     "claim toy: rule number extra=1 is not allowed; allowed keys: threshold, cells, names, note"),
    ({"threshold": 0.5, "names": []}, "claim toy: rule number cells is missing; allowed: a value "
                                      "of type int"),
    ({"threshold": True, "cells": 2, "names": []}, "claim toy: threshold=True is not allowed; "
                                                   "allowed: a value of type float"),
    ({"threshold": 0.5, "cells": 2.5, "names": []}, "cells=2.5 is not allowed; allowed: a value "
                                                    "of type int"),
    ({"threshold": 0.5, "cells": 2, "names": "a"}, "names='a' is not allowed; allowed: a value "
                                                   "of type list"),
])
def test_a_rule_is_checked_key_by_key_with_one_clear_error(numbers, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_rule(ToyRule, numbers, "toy")


def test_a_valid_rule_loads_with_its_defaults():
    rule = load_rule(ToyRule, {"threshold": 1, "cells": 2, "names": ["a"]}, "toy")
    assert rule == ToyRule(1, 2, ["a"], "default")


@pytest.mark.parametrize("claim_id", list(discover()))
def test_every_built_in_claim_follows_the_contract(claim_id):
    claim = discover()[claim_id]
    module = claim.module()
    rule = claim.rule()     # every number of the claim file is a field of Rule, and typed
    assert {f.name for f in dataclasses.fields(rule)} == set(claim.numbers)
    for name in ("evidence", "figures", "text"):
        assert callable(getattr(module, name)), name
    assert any(callable(getattr(module, f"decide_{p}", None)) for p in ("exists", "training"))
    assert not hasattr(module, "analyse")
    assert isinstance(claim.meta["order"], int) and claim.meta["statement"]


def test_no_code_holds_a_list_of_claim_ids():
    ids = set(discover())
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                named = {e.value for e in node.elts if isinstance(e, ast.Constant)} & ids
                assert len(named) < 3, f"{path}: a hard-coded claim list {sorted(named)}"


TOY_YAML = """order: 15
title: A toy construction
statement: Two and two make four.
rule: supported if the sum equals `expected`, refuted otherwise.
expected: 4
sweeps: []
registered: {version: v2, date: "2026-11-20 10:00", commit: abc1234}
rule_history:
  - note: The rule first asked for five.
    part: exists
    decide: decide_exists_registered
    version: v1
    registered: {date: "2026-11-19 10:00", commit: abc0000}
"""
TOY_PY = """from dataclasses import dataclass
from expressivity.claims.contract import Decision


@dataclass(frozen=True)
class Rule:
    expected: int


def evidence(tables, rule):
    return 2 + 2


def decide_exists(ev, rule):
    return Decision("supported" if ev == rule.expected else "refuted", {"sum": ev})


def decide_exists_registered(ev, rule):
    return Decision("supported" if ev == 5 else "refuted", {"sum": ev})


def figures(ev, rule, writer):
    fig, axes = writer.figure()
    axes[0, 0].plot([0, 1], [0, ev])
    axes[0, 0].set(xlabel="step (count)", ylabel="sum (count)")
    return [writer.save(fig, "toy_sum.png")]


def text(ev, decisions, rule):
    return f"The sum is {ev}; verdict {decisions['exists'].verdict}."
"""


@pytest.fixture
def toy_folder(tmp_path):
    """A folder of claim folders holding one claim, ``toy/`` (claim.yaml, claim.py, a helper)."""
    folder = tmp_path / "claims"
    (folder / "toy").mkdir(parents=True)
    (folder / "toy" / "claim.yaml").write_text(TOY_YAML)
    # claim.py imports a helper beside it, as the built-in claims do.
    (folder / "toy" / "claim.py").write_text(TOY_PY.replace("    return 2 + 2", "    return add(2, 2)")
                                             .replace("from expressivity.claims.contract import Decision",
                                                      "from expressivity.claims.contract import Decision\n"
                                                      "from .arithmetic import add"))
    (folder / "toy" / "arithmetic.py").write_text("def add(a, b):\n    return a + b\n")
    return folder


def test_a_new_claim_is_a_folder_found_analysed_and_reported(toy_folder, tmp_path):
    assert "toy" not in discover()                     # nothing else was touched
    registry = discover([CLAIMS_DIR, toy_folder])
    assert list(registry).index("toy") == 1            # order 15: after order 10, before 20
    only = {"toy": registry["toy"]}
    stream = io.StringIO()
    assert report(runs=tmp_path / "runs", registry=only, out=tmp_path / "out", stream=stream) == 0
    assert "toy: supported (exists: supported; training finds: not tested)" in stream.getvalue()
    front = (tmp_path / "out" / "README.md").read_text()
    assert "| [A toy construction](claims/toy.md) " \
           "| supported | not tested | **supported** | exists v2 | exists construction |" in front
    assert "*We found:* constructions: it holds (sum: 4). **Supported.**" in front
    text = (tmp_path / "out" / "claims" / "toy.md").read_text()
    assert "Two and two make four." in text
    assert "| exists | v1, 2026-11-19 10:00 | construction | confirmatory | **refuted** |" in text
    assert ("**exists under rule v1 (`decide_exists_registered`; registered 2026-11-19 10:00 UTC, "
            "abc0000) on seed block construction: confirmatory: refuted**") in \
        text.split("<summary>Each version's deciding numbers</summary>")[1]
    assert "The sum is 4; verdict supported." in text
    assert (tmp_path / "out" / "figures" / "toy" / "toy_sum.png").exists()


def test_a_rule_history_naming_a_missing_function_is_an_error(toy_folder, tmp_path):
    (toy_folder / "toy" / "claim.yaml").write_text(TOY_YAML.replace("decide_exists_registered", "nope"))
    with pytest.raises(ValueError, match="rule_history decide='nope' is not allowed"):
        evaluate(discover([toy_folder])["toy"], EMPTY, tmp_path)


def test_a_claim_file_whose_id_is_not_its_folders_name_is_refused(toy_folder):
    (toy_folder / "toy" / "claim.yaml").write_text("id: other\n" + TOY_YAML)
    with pytest.raises(ValueError, match="id='other' is not allowed; allowed: 'toy'"):
        discover([toy_folder])


def test_an_unfinished_sweep_withholds_the_verdict_and_says_what_it_was(toy_folder, tmp_path):
    claim = discover([toy_folder])["toy"]
    finding = evaluate(claim, EMPTY, tmp_path, unfinished={"s": "sweep s failed"})
    assert finding.exists == Decision("inconclusive", {"sum": 4})
    assert "on the partial data the analysis returned `supported`" in finding.caveats[-1]


def test_a_users_claim_folder_is_reported_from_the_command_line(toy_folder, tmp_path, capsys):
    from expressivity.cli import main
    out = tmp_path / "out"
    assert main(["report", "--claims", "toy", "--claims-dir", str(toy_folder),
                 "--runs", str(tmp_path / "runs"), "--out", str(out)]) == 0
    assert "The sum is 4; verdict supported." in (out / "claims" / "toy.md").read_text()
    assert main(["report", "--claims-dir", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert "--claims-dir=" in capsys.readouterr().err


def test_deleting_a_claim_folder_deletes_the_claim(toy_folder):
    assert "toy" in discover([toy_folder])
    for path in (toy_folder / "toy").iterdir():
        path.unlink()
    (toy_folder / "toy").rmdir()
    assert discover([toy_folder]) == {}
