"""Checks and additions for ``+experiment=<name>`` overrides, made before Hydra composes."""
from pathlib import Path

from omegaconf import OmegaConf

from expressivity.job.conf_files import experiments_dir
from expressivity.job.config import Config
from expressivity.job.consistency import bool_keys

EXPERIMENTS = experiments_dir()


USER_CONFIG_FLAGS = ("-cd", "--config-dir", "-cp", "--config-path")


def unknown_experiment(overrides, folder=EXPERIMENTS):
    """The message for an ``+experiment=<name>`` override naming no experiment file, or None.

    Hydra says "could not find experiment/<name>" only while the experiment group
    holds at least one entry; otherwise it complains that a key ``experiment``
    already exists, which names neither the value nor what is allowed.
    """
    if any(o.lstrip("+").startswith("hydra.searchpath") or o.split("=")[0] in USER_CONFIG_FLAGS
           for o in overrides):
        return None   # extra config folders may hold the experiment: Hydra decides
    known = sorted(p.stem for p in Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []
    for override in overrides:
        key, _, value = override.lstrip("+").partition("=")
        if key != "experiment" or not override.startswith("+"):
            continue
        for name in value.split(","):
            if name not in known:
                allowed = ("one of " + ", ".join(known) + " (files in experiments/)" if known
                           else "none yet: experiments/ holds no <name>.yaml")
                return f"experiment={name!r} is not allowed; allowed: {allowed}"
    return None


def experiment_file_problem(overrides, folder=EXPERIMENTS):
    """The message for an ``+experiment=<name>`` file that sets a boolean key to a non-boolean
    (``model: {bias: 2}``, which OmegaConf would turn into true) or names itself with a name
    that is not a safe folder name (``experiment: ../../x``), or None."""
    from expressivity.job.paths import name_problem
    flags = bool_keys(Config)
    for override in overrides:
        key, _, value = override.lstrip("+").partition("=")
        if key != "experiment" or not override.startswith("+"):
            continue
        for name in value.split(","):
            path = Path(folder) / f"{name}.yaml"
            if not path.is_file():
                continue
            try:
                raw = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
            except Exception:
                continue   # Hydra reports a file it cannot parse
            if not isinstance(raw, dict):
                continue
            where = f" (in {path.name})"
            if "experiment" in raw and not str(raw["experiment"]).startswith("${"):
                problem = name_problem("experiment", raw["experiment"])
                if problem:
                    return problem + where
            for dotted in flags:
                node = raw
                for part in dotted.split("."):
                    node = node.get(part) if isinstance(node, dict) else None
                if node is not None and not isinstance(node, bool) and not str(node).startswith("${"):
                    return f"{dotted}={node!r} is not allowed; allowed: true or false" + where
    return None


# Hydra groups an experiment file may need a plugin for; its defaults list names the choice.
PLUGIN_GROUPS = ("hydra/sweeper", "hydra/launcher")
RAY_STORE = "hydra.launcher.ray.init.object_store_memory"


def plugin_overrides(args, folder=EXPERIMENTS):
    """Overrides to add to ``args`` so that Hydra honours what the chosen experiment files
    need: the sweeper or launcher their defaults list selects (``override
    /hydra/sweeper: optuna``), which the project's config.yaml would otherwise outrank;
    under Optuna, its direction taken from ``objective.direction``; under the Ray plugin's
    own ``hydra/launcher=ray``, no object store size (Ray refuses one when it joins a
    running cluster). Choices already on the command line are kept as they are."""
    import yaml
    chosen = {a.split("=", 1)[0].lstrip("+") for a in args if "=" in a}
    added = []
    for arg in args:
        key, _, value = arg.lstrip("+").partition("=")
        if key != "experiment" or not arg.startswith("+"):
            continue
        for name in value.split(","):
            path = Path(folder) / f"{name}.yaml"
            try:
                defaults = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("defaults")
            except (OSError, yaml.YAMLError):
                continue
            for entry in defaults or []:
                if not isinstance(entry, dict):
                    continue
                for group, choice in entry.items():
                    group = group.replace("override", "").strip().lstrip("/")
                    if group in PLUGIN_GROUPS and group not in chosen:
                        added.append(f"{group}={choice}")
                        chosen.add(group)
    choice = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in [*args, *added] if "=" in a}
    if choice.get("hydra/sweeper") == "optuna" and "hydra.sweeper.direction" not in chosen:
        added.append("hydra.sweeper.direction=${objective.direction}")
    if choice.get("hydra/launcher") == "ray" and not any(
            RAY_STORE in key for key in chosen):
        # The plugin's own ray launcher passes an object store size, which Ray refuses when
        # it joins a running cluster; null lets the cluster (or a new local one) decide.
        added.append(f"++{RAY_STORE}=null")
    return added
