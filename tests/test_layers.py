"""The package's layers: imports flow one way (core -> topics -> experiments -> claims ->
present -> cli), form no cycle, and never name a module at run time.

The checker reads every import with ``ast`` (at module level, inside functions, and
``importlib.import_module``/``__import__`` calls), so a lazy import cannot hide an upward edge.
Its own tests plant violations in a temporary copy of the package and assert they are reported.
"""
import ast
import shutil
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rgproof"

#: Rank of each subpackage; a module may import its own layer and the layers below it.
LAYERS = {"core": 1, "topics": 2, "experiments": 3, "claims": 4, "present": 5, "cli": 6}
#: The package's own top-level modules (the public face, ``python -m``, ``rgproof.testing``) sit
#: above every layer: they may import any layer, and no layer may import them.
FACADE = 7


def module_name(path, root):
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name):
    parts = name.split(".")
    return LAYERS.get(parts[1], FACADE) if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) \
        else FACADE


def _resolve(node, name, is_package, modules):
    """The rgproof modules an import node reaches (empty for third-party imports)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    reached = [f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target
               for a in node.names]
    return list(dict.fromkeys(reached))


def _dynamic_import(node):
    """``importlib.import_module(...)``, ``import_module(...)`` or ``__import__(...)`` calls."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return called in ("import_module", "__import__")


def import_violations(root):
    """Every upward import, import cycle and non-literal dynamic import under ``root``."""
    root = Path(root)
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    top = root.name
    problems, edges = [], {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        where = path.relative_to(root.parent)
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = _resolve(node, name, path.name == "__init__.py", files)
            elif _dynamic_import(node):
                argument = node.args[0] if node.args else None
                if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                    problems.append(f"{where}:{node.lineno}: a dynamic import whose name is not "
                                    "a literal (import the module explicitly)")
                    continue
                targets = [argument.value]
            for target in targets:
                if target != top and not target.startswith(top + "."):
                    continue  # third-party or standard library
                if target not in files:
                    problems.append(f"{where}:{node.lineno}: imports {target}, which does not exist")
                    continue
                if layer_of(target) > layer_of(name):
                    problems.append(f"{where}:{node.lineno}: upward import of {target} "
                                    f"(layer {layer_of(target)}) from layer {layer_of(name)}")
                if target != name:
                    edges[name].add(target)
    problems.extend(f"import cycle: {' -> '.join(cycle)}" for cycle in _cycles(edges))
    return problems


def _cycles(edges):
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component) + [sorted(component)[0]])

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_imports_flow_one_way_without_cycles_or_names_from_data():
    assert import_violations(PACKAGE) == []


def test_every_subpackage_says_what_it_holds_and_may_import():
    for layer in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text()))
        assert doc and ("import" in doc.lower()), f"rgproof/{layer}/__init__.py needs a docstring"


def test_no_module_is_over_about_600_lines():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert {p: n for p, n in sizes.items() if n > 650} == {}


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "rgproof", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "rgproof"


def _plant(path, code):
    path.write_text(path.read_text() + "\n\n" + code + "\n")


def test_checker_reports_an_upward_import_inside_a_function(copy):
    _plant(copy / "core" / "errors.py",
           "def _lazy():\n    from ..present import report\n    return report")
    upward = [p for p in import_violations(copy) if "upward" in p]
    assert len(upward) == 1
    assert "core/errors.py" in upward[0] and "upward import of rgproof.present.report" in upward[0]


def test_checker_reports_an_import_of_the_public_face_from_a_layer(copy):
    _plant(copy / "topics" / "ising.py", "def _version():\n    from .. import __version__\n    return __version__")
    assert any("upward import of rgproof " in p for p in import_violations(copy))


def test_checker_reports_a_dynamic_import_of_a_computed_name(copy):
    _plant(copy / "experiments" / "network.py",
           "import importlib\n\ndef _load(name):\n    return importlib.import_module(f'rgproof.{name}')")
    problems = import_violations(copy)
    assert len(problems) == 1 and "not a literal" in problems[0]


def test_checker_reports_a_cycle_within_a_layer(copy):
    _plant(copy / "topics" / "ising2d.py", "def _back():\n    from . import neuralrg\n    return neuralrg")
    problems = import_violations(copy)
    assert len(problems) == 1 and problems[0].startswith("import cycle:")
    assert "rgproof.topics.ising2d" in problems[0] and "rgproof.topics.neuralrg" in problems[0]
