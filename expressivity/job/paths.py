"""Names that become paths, and paths that reach Hydra or get written to.

Every name that becomes part of a path (profile, sweep, claim, experiment) must
match ``NAME``: letters, digits, ``_`` and ``-``, starting with a letter or
digit, at most 64 characters, so that ``../x``, ``a/b`` or an empty name never
leave the project's output folders. Paths given to Hydra as override values are
quoted with Hydra's own quoting (``hydra_quoted``), whatever characters they hold.
"""
import contextlib
import os
import re
import tempfile
from pathlib import Path

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
NAME_ALLOWED = "a name of letters, digits, '_' and '-' (at most 64, starting with a letter or digit)"


def name_problem(key, value):
    """The message for a ``key`` whose ``value`` is not a safe path name, or None."""
    if isinstance(value, str) and NAME.fullmatch(value):
        return None
    return f"{key}={value!r} is not allowed; allowed: {NAME_ALLOWED}"


def check_name(key, value):
    """Raise ValueError unless ``value`` is a safe path name; return it."""
    problem = name_problem(key, value)
    if problem:
        raise ValueError(problem)
    return value


def inside(path, root):
    """Whether ``path`` is ``root`` or below it, after resolving ``..`` and links."""
    path, root = Path(path).resolve(), Path(root).resolve()
    return path == root or root in path.parents


def hydra_quoted(text):
    """``text`` as a single-quoted Hydra override value (quotes and backslashes escaped)."""
    from hydra.core.override_parser.types import Quote, QuotedString
    return QuotedString(text=str(text), quote=Quote.single).with_quotes()


def writable_problem(key, folder, keep=True):
    """The message if ``folder`` cannot be created or written to, else None.

    The folder is created (``keep``) or, with ``keep=False``, every folder this made is
    removed again, so that a check before a refusal leaves nothing behind.
    """
    folder = Path(folder)
    made = [p for p in [folder, *folder.parents] if not os.path.lexists(p)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".writable.")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return f"{key}={str(folder)!r} is not a writable folder ({reason}); allowed: a folder you can write to"
    finally:
        for path in made if not keep else []:   # deepest first
            with contextlib.suppress(OSError):
                path.rmdir()
    return None


INTERPOLATION = re.compile(r"\$\{[^${}]*\}")


def climbs_out(path_text):
    """Whether a path (interpolations ``${…}`` taken as plain names) is absolute or climbs
    above its starting folder with ``..``."""
    text = str(path_text)
    while INTERPOLATION.search(text):
        text = INTERPOLATION.sub("x", text)
    normal = os.path.normpath(text)
    return os.path.isabs(normal) or normal == ".." or normal.startswith(".." + os.sep)


def containment_problem(key, path_text, absolute_ok=False, within="the sweep folder"):
    """The message for a relative path that climbs out of its folder (``..``), or None.

    ``absolute_ok``: an absolute path is the user's explicit choice (``hydra.run.dir``,
    ``hydra.sweep.dir``); a sweep's ``subdir`` must stay inside ``within``.
    """
    if path_text is None or (absolute_ok and os.path.isabs(str(path_text))):
        return None
    if climbs_out(path_text):
        inside_what = "the working folder (or an absolute path)" if absolute_ok else within
        return (f"{key}={str(path_text)!r} is not allowed; allowed: a relative path that stays "
                f"inside {inside_what}, without '..' climbing out")
    return None


def check_folders(cfg, out_dir):
    """Raise ConfigError unless the job's cache and output folders are writable (before any work)."""
    from expressivity.job.config_checks import ConfigError
    for key, folder in (("cache_dir", cfg.cache_dir), ("output folder", out_dir)):
        problem = folder and writable_problem(key, folder)
        if problem:
            raise ConfigError(problem)
