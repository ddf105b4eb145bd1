"""The apps form a ladder: no import circle between two apps, and no private name (`_x`)
imported from another app. Every import counts, at module level or inside a function
(an import moved into a function to dodge a circle is still a circle).

The ladder, from the bottom: peacekeeping (the platform), missions, incidents,
accountability, then reports and exports (accountability/reports, accountability/exports,
apps of their own). Migrations are history and are not read; the root URLconf and the
settings name every app, as they must.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("peacekeeping", "missions", "incidents", "accountability")
SUBAPPS = ("reports", "exports")  # accountability/<name>: apps of their own
ROOT_MODULES = {"peacekeeping/urls.py"}  # the root URLconf includes every app's URLs


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "accountability" and len(parts) > 1 and parts[1] in SUBAPPS:
        return parts[1]
    return parts[0] if parts[0] in PACKAGES else None


def imports():
    """(importing app, imported app, imported name or None, where) for every import of
    one project app by another."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or str(rel) in ROOT_MODULES:
                continue
            source = app_of(".".join(rel.with_suffix("").parts))
            for node in ast.walk(ast.parse(path.read_text(), str(rel))):
                if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    targets = [(f"{node.module}.{a.name}", node.module, a.name) for a in node.names]
                elif isinstance(node, ast.Import):
                    targets = [(a.name, a.name, None) for a in node.names]
                else:
                    continue
                for full, module, name in targets:
                    # `from accountability import reports` imports the reports app.
                    target = app_of(full) if app_of(full) in SUBAPPS else app_of(module)
                    if target is not None and target != source:
                        yield source, target, name, f"{rel}:{node.lineno} {full}"


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(app):
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(edges.get(app, ())):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(edges):
        if app not in index:
            visit(app)
    return groups


def test_the_finder_sees_a_circle_and_a_ladder():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"b": {"a"}, "c": {"a", "b"}}) == []
    assert app_of("accountability.reports.models") == "reports"
    assert app_of("accountability.models") == "accountability"


def test_no_import_circle_between_apps():
    edges, where = defaultdict(set), defaultdict(list)
    for source, target, _name, line in imports():
        edges[source].add(target)
        where[source, target].append(line)

    found = circles(edges)

    # Each circle, with the imports that close it, so the message says what to move.
    detail = {
        " <-> ".join(group): [line for a in group for b in group for line in where[a, b]]
        for group in found
    }
    assert detail == {}


def test_no_private_name_is_imported_from_another_app():
    private = [line for _s, _t, name, line in imports() if name and name.startswith("_")]

    assert private == []
