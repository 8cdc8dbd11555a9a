"""The code's dependencies point one way: no page/model module imports a view, no cycle between apps.

Read from the source with ``ast``, so the test sees every import, including those inside functions
(the usual way to hide a cycle from Python). The domain apps form layers: ``people`` at the bottom,
``courses`` above it, the apps that plug into courses (``quizzes``, ``h5p``, ...) above that, and
``reports`` reading all of them. ``lms`` is the project package: settings and URL wiring import every
app, and its shared pieces (scoping, spreadsheets, tree, middleware) are imported by every app, so it
is held to the module-level rule only: no two modules may import each other, directly or round a loop.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "lms"


def _domain_apps() -> list[str]:
    from django.apps import apps

    names = []
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.parent == ROOT and config.name != PROJECT:
            names.append(config.name)
    return sorted(names)


def _modules() -> dict[str, Path]:
    found = {}
    for package in [PROJECT, *_domain_apps()]:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


class _Imports(ast.NodeVisitor):
    """Every absolute and relative import, and whether it runs at import time (module level)."""

    def __init__(self, module: str, is_package: bool):
        self.package = module if is_package else module.rpartition(".")[0]
        self.found: list[tuple[str, bool]] = []
        self.depth = 0
        self.type_checking = 0

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node):
        guarded = isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        self.type_checking += guarded
        self.generic_visit(node)
        self.type_checking -= guarded

    def _add(self, name: str, names=()):
        at_import_time = self.depth == 0 and not self.type_checking
        self.found.append((name, at_import_time))
        for alias in names:  # `from courses import views` imports the module courses.views
            self.found.append((f"{name}.{alias}", at_import_time))

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            name = ".".join([*base, node.module] if node.module else base)
        else:
            name = node.module
        self._add(name, [alias.name for alias in node.names])


def _imports() -> dict[str, list[tuple[str, bool]]]:
    modules = _modules()
    result = {}
    for module, path in modules.items():
        visitor = _Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        result[module] = [(name, at_import_time) for name, at_import_time in visitor.found if name in modules]
    return result


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as a list of nodes, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_reader_sees_imports_inside_functions():
    visitor = _Imports("courses.models.pages", is_package=False)
    visitor.visit(ast.parse("import courses.views\ndef get_context():\n    from . import views\n"))
    assert ("courses.views", True) in visitor.found
    assert ("courses.models.views", False) in visitor.found


def test_the_cycle_finder_finds_a_loop_and_no_loop_where_there_is_none():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_model_or_page_module_imports_a_view():
    offending = []
    for module, imported in _imports().items():
        parts = module.split(".")
        if "models" not in parts and parts[-1] not in ("blocks", "selectors", "services", "completion"):
            continue
        for name, _ in imported:
            if name.split(".")[-1] in ("views", "admin_views", "wagtail_hooks") or ".views." in name:
                offending.append(f"{module} imports {name}")
    assert offending == []


def test_no_cycle_between_modules_at_import_time():
    graph = defaultdict(set)
    for module, imported in _imports().items():
        for name, at_import_time in imported:
            if at_import_time and name != module and not module.startswith(name + "."):
                graph[module].add(name)
    assert _cycle(graph) is None


def test_no_cycle_between_apps_counting_every_import():
    apps = set(_domain_apps())
    graph = defaultdict(set)
    witnesses = {}
    for module, imported in _imports().items():
        source = module.split(".")[0]
        for name, _ in imported:
            target = name.split(".")[0]
            if source in apps and target in apps and source != target:
                graph[source].add(target)
                witnesses.setdefault((source, target), f"{module} -> {name}")
    cycle = _cycle(graph)
    if cycle:
        pytest.fail("apps import each other: " + "; ".join(witnesses[pair] for pair in itertools.pairwise(cycle)))
