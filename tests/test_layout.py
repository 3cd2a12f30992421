"""The package layout: the core library needs neither FastAPI nor pyvis, and the command-line
modules import one another without a circle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

CLI_MODULES = {
    "causal_web.cli.main": ROOT / "causal_web" / "cli" / "main.py",
    "causal_web.cli.support": ROOT / "causal_web" / "cli" / "support.py",
    "causal_web.cli.tables": ROOT / "causal_web" / "cli" / "tables.py",
    "causal_web.api.cli": ROOT / "api" / "cli.py",
    "causal_web.viz.cli": ROOT / "viz" / "cli.py",
}


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_loading_the_library_imports_neither_fastapi_nor_pyvis():
    out = _run(
        "import sys, causal_web\n"
        "kb = causal_web.load(); kb.index()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'pyvis', 'starlette')))\n"
        "print(len(kb.cmocs))"
    )
    loaded, count = out.strip().splitlines()
    assert loaded == "[]"
    assert int(count) > 0


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Modules ``path`` imports: all of them, or only those it imports when it is loaded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body if top_level_only else ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_import_circle_between_the_command_line_modules():
    graph = {name: {m for m in _imports(path) if m in CLI_MODULES} for name, path in CLI_MODULES.items()}
    # depth-first search for a cycle
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            assert state.get(nxt) != 1, f"import circle: {' -> '.join([*trail, node, nxt])}"
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])
    # and the package __init__ does not pull in main behind the others' backs
    assert "causal_web.cli.main" not in _imports(
        ROOT / "causal_web" / "cli" / "__init__.py", top_level_only=True
    )


@pytest.mark.parametrize("module", sorted(CLI_MODULES))
def test_each_command_module_imports_first_in_a_fresh_interpreter(module):
    _run(f"import {module}")
