"""The four central claims: experiment files compose under both profiles, claim
files carry their pre-registered rule, and the grids respect the budgets' floor
(>= 100 restarts per cell in full; quick a subset of full)."""
import pandas as pd
import pytest
from hydra import compose, initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

from tests.support.claimkit import analyse, claim_of
from expressivity.job.config import register_configs, validate
from expressivity.job.experiment_overrides import EXPERIMENTS
from expressivity.claims.registry import discover
from expressivity.storage.results import Results
from tests.support.jobs import CONF

MINE = ["depth_vs_width", "activation", "loss", "restarts"]
REQUIRED = {"id", "title", "statement", "rule", "sweeps", "expect"}
RULE_NUMBERS = {
    "depth_vs_width": {"aic_margin", "min_n", "exist_n_min", "exist_n_max", "depth_helps_ratio",
                       "growth_factor", "r2_min"},
    "activation": {"deep_from", "shallow_to", "min_fits", "pair", "sigmoid_factor_band", "relu_factor_band"},
    "loss": {"setting_lr", "min_fraction", "settle_ratio", "decay_ratio", "robust_ratio", "r2_min",
             "min_fits", "step_band"},
    "restarts": {"target", "min_cells"},
}
SWEEPS = [s for claim in MINE for s in discover()[claim].sweeps]


def sweep_config(sweep, profile):
    register_configs()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return compose(config_name="config", overrides=[f"+experiment={sweep}", f"profile={profile}"],
                       return_hydra_config=True)


def grid(cfg):
    """{key: [values]} of the Hydra sweep, expanded as the sweeper would."""
    params = OmegaConf.to_container(cfg.hydra.sweeper.params, resolve=True)
    parser = OverridesParser.create()
    expanded = {}
    for key, value in params.items():
        override = parser.parse_overrides([f"{key}={value}"])[0]
        expanded[key] = (list(override.sweep_string_iterator()) if override.is_sweep_override()
                         else [str(override.value())])
    return expanded


def _restarts(job):
    """Restarts per cell: trainer.restarts, or for a converged_width search the member-epochs of
    its largest budget over 100 epochs-per-restart units (a ladder of growing budgets replaces
    the fixed >= 100 restarts: 8000 epochs x 8 restarts counts as 640)."""
    search = job["search"]
    if search["kind"] != "converged_width":
        return job["trainer"]["restarts"]
    return search["budget_epochs"][-1] * search["budget_restarts"][-1] // 100


def test_the_four_claims_are_discovered_in_report_order():
    assert list(discover())[:4] == MINE


@pytest.mark.parametrize("claim", MINE)
def test_claim_file_has_statement_rule_and_numbers(claim):
    block = discover()[claim].meta
    assert REQUIRED <= set(block), REQUIRED - set(block)
    assert block["id"] == claim and block["sweeps"][0] == claim
    assert RULE_NUMBERS[claim] <= set(block), RULE_NUMBERS[claim] - set(block)
    for sweep in block["sweeps"]:
        assert (EXPERIMENTS / f"{sweep}.yaml").exists()


@pytest.mark.parametrize("sweep", SWEEPS)
def test_sweep_composes_under_both_profiles_and_quick_is_inside_full(sweep):
    grids = {}
    for profile in ("quick", "full"):
        cfg = sweep_config(sweep, profile)
        assert cfg.experiment == sweep
        job = OmegaConf.to_container(cfg, resolve=False)
        job.pop("hydra")
        job = OmegaConf.to_container(OmegaConf.create(job), resolve=True)
        validate(OmegaConf.create(job))
        grids[profile] = (grid(cfg), _restarts(job))
        if profile == "full" and not {"seed", "construction"} & set(grids[profile][0]) \
                and not job.get("construction"):
            assert job["seed"] // 1000 == 1, (sweep, job["seed"])   # every full training job: block 1
    (quick, quick_restarts), (full, full_restarts) = grids["quick"], grids["full"]
    assert full_restarts >= 100 and quick_restarts <= full_restarts
    assert quick.keys() == full.keys()
    for key in quick:
        if key == "seed":   # full grids evaluate on seed block 1, quick ones mostly on block 0
            assert all(int(s) // 1000 == 1 for s in full[key]), (key, full[key])
            continue
        assert set(quick[key]) <= set(full[key]), (key, quick[key], full[key])


def test_every_activation_gets_the_same_tuning_budget_in_the_activation_sweep():
    register_configs()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        tunes = [compose(config_name="config", overrides=["+experiment=activation", f"model.activation={a}"]
                         ).tune for a in ("sigmoid", "tanh", "relu")]
    assert all(t.enabled for t in tunes)
    assert tunes[0] == tunes[1] == tunes[2]    # one grid, one budget, whatever the arm


@pytest.mark.parametrize("claim", MINE)
def test_a_claim_file_without_one_of_its_rule_numbers_is_refused_by_name(claim):
    missing = sorted(RULE_NUMBERS[claim])[0]
    broken = claim_of(claim)
    del broken.meta[missing]
    with pytest.raises(ValueError, match=f"claim {claim}: rule number {missing} is missing; allowed"):
        broken.rule()


@pytest.mark.parametrize("claim", MINE)
def test_an_analysis_of_no_records_is_inconclusive(claim, tmp_path):
    finding = analyse(claim, Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame()), tmp_path)
    assert finding.verdict == "inconclusive" and finding.claim_id == claim
    tested = "inconclusive" if claim == "depth_vs_width" else "not tested"   # it also decides existence
    assert finding.training.verdict == "inconclusive" and finding.exists.verdict == tested
