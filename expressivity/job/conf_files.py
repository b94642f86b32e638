"""Where the shipped configs live, and the experiment files registered as Hydra's ``experiment`` group.

The repository keeps the Hydra config groups in its top-level ``conf/`` and the
experiment files (the sweeps' deltas and grids) in its top-level
``experiments/``. Setuptools maps both into the package (``expressivity.conf``
and ``expressivity.experiments``, see pyproject.toml), so a checkout, an
editable install and an installed wheel find them the same way, through
``importlib.resources``.

Hydra reads ``conf/`` as the primary config folder. Experiment files are not
under ``experiments/`` (they sit beside ``conf/``), so
``register_experiments`` stores each one in Hydra's ConfigStore as
``experiment/<name>`` with package ``_global_``: ``+experiment=<name>``
composes exactly as a file ``experiments/<name>.yaml`` starting with
``# @package _global_`` would. A user's own experiment files, in a folder
added with ``--config-dir`` or ``hydra.searchpath``, are read by Hydra as files.
"""
from importlib import resources
from pathlib import Path

from hydra.core.config_store import ConfigStore
from omegaconf import OmegaConf

CONF_PACKAGE = "expressivity.conf"
EXPERIMENTS_PACKAGE = "expressivity.experiments"
# For Hydra's ``config_path``: the primary config folder, found as a package resource.
CONF_PATH = f"pkg://{CONF_PACKAGE}"


def conf_dir():
    """The folder of the shipped config groups (``conf/`` of a checkout), as a Path."""
    return Path(str(resources.files(CONF_PACKAGE)))


def experiments_dir():
    """The folder of the shipped experiment files (``experiments/`` of a checkout), as a Path."""
    return Path(str(resources.files(EXPERIMENTS_PACKAGE)))


def experiment_files(folder=None):
    """{name: path} of the experiment files in ``folder`` (default: the shipped ones)."""
    folder = Path(folder) if folder is not None else experiments_dir()
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def register_experiments(store=None):
    """Store every shipped experiment file as ``experiment/<name>`` (package ``_global_``)."""
    store = store or ConfigStore.instance()
    for name, path in experiment_files().items():
        store.store(group="experiment", name=name, node=OmegaConf.load(path),
                    package="_global_", provider="expressivity")
