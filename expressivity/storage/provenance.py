"""Where a report came from: code commit, package versions, profile, time, unreadable records."""
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

# Report name -> distribution name, for the packages whose versions can change a number or a figure.
DISTRIBUTIONS = {"numpy": "numpy", "pandas": "pandas", "hydra": "hydra-core",
                 "scikit-learn": "scikit-learn", "seaborn": "seaborn", "matplotlib": "matplotlib"}


def package_versions():
    """{name: version} for Python and the packages in DISTRIBUTIONS ('not installed' if absent)."""
    versions = {"python": platform.python_version()}
    for name, dist in DISTRIBUTIONS.items():
        try:
            versions[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


# What makes the numbers: a change here that is not committed is flagged. (reports/ is not
# listed: it is rewritten by the very run being described.)
CODE_PATHS = ("expressivity", "conf", "experiments", "pyproject.toml")


def git_state(folder=None):
    """The HEAD commit of the repository holding this package, with '+ uncommitted changes' when
    its code differs from that commit; None when the package is not imported from a git
    checkout (an installed wheel; also one in a virtualenv that sits inside some repository)."""
    folder = Path(folder or Path(__file__).resolve().parents[1])   # the package folder

    def git(*args):
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    try:
        top = git("rev-parse", "--show-toplevel")
        if not top or Path(top).resolve() / folder.name != folder.resolve():
            return None   # this package is not the checkout's own expressivity/ folder
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--",
                    *(f":(top){path}" for path in CODE_PATHS))
    except (OSError, subprocess.SubprocessError):
        return None
    if not commit:
        return None
    return commit + (" + uncommitted changes" if dirty else "")


def report_provenance(profile, runs_root, command, total_seconds, problems):
    """The ``provenance`` dict ``report.write_report`` expects."""
    return {"profile": profile, "runs": str(runs_root), "command": command,
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "git_commit": git_state(), "versions": package_versions(),
            "total_seconds": total_seconds, "problems": list(problems)}
