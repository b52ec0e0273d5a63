"""Small modules and short functions (issue 14): no module over 400 lines and no function over
60 lines in the project's own code, so that each piece can be read and reviewed in one go.
Migrations are left out: they are written once and never edited."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import PROJECT_ROOT

SOURCE_DIRECTORIES = ("bot", "actions", "scripts", "devstack")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    """Every Python module in the project's own code, migrations left out."""
    return sorted(
        path
        for directory in SOURCE_DIRECTORIES
        for path in (PROJECT_ROOT / directory).rglob("*.py")
        if "migrations" not in path.relative_to(PROJECT_ROOT).parts
    )


def long_modules(paths: list[Path]) -> list[str]:
    """`path: N lines` for each module longer than MAX_MODULE_LINES."""
    found = []
    for path in paths:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{path.relative_to(PROJECT_ROOT)}: {lines} lines")
    return found


def long_functions(source: str, name: str) -> list[str]:
    """`name:line function (N lines)` for each function in `source` longer than the limit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_the_project_has_modules_to_check():
    names = {path.relative_to(PROJECT_ROOT).parts[0] for path in _modules()}
    assert names == set(SOURCE_DIRECTORIES)


def test_no_module_is_over_400_lines():
    assert long_modules(_modules()) == []


def test_no_function_is_over_60_lines():
    found = []
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        found += long_functions(source, str(path.relative_to(PROJECT_ROOT)))
    assert found == []


def test_a_long_function_is_found():
    """The check itself: a 61-line function (methods and async ones too) is reported."""
    body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES - 1))
    short = "def short():\n" + body  # 60 lines: allowed
    source = (
        f"{short}\n"
        f"class C:\n    async def long(self):\n"
        + body.replace("    ", "        ")
        + "        return 1\n"
    )
    assert long_functions(source, "m.py") == ["m.py:63 long (61 lines)"]
