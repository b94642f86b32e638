"""The number a job returns to Hydra, so that sweepers (Optuna, Nevergrad) can optimise it.

``objective.metric`` names a quantity of the job's record and
``objective.direction`` says whether a sweeper should maximise or minimise it.
The job returns the raw metric (never sign-flipped); the sweeper's own
``direction`` must agree with ``objective.direction`` (an experiment file sets
``hydra.sweeper.direction: ${objective.direction}``), and a job whose sweeper
says otherwise stops before any work.
"""
import math

from expressivity.job.config import ConfigError

# metric -> (where it is defined, what it measures, its natural direction)
TRAINING_METRICS = {
    "success_rate": "maximize",      # fraction of restarts that fit the truth table exactly
    "best_loss": "minimize",         # lowest final loss over the restarts
    "median_loss": "minimize",
    "diverged_rate": "minimize",
    "median_fit_epoch": "minimize",  # median epoch of an exact fit, over fitted restarts
}
SEARCH_METRICS = {
    "min_width": "minimize",         # smallest width at which the best restart fits
    "min_parameters": "minimize",
}
# Defined for every job: epochs trained per member (a member stops at its fit, or at the
# budget), over every probe: low when members fit fast and few run the whole budget.
ANY_JOB_METRICS = {"epochs_per_member": "minimize"}
DIRECTIONS = ("maximize", "minimize")


def allowed_metrics(search_kind):
    """{metric: natural direction} defined for jobs with ``search.kind == search_kind``."""
    own = SEARCH_METRICS if search_kind == "min_width" else TRAINING_METRICS
    return {**own, **ANY_JOB_METRICS}


def check_objective(cfg):
    """Raise ``ConfigError`` unless ``cfg.objective`` names a metric this job defines and a
    direction; None when all is well."""
    metric, direction = cfg.objective.metric, cfg.objective.direction
    allowed = allowed_metrics(cfg.search.kind)
    if metric not in allowed:
        raise ConfigError(f"objective.metric={metric!r} is not allowed for search.kind="
                          f"{cfg.search.kind}; allowed: one of {', '.join(sorted(allowed))}")
    if direction not in DIRECTIONS:
        raise ConfigError(f"objective.direction={direction!r} is not allowed; allowed: "
                          f"one of {', '.join(DIRECTIONS)}")


def check_sweeper_direction(objective, sweeper):
    """Raise ``ConfigError`` when a sweeper with a ``direction`` (Optuna; Nevergrad's
    ``optim.maximize``) would optimise the other way from ``objective.direction``."""
    said = sweeper.get("direction") if hasattr(sweeper, "get") else None
    if said is None and hasattr(sweeper, "get") and sweeper.get("optim") is not None:
        maximize = sweeper.optim.get("maximize")
        said = None if maximize is None else ("maximize" if maximize else "minimize")
    said = getattr(said, "name", said)
    if said is not None and str(said) != objective.direction:
        raise ConfigError(f"hydra.sweeper direction={str(said)!r} disagrees with "
                          f"objective.direction={objective.direction!r}; allowed: the same "
                          "direction (set hydra.sweeper.direction: ${objective.direction})")


def objective_value(record, objective):
    """The float ``objective.metric`` of a job ``record``.

    A metric the job leaves undefined (``best_loss`` when every member diverged,
    ``min_width`` when nothing fits up to ``search.max_width``) is
    ``objective.if_undefined`` (NaN when null: the sweeper then counts a failed trial).
    """
    if objective.metric in ANY_JOB_METRICS:
        members = sum(p["summary"]["restarts"] for p in record["probes"])
        return record["timing"]["member_epochs"] / max(members, 1)
    value = record["summary"].get(objective.metric)
    if value is None:
        fallback = objective.get("if_undefined")
        return math.nan if fallback is None else float(fallback)
    return float(value)
