"""Constructions and exact counts run as jobs: a registered name -> a function -> rows.

A job whose config sets ``construction`` (a config group, ``conf/construction/<name>.yaml``)
runs no training: ``runner`` calls ``REGISTRY[construction.name](**params)`` and keeps the
rows (a list of flat dicts) in its record, with config hash, provenance and cache like
any training job. The claims read those rows (``Results.rows``) instead of computing them.
Every function here is deterministic in its parameters (seeded where random).
"""
import inspect

from expressivity.constructions import approximation, backprop, bias, counting, depth, linear, product, universality

REGISTRY = {
    "gradient_errors": backprop.gradient_errors,
    "counting_architectures": counting.architecture_rows,
    "counting_thresholds": counting.threshold_rows,
    "linear_collapse": linear.collapse_rows,
    "linear_xor": linear.xor_rows,
    "approximation_sawtooth": approximation.sawtooth_rows,
    "bias_reach": bias.reach_rows,
    "universality_dnf": universality.dnf_rows,
    "universality_parity": universality.parity_rows,
    "product_gate": product.gate_rows,
    "product_networks": product.network_rows,
    "depth_constructions": depth.rows,
}


def parameters(section):
    """The keyword arguments of a ``construction`` section: every key but ``name``."""
    return {k: v for k, v in dict(section).items() if k != "name"}


def construction_problem(section):
    """Why a ``construction`` section cannot run (unknown name, missing or unknown parameter), or None.

    One message naming the key, the value and what is allowed, before any work.
    """
    name = section.get("name") if hasattr(section, "get") else None
    if name not in REGISTRY:
        return (f"construction.name={name!r} is not allowed; allowed: one of "
                + ", ".join(sorted(REGISTRY)))
    wanted = list(inspect.signature(REGISTRY[name]).parameters)
    given = parameters(section)
    for key in given:
        if key not in wanted:
            return (f"construction.{key}={given[key]!r} is not allowed; allowed: the parameters "
                    f"of construction {name}: {', '.join(wanted)}")
    missing = [k for k in wanted if k not in given]
    if missing:
        return (f"construction.{missing[0]}=None is not allowed; allowed: a value (construction "
                f"{name} needs {', '.join(wanted)})")
    return None


def run_construction(section):
    """The rows of one construction section: a list of flat dicts (plain JSON values)."""
    problem = construction_problem(section)
    if problem:
        raise ValueError(problem)
    return list(REGISTRY[section["name"]](**parameters(section)))
