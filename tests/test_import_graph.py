"""No import cycle among cardshop_auditor's modules.

Every ``import`` statement counts, at module level or inside a function: a lazy import
only hides a cycle from the interpreter, not from a reader following the flow.  Read from
the source (ast), so the test sees modules that are never imported in this process."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The installed package and the repository folders it is built from (pyproject package-dir).
PACKAGE_DIRS = {"cardshop_auditor": "auditor", "cardshop_auditor.checks": "checks",
                "cardshop_auditor.spiders": "spiders",
                "cardshop_auditor.report_templates": "report_templates"}


def module_files() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules.setdefault(".".join([package, *parts]), path)
    return modules


def imported_names(module: str, path: Path) -> set[str]:
    """Every module name an import statement in ``path`` may load (``from a import b``
    counts as both ``a`` and ``a.b``: b may be a submodule)."""
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: {dep for dep in imported_names(name, path) if dep in modules and dep != name}
            for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_is_read():
    graph = import_graph()
    assert "cardshop_auditor.pipeline" in graph and "cardshop_auditor.checks" in graph
    assert "cardshop_auditor.watchdog" in graph["cardshop_auditor.pipeline"]
    assert "cardshop_auditor.errors" in graph["cardshop_auditor.commands.scan"]


def test_the_cycle_finder_finds_a_lazy_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# Cycles being removed by a split in progress, listed so they cannot grow (none now).
PENDING: list[list[str]] = []


def test_no_import_cycle():
    graph = import_graph()
    found = [c for c in cycles(graph) if c not in PENDING]
    described = ["; ".join(f"{m} -> {sorted(graph[m] & set(c))}" for m in c) for c in found]
    assert not found, "import cycles:\n" + "\n".join(described)


def test_errors_is_a_leaf():
    """Commands, the queue and the web app raise UsageError without importing the CLI."""
    graph = import_graph()
    assert graph["cardshop_auditor.errors"] == set()
    assert not [m for m, deps in graph.items() if m.startswith("cardshop_auditor.commands.")
                and "cardshop_auditor.cli" in deps]


def test_pending_cycles_are_still_there():
    """A cycle fixed by its split leaves PENDING, so it cannot come back unnoticed."""
    found = cycles(import_graph())
    assert not [c for c in PENDING if c not in found], "cycle gone: remove it from PENDING"
