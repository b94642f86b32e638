"""Checks across keys, and of keys Hydra lets through: run by ``config.validate``.

- every key must be one of the schema's (Hydra's ``+key=value`` adds keys
  the schema does not know; they would be kept silently and do nothing);
- ``model.widths``, when given, must have ``model.depth`` entries (otherwise the
  record would say one depth while another was trained);
- ``model.init_scale`` at most ``MAX_INIT_SCALE``: larger weights overflow;
- ``profile`` and ``experiment`` become folder names: they must be safe names
  (``paths.NAME``), so ``profile=../../x`` cannot write outside ``runs/``;
- an override of a boolean key must say true or false (OmegaConf turns ``2`` into
  True): ``bool_override_problems`` checks the override strings themselves.
"""
import dataclasses

from expressivity.job.paths import name_problem

MAX_INIT_SCALE = 1e6
FREE_SECTIONS = ("claim", "grids")   # free-form blocks of experiment files
BOOL_WORDS = ("true", "false")


def _schema_keys(schema):
    return {f.name: f.type for f in dataclasses.fields(schema)}


def unknown_keys(cfg, schema):
    """Dotted names of keys in ``cfg`` that the dataclass ``schema`` (and its sections) lacks."""
    known, unknown = _schema_keys(schema), []
    for key in cfg:
        if key not in known:
            unknown.append(str(key))
        elif dataclasses.is_dataclass(known[key]) and key not in FREE_SECTIONS:
            unknown += [f"{key}.{k}" for k in unknown_keys(cfg[key], known[key])]
    return unknown


def consistency_problem(cfg, schema):
    """The first cross-key problem of a job config (a message), or None."""
    extra = unknown_keys(cfg, schema)
    if extra:
        return (f"{extra[0]} is not allowed (an unknown key; {len(extra)} in all: "
                f"{', '.join(extra)}); allowed: the keys of expressivity/job/config.py's schema")
    m = cfg.model
    if m.widths is not None and len(m.widths) != m.depth:
        return (f"model.depth={m.depth} with model.widths={list(m.widths)} is not allowed; "
                f"allowed: model.depth equal to len(model.widths) ({len(m.widths)})")
    if m.init_scale > MAX_INIT_SCALE:
        return (f"model.init_scale={m.init_scale!r} is not allowed; allowed: a positive "
                f"number at most {MAX_INIT_SCALE:g}")
    for key in ("profile", "experiment"):
        problem = name_problem(key, cfg[key])
        if problem:
            return problem
    return None


def bool_override_problems(overrides, bool_keys):
    """Messages for overrides like ``model.bias=2`` that give a boolean key a non-boolean value.

    ``overrides`` are ``key=value`` strings (a sweep's ``a,b`` lists are split);
    ``bool_keys`` are the dotted names of boolean keys.
    """
    problems = []
    for override in overrides:
        key, sep, value = override.lstrip("+~").partition("=")
        if not sep or key not in bool_keys:
            continue
        for item in value.split(","):
            if item.strip().lower() not in BOOL_WORDS:
                problems.append(f"{key}={item.strip()!r} is not allowed; allowed: true or false")
    return problems


def bool_keys(schema, prefix=""):
    """Dotted names of every boolean key of a dataclass schema."""
    keys = []
    for name, kind in _schema_keys(schema).items():
        if kind is bool:
            keys.append(prefix + name)
        elif dataclasses.is_dataclass(kind):
            keys += bool_keys(kind, f"{prefix}{name}.")
    return keys
