"""The shape of desktop/storage: no import cycle, no private name imported across modules, service modules of a readable size.

Read from the source (``ast``), imports inside functions and under TYPE_CHECKING included: a cycle that
only closes at run time (a lazy import) is still a cycle to the reader.
"""
from __future__ import annotations

import ast
from pathlib import Path

import desktop.storage

STORAGE = Path(desktop.storage.__file__).parent
PACKAGE = "desktop.storage"
# The storage service: the facade, its composition, the shared core and row helpers, one module per concern.
SERVICE_MODULES = ("ledger", "opening", "service", "core", "rows", "notice_store", "task_tree", "tracking_store",
                   "evidence_store", "exchange_store", "settings_store", "unit_store")
MAX_LINES = 420  # "~400"; a longer module says why in its docstring ("… 400 lines …")


def _modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(STORAGE.glob("*.py"))}


def _imports(tree: ast.Module, names: set[str]) -> list[tuple[str, list[str]]]:
    """(storage module imported, names taken from it) for every import statement anywhere in ``tree``."""
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == PACKAGE:  # from desktop.storage import column_maps
                out += [(a.name, []) for a in node.names if a.name in names]
            elif node.module.startswith(PACKAGE + "."):
                out.append((node.module.split(".")[2], [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name.split(".")[2], []) for a in node.names if a.name.startswith(PACKAGE + ".")]
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {target for target, _ in _imports(tree, set(modules))} - {name} for name, tree in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_inside_storage():
    graph = _graph()
    assert "ledger" not in set().union(*graph.values()), "nothing in storage may import the facade back"
    assert _cycle(graph) is None


def test_no_private_name_is_imported_from_another_storage_module():
    modules = _modules()
    private = [(name, target, taken) for name, tree in modules.items()
               for target, names in _imports(tree, set(modules)) for taken in names if taken.startswith("_")]
    assert private == []


def test_service_modules_stay_readable():
    for name in SERVICE_MODULES:
        source = (STORAGE / f"{name}.py").read_text(encoding="utf-8")
        lines = source.count("\n")
        doc = ast.get_docstring(ast.parse(source)) or ""
        assert doc, f"{name}.py has no module docstring"
        assert lines <= MAX_LINES or "400 lines" in doc, f"{name}.py has {lines} lines and gives no reason"


def test_no_subclass_chain_behind_the_ledger():
    """The collaborators share the core by composition: none extends another collaborator."""
    from desktop.storage import core, service

    sql = service.SqlLedger.__init__.__code__.co_names
    parts = [obj for obj in vars(service).values() if isinstance(obj, type) and issubclass(obj, core.Part)]
    assert len(parts) >= 8 and all(p.__name__ in sql for p in parts)
    assert all(p.__bases__ == (core.Part,) for p in parts), [p.__bases__ for p in parts]
