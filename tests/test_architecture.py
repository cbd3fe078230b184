"""The import graph of the package: one stage per module, no cycle, no import that runs back up.

Every runtime import is followed (module level and inside functions); imports under
``if TYPE_CHECKING:`` are not, since they never run.  Each part of the package has a layer; a module
may import its own layer or lower ones, never a higher one (docs/architecture.md draws them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "targetexpr"

#: The layers, lowest first: a part imports only from its own layer and the ones before it.
LAYERS = (
    ("i18n",),
    ("errors", "version"),
    ("datafiles",),
    ("values",),
    ("nodes",),
    ("units", "options", "dictform", "renderings"),
    ("parser", "scoring"),
    ("convert", "schema"),
    ("evaluator",),
    ("table",),
    ("strategies",),
    ("cli", "_hypothesis"),
    ("__init__", "__main__"),
    # Columns and engines: written like user code, over the public API (`import targetexpr`).
    ("batch", "pandas", "engines"),
)
RANK = {part: i for i, parts in enumerate(LAYERS) for part in parts}
MAX_LINES = 650

#: Imports that run only when a method is called and go up the layers; each with its reason.
#: Both the layer check and the cycle check skip these edges, and nothing else.
ALLOWED_CALL_TIME = {
    # Quantity.to and Deadline.resolve are methods of the values and nodes (layers 1-2) but convert needs the
    # units and the unit parser (layers 2-3): convert is imported when the method runs, once the
    # package is loaded, so no import-time cycle exists.
    ("targetexpr.nodes", "targetexpr.convert"),
    ("targetexpr.values", "targetexpr.convert"),
    # format(t, "zh") is a method of the nodes (layer 1) but its words need the units' dimensions
    # (layer 2): targetexpr.renderings is imported when a target is formatted with a spec.
    ("targetexpr.nodes", "targetexpr.renderings"),
    # Evaluation.explain() is a method of the result, but the explanation reads the actual again
    # (evaluator.actuals, which builds on the result's helpers): imported when explain() is called.
    ("targetexpr.evaluator.result", "targetexpr.evaluator.explain"),
    # i18n.check_language raises a TargetValueError, whose message is itself translated by i18n:
    # the error class is imported when a bad language is given, never at import time.
    ("targetexpr.i18n", "targetexpr.errors"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] == "targetexpr":
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "targetexpr")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return {m for m in found if m in modules}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    for source, target in ALLOWED_CALL_TIME:
        assert target in graph[source], f"{source} no longer imports {target}: drop it from ALLOWED_CALL_TIME"
        graph[source].discard(target)
    return graph


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_part_has_a_layer() -> None:
    assert sorted({_part(m) for m in _modules()} - set(RANK)) == []


def test_no_import_runs_back_up_the_layers() -> None:
    upward = [f"{a} → {b}" for a, targets in _graph().items() for b in targets if RANK[_part(b)] > RANK[_part(a)]]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _graph()
    # A package's __init__ re-exports its own modules: an edge from a module to its own package's
    # __init__ would be a cycle, and is one here too.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node, [])
    assert cycles == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_holds_one_stage(name: str) -> None:
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it along its seams"


def test_the_graph_is_read() -> None:
    """The checks above would pass on an empty graph: make sure the edges are really found."""
    graph = _graph()
    assert "targetexpr.parser.api" in graph["targetexpr.parser"]
    assert "targetexpr.nodes" in graph["targetexpr.evaluator.dispatch"]
    assert "targetexpr.scoring" in graph["targetexpr.table.summary"]


def test_only_the_allowed_call_time_imports_are_skipped() -> None:
    modules = _modules()
    raw = {name: _imports(name, path, modules) for name, path in modules.items()}
    skipped = {(a, b) for a, targets in raw.items() for b in targets} - {
        (a, b) for a, targets in _graph().items() for b in targets
    }
    assert skipped == ALLOWED_CALL_TIME
