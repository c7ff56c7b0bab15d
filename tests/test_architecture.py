"""The package's shape: no import cycles (also none hidden inside functions), and lower layers never
import upper ones. Read from the source with ``ast``, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from .conftest import REPO

PACKAGE = REPO / "graphkit"

#: Lowest first. A module may import modules of its own layer or of a lower one. The most specific
#: prefix decides a module's layer (``graphkit.sparql.binding`` is below ``graphkit.sparql``).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("graphkit.errors", "graphkit.paths", "graphkit.version"),
    (
        "graphkit.rdf",
        "graphkit.runtime",
        "graphkit.places",
        "graphkit.sparql.binding",
        "graphkit.sparql.results",
        "graphkit.sparql.guard",
    ),
    ("graphkit.store",),
    ("graphkit.sparql", "graphkit.validate", "graphkit.text"),
    ("graphkit.relations", "graphkit.ingest", "graphkit.places.export"),
    ("graphkit.build", "graphkit.analyze", "graphkit.viz", "graphkit.wikidata", "graphkit.extract", "graphkit.dossier"),
    ("graphkit.server", "graphkit.synthetic"),
    ("graphkit.cli", "graphkit"),
)


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if _is_type_checking_block(block) for n in ast.walk(block)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue  # `if TYPE_CHECKING:` imports exist for type checkers only, never at run time
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from pkg import submodule` depends on that submodule (as `from pkg.submodule import x` does)
                subs = [f"{node.module}.{a.name}" for a in node.names]
                targets = [s for s in subs if s in modules]
                if len(targets) < len(subs):
                    targets.append(node.module)
            for target in targets:
                if target in modules and target != name:
                    graph.add_edge(name, target)
    return graph


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def layer_of(module: str) -> int:
    """The layer of ``module`` (by its longest matching prefix).

    >>> [layer_of(m) for m in ("graphkit.sparql.binding", "graphkit.store.embedded", "graphkit.sparql.catalogue")]
    [1, 2, 3]
    """
    best = (-1, -1)
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), i)
    assert best[1] >= 0, f"{module} is in no layer: add its package to LAYERS"
    return best[1]


def test_no_import_cycles() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(_imports()) if len(c) > 1]
    assert cycles == []


def test_lower_layers_never_import_upper_ones() -> None:
    graph = _imports()
    upward = sorted(f"{a} -> {b}" for a, b in graph.edges if layer_of(b) > layer_of(a))
    assert upward == []


def test_every_subpackage_says_its_job_in_its_docstring() -> None:
    silent = []
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        if not doc or len(doc.splitlines()[0]) < 20:
            silent.append(init.parent.name)
    assert silent == []


def _command_bodies() -> list[tuple[str, int]]:
    """(command function, lines of its body without the docstring, blank lines and comments)."""
    out = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef) or not any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", "") in ("command", "group")
                for d in node.decorator_list
            ):
                continue
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if body:
                span = lines[body[0].lineno - 1 : body[-1].end_lineno]
                count = sum(1 for line in span if line.strip() and not line.strip().startswith("#"))
                out.append((f"{path.name}:{node.name}", count))
    return out


def test_cli_commands_are_short_wrappers_over_the_library() -> None:
    bodies = _command_bodies()
    assert len(bodies) > 20  # every command module was read
    assert [(name, n) for name, n in bodies if n > 15] == []
