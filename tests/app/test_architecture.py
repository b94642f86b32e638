"""The architecture docs/design.md draws, checked against the code: the core (nn, train,
tasks, theory) imports NumPy and the standard library only, and no file cites a
document outside the repository."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "expressivity"
CORE = ("nn", "train", "tasks", "theory")


def imported_modules(path):
    """Top-level names of every absolute import in a file, and whether it imports relatively."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def relative_targets(path):
    """The package-relative modules a file imports with ``from .x`` / ``from ..x``."""
    targets = set()
    package = path.relative_to(PACKAGE).parent.parts
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = package[:len(package) - node.level + 1]
            targets.add(".".join(base + tuple((node.module or "").split(".")[:1])).strip("."))
    return targets


# The optional accelerators behind the NumPy reference, and the one foreign package each may use.
ACCELERATORS = {"train/compiled.py": {"numba"}, "train/per_example_compiled.py": {"numba"},
                "train/torch_kernel.py": {"torch"},
                "train/sgd.py": {"torch"}}   # only to say clearly when backend=torch lacks torch


@pytest.mark.parametrize("room", CORE)
def test_the_core_imports_numpy_and_the_standard_library_only(room):
    allowed = set(sys.stdlib_module_names) | {"numpy", "expressivity"}
    for path in sorted((PACKAGE / room).rglob("*.py")):
        extra = ACCELERATORS.get(path.relative_to(PACKAGE).as_posix(), set())
        foreign = imported_modules(path) - allowed - extra
        assert not foreign, f"{path.relative_to(ROOT)} imports {sorted(foreign)}"
        for target in relative_targets(path):
            assert target.split(".")[0] in CORE, f"{path.relative_to(ROOT)} imports .{target}"


def test_construction_jobs_import_numpy_and_the_core_only():
    """Data flows config -> job -> record -> claim: a construction never reads a claim."""
    allowed = set(sys.stdlib_module_names) | {"numpy", "expressivity"}
    for path in sorted((PACKAGE / "constructions").rglob("*.py")):
        assert not imported_modules(path) - allowed, f"{path.relative_to(ROOT)} imports a foreign package"
        for target in relative_targets(path):
            assert target.split(".")[0] in (*CORE, "constructions"), f"{path.relative_to(ROOT)} imports .{target}"


def test_the_import_check_would_catch_a_foreign_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import numpy as np\nimport pandas\nfrom hydra import compose\nimport os.path\n")
    assert imported_modules(sample) - set(sys.stdlib_module_names) - {"numpy"} == {"pandas", "hydra"}


def test_no_file_cites_a_document_outside_the_repository():
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml"), ROOT / "README.md",
                 *(ROOT / "docs").glob("*.md")]:
        text = path.read_text()
        assert "DESIGN.md" not in text, f"{path.relative_to(ROOT)} cites DESIGN.md (use docs/design.md)"
        assert "shared/seeds" not in text, path


def test_the_design_document_exists_and_names_every_room():
    text = (ROOT / "docs" / "design.md").read_text()
    for room in CORE + ("claims", "engine.py", "registry.py", "runner.py", "report.py"):
        assert room in text, room


def test_the_core_trains_with_numpy_alone_when_no_accelerator_is_installed():
    # numba and torch made unimportable: the NumPy reference must import and train by itself.
    code = ("import sys; sys.modules['numba'] = None; sys.modules['torch'] = None\n"
            "import numpy as np\n"
            "from expressivity.nn import MLP\n"
            "from expressivity.tasks import make_task\n"
            "from expressivity.train import SGDSettings, train\n"
            "task = make_task('parity', n=2)\n"
            "net = MLP.init((2, 4, 1), ('sigmoid', 'sigmoid'), population=4, rng=np.random.default_rng(0))\n"
            "o = train(net, task.X, task.Y, SGDSettings(lr=2.0, max_epochs=50), threshold=task.threshold)\n"
            "print(len(o.final_loss))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "4"
