"""The package's architecture, checked (issue 14 item 9): no import cycles, and imports go one
way only: core (load, validate) → domain (rules, registers, report counting) → views (site,
public, report renderers, exports, writers) → adapters (CLI, plugins). docs/architecture.md
describes the same layers."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.browser import ROOT

PACKAGE = ROOT / "scripts" / "daicho"

# Module (or package prefix) → layer. A module not listed fails the test: place it.
LAYERS = {
    "core": ["daicho", "daicho.yamlio", "daicho.result", "daicho.errors", "daicho.memo", "daicho.schemas",
             "daicho.forms", "daicho.typemodel", "daicho.model", "daicho.repository", "daicho.cache", "daicho.lint",
             "daicho.dates", "daicho.holidays", "daicho.progress", "daicho.invisible", "daicho.withholding",
             "daicho.approval", "daicho.cellsafe"],
    "domain": ["daicho.rules", "daicho.registers", "daicho.history", "daicho.report.counting",
               "daicho.report.finding", "daicho.report.findings", "daicho.report.history", "daicho.report.tables"],
    "views": ["daicho.render", "daicho.report", "daicho.public", "daicho.public_site", "daicho.export",
              "daicho.search", "daicho.a11y", "daicho.csp", "daicho.navcache", "daicho.reporters", "daicho.scaffold", "daicho.yamlfmt",
              "daicho.importer", "daicho.register_export", "daicho.public_report", "daicho.public_pages",
              "daicho.formatting", "daicho.cjk_breaks"],
    "adapters": ["daicho.cli", "daicho.__main__", "daicho.argparse_ja", "daicho.commands", "daicho.mkdocs_plugin",
                 "daicho.public_plugin", "daicho.core", "daicho.yamllint_hook"],
}
ORDER = list(LAYERS)


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the package modules it imports anywhere in its text (deferred imports count)."""
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("daicho"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in mods else node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("daicho")}
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)  # importlib.import_module("daicho.rules")
        graph[name] = {m for m in found if m in mods and m != name}
    return graph


def layer(module: str) -> str:
    best = max(((prefix, name) for name, prefixes in LAYERS.items() for prefix in prefixes
                if module == prefix or module.startswith(prefix + ".")), key=lambda pn: len(pn[0]), default=None)
    assert best is not None, f"{module}: add it to a layer in tests/test_layers.py (and docs/architecture.md)"
    return best[1]


def test_no_import_cycles() -> None:
    graph = imports(modules())
    cycles = []
    for start in graph:  # a path back to ``start`` through its imports
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" → ".join((*path, start)))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, (*path, nxt)))
    # A package importing its own submodules (render → render.contracts) is how it lists them.
    cycles = [c for c in cycles if not all(m.startswith(c.split(" → ")[0]) for m in c.split(" → "))]
    assert cycles == []


def test_imports_go_one_way() -> None:
    graph = imports(modules())
    upward = sorted(f"{m} ({layer(m)}) imports {n} ({layer(n)})" for m, targets in graph.items() for n in targets
                    if ORDER.index(layer(n)) > ORDER.index(layer(m)))
    assert upward == []
