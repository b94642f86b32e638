"""The architecture docs/design.md draws, checked against the code.

- Packages by layer, imports only going down (or within a package), no import
  circle between files or between packages (lazy imports inside functions count).
- The core (nn, train, tasks, theory, exact) imports NumPy and the standard library only.
- Every claim is a folder; ``claims/`` at its top holds only the claims' API;
  ``expressivity/`` keeps at most eight modules at its top.
- pyproject.toml lists every package (it cannot use setuptools' find: it maps the
  top-level conf/ and experiments/ into the package).
"""
import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "expressivity"
CORE = ("nn", "train", "tasks", "theory", "exact")
# Bottom to top: a module may import its own package and the layers below it.
LAYERS = (("core", CORE), ("constructions", ("constructions",)), ("storage", ("storage",)),
          ("job", ("job",)), ("sweeps", ("sweeps",)), ("claims", ("claims",)),
          ("report", ("report",)), ("app", ("bench", "estimators", "<top>")))
# hydra_plugins holds the validating sweeper: Hydra loads plugins only from there.
PLUGIN_LAYER = "sweeps"
TOP_MODULES_AT_MOST = 8
# The optional accelerators behind the NumPy reference, and the one foreign package each may use.
ACCELERATORS = {"train/compiled.py": {"numba"}, "train/per_example_compiled.py": {"numba"},
                "train/tile_lanes.py": {"numba"},   # the per-example kernel's lanes, inlined into it
                "train/vecmath.py": {"numba", "llvmlite"},   # llvmlite: numba's own IR builder
                "train/torch_kernel.py": {"torch"},
                "train/sgd.py": {"torch"},    # only to say clearly when backend=torch lacks torch
                "exact/min_width.py": {"pysat"},   # exact minimal widths: the SAT solver
                "exact/depth2.py": {"pysat"}}      # exact two-layer sizes: the SAT solver


def module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root=ROOT, top="expressivity", extra=("hydra_plugins",)):
    """{module: {modules of the project it imports}}, every import (also inside functions)."""
    files = {module_name(p, root): p for name in (top, *extra) for p in (root / name).rglob("*.py")}

    def known(name):
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    found = known(f"{source}.{alias.name}") or known(source)
                    if found and found != module:
                        targets.add(found)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found = known(alias.name)
                    if found and found != module:
                        targets.add(found)
        # Importing a.b.c runs a/__init__ and a/b/__init__ first; a package's own
        # __init__ is not an import "up" from inside it.
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    return graph


def cycles(graph):
    """Every strongly connected set of two or more nodes (Tarjan), as sorted lists."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def room(module):
    """The package a module belongs to: ``expressivity.job.runner`` -> ``job``; top-level -> <top>."""
    parts = module.split(".")
    if parts[0] == "hydra_plugins":
        return "hydra_plugins"
    if len(parts) == 1 or (len(parts) == 2 and not (PACKAGE / parts[1]).is_dir()):
        return "<top>"
    return parts[1]


def layer(module):
    name = room(module)
    if name == "hydra_plugins":
        return [n for n, _ in LAYERS].index(PLUGIN_LAYER)
    for rank, (_, rooms) in enumerate(LAYERS):
        if name in rooms:
            return rank
    raise AssertionError(f"{module}: package {name!r} is in no layer of LAYERS")


def upward_imports(graph):
    return sorted((a, b) for a, targets in graph.items() for b in targets
                  if b != "expressivity" and layer(b) > layer(a))


def package_graph(graph):
    rooms = {}
    for a, targets in graph.items():
        rooms.setdefault(room(a), set()).update(room(b) for b in targets
                                                if b != "expressivity" and room(b) != room(a))
    return rooms


def test_no_import_circle_between_files():
    assert cycles(import_graph()) == []


def test_no_import_circle_between_packages():
    assert cycles(package_graph(import_graph())) == []


def test_imports_only_go_down_the_layers():
    assert upward_imports(import_graph()) == []


def test_the_checks_catch_a_circle_and_an_upward_import(tmp_path):
    pkg = tmp_path / "expressivity"
    for folder, files in {"nn": {"a.py": "from expressivity.nn import b\n",
                                 "b.py": "def f():\n    from expressivity.nn.a import x\n"},
                          "job": {"c.py": "x = 1\n"}}.items():
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
        for name, text in files.items():
            (pkg / folder / name).write_text(text)
    (pkg / "__init__.py").write_text("")
    (pkg / "nn" / "d.py").write_text("from ..job.c import x\n")   # core reaching up to job
    graph = import_graph(tmp_path, extra=())
    assert cycles(graph) == [["expressivity.nn.a", "expressivity.nn.b"]]
    assert upward_imports(graph) == [("expressivity.nn.d", "expressivity.job.c")]


def imported_modules(path):
    """Top-level names of every absolute import in a file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("name", CORE)
def test_the_core_imports_numpy_and_the_standard_library_only(name):
    allowed = set(sys.stdlib_module_names) | {"numpy", "expressivity"}
    graph = import_graph()
    for path in sorted((PACKAGE / name).rglob("*.py")):
        extra = ACCELERATORS.get(path.relative_to(PACKAGE).as_posix(), set())
        foreign = imported_modules(path) - allowed - extra
        assert not foreign, f"{path.relative_to(ROOT)} imports {sorted(foreign)}"
        outside = {t for t in graph[module_name(path)] if room(t) not in CORE and t != "expressivity"}
        assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}"


def test_construction_jobs_import_numpy_and_the_core_only():
    """Data flows config -> job -> record -> claim: a construction never reads a claim."""
    allowed = set(sys.stdlib_module_names) | {"numpy", "expressivity"}
    graph = import_graph()
    for path in sorted((PACKAGE / "constructions").rglob("*.py")):
        assert not imported_modules(path) - allowed, f"{path.relative_to(ROOT)} imports a foreign package"
        assert {room(t) for t in graph[module_name(path)]} <= {*CORE, "constructions", "<top>"}


def test_the_import_check_would_catch_a_foreign_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import numpy as np\nimport pandas\nfrom hydra import compose\nimport os.path\n")
    assert imported_modules(sample) - set(sys.stdlib_module_names) - {"numpy"} == {"pandas", "hydra"}


def test_every_package_is_in_a_layer_and_the_top_keeps_few_modules():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == {r for _, rooms in LAYERS for r in rooms} - {"<top>"}
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= TOP_MODULES_AT_MOST, top


def test_every_claim_is_a_folder_and_the_claims_top_holds_only_the_api():
    claims = PACKAGE / "claims"
    folders = sorted(p for p in claims.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert len(folders) >= 12
    for folder in folders:
        assert (folder / "claim.yaml").is_file() and (folder / "claim.py").is_file(), folder
    assert not list(claims.glob("*.yaml"))       # no claim file outside its folder
    graph = import_graph()
    api = [module_name(p) for p in claims.glob("*.py")]
    for module in api:   # the API never reads a particular claim
        assert not [t for t in graph[module] if t.count(".") >= 3 and t.startswith("expressivity.claims.")], module
    for folder in folders:   # and a claim reads no other claim's folder
        for path in folder.rglob("*.py"):
            others = {t.split(".")[2] for t in graph[module_name(path)]
                      if t.startswith("expressivity.claims.") and t.count(".") >= 3}
            assert others <= {folder.name}, f"{path.relative_to(ROOT)} imports claims {others}"


def test_pyproject_lists_every_package_and_maps_the_config_folders():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {module_name(p.parent / "__init__.py") for p in PACKAGE.rglob("__init__.py")}
    found |= {"expressivity.conf", "expressivity.experiments", "hydra_plugins",
              *(f"hydra_plugins.{p.name}" for p in (ROOT / "hydra_plugins").iterdir()
                if (p / "__init__.py").exists())}
    assert set(config["packages"]) == found
    assert config["package-dir"] == {"expressivity.conf": "conf",
                                     "expressivity.experiments": "experiments",
                                     "hydra_plugins": "hydra_plugins"}
    assert (ROOT / "conf" / "config.yaml").is_file() and list((ROOT / "experiments").glob("*.yaml"))


def test_no_file_cites_a_document_outside_the_repository():
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml"), ROOT / "README.md",
                 *(ROOT / "docs").glob("*.md"), *(ROOT / "conf").rglob("*.yaml"),
                 *(ROOT / "experiments").glob("*.yaml")]:
        text = path.read_text()
        assert "DESIGN.md" not in text, f"{path.relative_to(ROOT)} cites DESIGN.md (use docs/design.md)"
        assert "shared/seeds" not in text, path


def test_the_design_document_names_every_package():
    text = (ROOT / "docs" / "design.md").read_text()
    for _, rooms in LAYERS:
        for name in rooms:
            if name != "<top>":
                assert f"`{name}/`" in text or f"expressivity/{name}/" in text, name
    for name in ("conf/", "experiments/", "claims/<id>/"):
        assert name in text, name


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
