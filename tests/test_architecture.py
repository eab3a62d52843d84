"""The house rules of ``docs/architecture.md``, checked on the import graph of ``desktop/``.

Every module under ``desktop/`` is parsed with :mod:`ast` (nothing is imported). Every ``import`` and
``from … import`` statement counts — at module level and inside functions and methods — with
relative imports resolved against the importing module. Imports under ``if TYPE_CHECKING:`` never
run, so they make no cycle (a helper may name its owner's type for the checker), but they do count
as layer breaks (a pure module must not even name a Qt or SQLAlchemy type). ``from a.b
import c`` is an edge to ``a.b.c`` when that is a module of ours, else to ``a.b``. Importing
``a.b.c`` is an edge to ``a.b.c`` only (the parent package's ``__init__`` that Python also runs is
not counted: it is where packages re-export their own parts).

The tests fail, each with a readable list, on:

(a) an import cycle between modules: a strongly connected component of more than one module;
(b) an import cycle between packages: nodes are ``desktop.<package>`` for everything under a
    sub-package (``desktop.documents``, ``desktop.annual`` …) and ``desktop.<module>`` for each
    top module ``desktop/*.py``; an edge inside one node does not count;
(c) a layer break:
    - the pure layers — ``desktop.importing``, ``desktop.documents``, ``desktop.tracking``,
      ``desktop.spreadsheets``, ``desktop.domain`` and ``desktop.annual`` except its I/O edges
      (``ANNUAL_NOT_PURE``) — import neither ``PySide6`` nor ``sqlalchemy`` nor ``desktop.storage``
      nor ``desktop.ui``;
    - ``desktop.storage`` imports neither ``desktop.ui`` nor ``PySide6``;
    - ``desktop.ui`` never imports ``sqlalchemy``;
    - inside importing, ``desktop.importing.readers`` (files → text blocks and tables) never
      imports ``desktop.importing.parse`` (blocks → notice);
(d) a module longer than ``MAX_LINES`` (400) lines whose module docstring does not say why. The
    convention: a line of the docstring that starts with ``Size:`` followed by the reason, e.g.
    ``Size: one table of the GB/T 9704 measures; splitting it would scatter one standard.``
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop"
MAX_LINES = 400

PURE = ("desktop.importing", "desktop.documents", "desktop.tracking", "desktop.spreadsheets",
        "desktop.domain", "desktop.annual")
# desktop.annual's edges to the outside world: its command line and its JSON file store.
ANNUAL_NOT_PURE = {"desktop.annual.cli", "desktop.annual.store"}
PURE_MUST_NOT = ("PySide6", "sqlalchemy", "desktop.storage", "desktop.ui")
STORAGE_MUST_NOT = ("desktop.ui", "PySide6")
UI_MUST_NOT = ("sqlalchemy",)
# inside importing: readers turn files into text blocks and tables, parse/ reads their meaning
READERS_MUST_NOT = ("desktop.importing.parse",)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def collect_modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name."""
    root = package.parent
    return {module_name(p, root): p for p in sorted(package.rglob("*.py"))
            if "__pycache__" not in p.parts}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside an ``if TYPE_CHECKING:`` block (never run)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                ids.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return ids


def imports_of(name: str, path: Path, modules: dict[str, Path],
               type_checking: bool = True) -> list[tuple[str, int]]:
    """(imported name, line) for every import in the module, resolved to our modules where possible.

    Outside names (``PySide6.QtCore``, ``sqlalchemy.orm``) are kept as written. Without
    ``type_checking`` the imports under ``if TYPE_CHECKING:`` are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = set() if type_checking else _type_checking_only(tree)
    is_package = path.name == "__init__.py"
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                if node.level > 1:
                    base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in modules else target, node.lineno))
    return found


def build_graph(package: Path = PACKAGE, type_checking: bool = False):
    """(modules, edges, outside): ``edges[a] = {b: first line in a that imports b}`` over our own
    modules, ``outside[a]`` the same for other libraries. Imports under ``if TYPE_CHECKING:`` only
    with ``type_checking``."""
    modules = collect_modules(package)
    edges: dict[str, dict[str, int]] = {m: {} for m in modules}
    outside: dict[str, dict[str, int]] = {m: {} for m in modules}
    for mod, path in modules.items():
        for target, line in imports_of(mod, path, modules, type_checking):
            if target in modules:
                if target != mod:
                    edges[mod].setdefault(target, line)
            else:
                outside[mod].setdefault(target, line)
    return modules, edges, outside


def strongly_connected(nodes, edges) -> list[list[str]]:
    """Tarjan's algorithm (iterative); components of more than one node, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return sorted(out)


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def describe_cycle(comp: list[str], edges) -> str:
    """One line per edge inside the component: ``a:12 -> b``."""
    members = set(comp)
    lines = [f"cycle of {len(comp)}: " + ", ".join(comp)]
    for a in comp:
        for b, line in sorted(edges[a].items()):
            if b in members:
                lines.append(f"    {a}:{line} -> {b}")
    return "\n".join(lines)


def module_cycles(package: Path = PACKAGE) -> list[str]:
    modules, edges, _ = build_graph(package)
    return [describe_cycle(c, edges) for c in strongly_connected(modules, edges)]


def package_cycles(package: Path = PACKAGE) -> list[str]:
    modules, edges, _ = build_graph(package)
    pedges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a, targets in sorted(edges.items()):
        for b, line in sorted(targets.items()):
            pa, pb = package_of(a), package_of(b)
            if pa != pb and pa != "desktop" and pb != "desktop":
                pedges[pa][pb].append(f"{a}:{line} -> {b}")
    nodes = {package_of(m) for m in modules} - {"desktop"}
    found = []
    for comp in strongly_connected(nodes, pedges):
        members = set(comp)
        lines = [f"package cycle: {', '.join(comp)}"]
        for a in comp:
            lines += [f"    {at}" for b, ats in sorted(pedges[a].items()) if b in members for at in ats]
        found.append("\n".join(lines))
    return found


def _is_pure(module: str) -> bool:
    if any(_within(module, m) for m in ANNUAL_NOT_PURE):
        return False
    return any(_within(module, p) for p in PURE)


# (rule, which modules it binds, what they must not import)
LAYER_RULES = (
    ("pure layer", _is_pure, PURE_MUST_NOT),
    ("storage", lambda m: _within(m, "desktop.storage"), STORAGE_MUST_NOT),
    ("ui", lambda m: _within(m, "desktop.ui"), UI_MUST_NOT),
    ("readers", lambda m: _within(m, "desktop.importing.readers"), READERS_MUST_NOT),
)


def layer_breaks(package: Path = PACKAGE) -> list[str]:
    modules, edges, outside = build_graph(package, type_checking=True)
    breaks = []
    for mod in sorted(modules):
        targets = {**outside[mod], **edges[mod]}
        for rule, binds, forbidden in LAYER_RULES:
            if not binds(mod):
                continue
            for target, line in sorted(targets.items()):
                if any(_within(target, f) for f in forbidden):
                    breaks.append(f"{mod}:{line} imports {target} ({rule} must not import "
                                  f"{', '.join(forbidden)})")
    return breaks


def size_reason(path: Path) -> str | None:
    """The reason after ``Size:`` in the module docstring, or None."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    for line in doc.splitlines():
        if line.strip().startswith("Size:"):
            reason = line.strip()[len("Size:"):].strip()
            return reason or None
    return None


def oversized(package: Path = PACKAGE) -> list[str]:
    found = []
    for _mod, path in sorted(collect_modules(package).items()):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and size_reason(path) is None:
            found.append(f"{path.relative_to(package.parent)}: {n} lines, no 'Size: <reason>' line in "
                         f"its docstring")
    return found


def _report(title: str, problems: list[str]) -> str:
    return f"{title} ({len(problems)}):\n" + "\n".join(problems)


def test_no_import_cycle_between_modules():
    problems = module_cycles()
    assert not problems, _report("import cycles between modules", problems)


def test_no_import_cycle_between_packages():
    problems = package_cycles()
    assert not problems, _report("import cycles between packages", problems)


def test_layers_import_only_downwards():
    problems = layer_breaks()
    assert not problems, _report("layer breaks", problems)


def test_no_module_oversized_without_a_reason():
    problems = oversized()
    assert not problems, _report(f"modules over {MAX_LINES} lines without a reason", problems)


# The checks themselves, on a small made-up package: they must be able to fail.

def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root / "desktop"


def test_checks_find_cycles_layer_breaks_and_size(tmp_path):
    pkg = _write(tmp_path, {
        "desktop/__init__.py": '"""Top."""\n',
        "desktop/domain.py": '"""Domain."""\n',
        "desktop/documents/__init__.py": '"""Docs."""\n',
        # a module-level import one way, a function-level relative import back: a cycle
        "desktop/documents/a.py": '"""A."""\nfrom desktop.documents import b\n',
        "desktop/documents/b.py": '"""B."""\ndef f():\n    from . import a\n    from ..annual import m\n',
        "desktop/annual/__init__.py": '"""Annual."""\n',
        "desktop/annual/m.py": '"""M."""\nfrom desktop.documents.a import X\nimport sqlalchemy\n',
        "desktop/annual/store.py": '"""Store (not pure)."""\nfrom desktop.storage import paths\n',
        "desktop/storage/__init__.py": '"""Storage."""\n',
        "desktop/storage/paths.py": '"""Paths."""\ndef f():\n    from desktop.ui.w import W\n',
        "desktop/ui/__init__.py": '"""UI."""\n',
        "desktop/ui/w.py": '"""W."""\nfrom sqlalchemy.orm import Session\n',
        # a type-only back-edge is no cycle, but a type-only Qt import in a pure layer is a break
        "desktop/ui/owner.py": '"""Owner."""\nfrom desktop.ui.helper import H\n',
        "desktop/ui/helper.py": ('"""Helper."""\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n'
                                 '    from .owner import Owner\n'),
        "desktop/importing/__init__.py": '"""Importing."""\n',
        "desktop/importing/model.py": ('"""Model."""\nimport typing\nif typing.TYPE_CHECKING:\n'
                                       '    from PySide6.QtCore import QObject\n'),
        "desktop/importing/readers/__init__.py": '"""Readers."""\n',
        "desktop/importing/readers/x.py": '"""X."""\ndef f():\n    from ..parse.columns import c\n',
        "desktop/importing/parse/__init__.py": '"""Parse."""\n',
        "desktop/importing/parse/columns.py": '"""Columns."""\n',
        "desktop/big.py": '"""Big."""\n' + "x = 1\n" * MAX_LINES,
        "desktop/big_ok.py": '"""Big.\n\nSize: a table of numbers.\n"""\n' + "x = 1\n" * MAX_LINES,
    })
    cycles = module_cycles(pkg)
    assert len(cycles) == 1 and "desktop.documents.a, desktop.documents.b" in cycles[0]
    pcycles = package_cycles(pkg)
    assert len(pcycles) == 1 and "desktop.annual, desktop.documents" in pcycles[0]
    breaks = layer_breaks(pkg)
    assert [b.split(" (")[0] for b in breaks] == [
        "desktop.annual.m:3 imports sqlalchemy",
        "desktop.importing.model:4 imports PySide6.QtCore",
        "desktop.importing.readers.x:3 imports desktop.importing.parse.columns",
        "desktop.storage.paths:3 imports desktop.ui.w",
        "desktop.ui.w:2 imports sqlalchemy.orm",
    ]
    assert [o.split(":")[0] for o in oversized(pkg)] == ["desktop/big.py"]
