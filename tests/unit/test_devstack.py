"""The development stack's rules: scripts and tests share devstack/ and never import each other
or patch sys.path; the endpoints file is written owner-only; markers follow the directories."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import yaml

from devstack.endpoints import endpoints, write_endpoints
from devstack.ports import free_port
from tests.conftest import (
    ALONE,
    LONGEST_FIRST,
    PROJECT_ROOT,
    SLOW,
    TESTS,
    could_match,
    markers_for,
    worker_groups,
)


def python_files(*directories: str) -> list[Path]:
    return [p for d in directories for p in sorted((PROJECT_ROOT / d).rglob("*.py"))]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_tests_never_import_scripts() -> None:
    offenders = [p for p in python_files("tests") if "scripts" in top_level(imported_modules(p))]
    assert offenders == []


def test_scripts_and_devstack_never_import_tests() -> None:
    offenders = [
        p for p in python_files("scripts", "devstack") if "tests" in top_level(imported_modules(p))
    ]
    assert offenders == []


def patches_sys_path(path: Path) -> bool:
    """A call such as sys.path.insert(…) or sys.path.append(…) anywhere in the file."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "path"
        and isinstance(node.func.value.value, ast.Name)
        and node.func.value.value.id == "sys"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def test_nothing_patches_sys_path() -> None:
    assert [p for p in python_files("scripts", "devstack", "tests") if patches_sys_path(p)] == []


def test_the_sys_path_check_sees_a_patch(tmp_path: Path) -> None:
    script = tmp_path / "x.py"
    script.write_text("import sys\nsys.path.insert(0, '..')\n", encoding="utf-8")
    assert patches_sys_path(script)


def test_scripts_is_no_package() -> None:
    """Scripts run as `python scripts/x.py`; nothing may import them as a package."""
    assert not (PROJECT_ROOT / "scripts" / "__init__.py").exists()


def test_the_endpoints_file_is_owner_only_and_as_rasa_needs_it(tmp_path: Path) -> None:
    path = write_endpoints(
        tmp_path, "http://127.0.0.1:5055", "sqlite:///x.db", "t0ken", "redis://:pw@127.0.0.1/1"
    )
    assert path.stat().st_mode & 0o777 == 0o600
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert written == endpoints(
        "http://127.0.0.1:5055/webhook", "sqlite:///x.db", "t0ken", "redis://:pw@127.0.0.1/1"
    )
    assert written["action_endpoint"] == {"url": "http://127.0.0.1:5055/webhook", "token": "t0ken"}


def test_a_free_port_can_be_listened_on() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", free_port()))


def test_markers_follow_the_directory() -> None:
    assert markers_for("unit/test_text.py::test_x", None) == ["unit"]
    assert markers_for("integration/test_queue.py::test_x", None) == ["integration"]
    assert markers_for("e2e/test_rest_conversations.py::test_x", None) == ["e2e"]
    assert markers_for("nlu/test_heldout.py::test_x", None) == ["nlu", "slow"]


def test_a_marker_run_skips_only_directories_that_cannot_match() -> None:
    """`-m unit` need not import the other directories or the slow unit modules; any other
    choice keeps what may match."""
    paths = ("unit", "unit/test_text.py", "unit/test_validate_data.py", "integration", "e2e")
    paths += ("e2e/test_answer_sets.py", "nlu", "nlu/test_heldout.py")

    def matching(expression: str) -> list[str]:
        return [path for path in paths if could_match(path, expression)]

    assert matching("unit") == ["unit", "unit/test_text.py"]
    assert matching("unit or integration") == ["unit", "unit/test_text.py", "integration"]
    assert matching("e2e and not slow") == ["e2e"]
    assert matching("nlu and not slow") == []
    assert matching("slow and not e2e") == [p for p in paths if not p.startswith("e2e")]
    everywhere = ("slow or not slow", "browser", "not unit", "asyncio", "unit or x(a=1)")
    for expression in everywhere:
        assert matching(expression) == list(paths), expression


def test_timed_tests_are_marked_to_run_alone_and_found_by_that_marker() -> None:
    assert markers_for("integration/test_gateway_flood.py::test_x", None) == [
        "integration",
        "alone",
    ]
    assert markers_for("integration/test_queue.py::test_x", None) == ["integration"]
    assert could_match("integration", "alone")
    assert could_match("integration/test_gateway_flood.py", "alone")
    assert not could_match("integration/test_queue.py", "alone")
    assert not could_match("unit", "alone")
    assert could_match("integration/test_queue.py", "not alone")


def test_the_long_modules_named_for_scheduling_exist() -> None:
    """A renamed module would silently fall to the end of the run, where it makes the other
    workers wait."""
    for relative in (*LONGEST_FIRST, *ALONE, *(entry.split("::")[0] for entry in SLOW)):
        assert (PROJECT_ROOT / "tests" / relative).exists(), relative
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)


def test_slow_unit_tests_leave_the_quick_unit_run() -> None:
    assert markers_for("unit/test_validate_data.py::test_x", None) == ["slow"]
    assert markers_for("unit/test_rasa_server.py::test_tensorflow_loads_without_jax", None) == [
        "slow"
    ]
    assert markers_for("unit/test_rasa_server.py::test_other", None) == ["unit"]
    assert markers_for("e2e/test_answer_sets.py::test_x", None) == ["e2e", "slow"]


def test_a_module_that_imported_playwright_is_a_browser_test() -> None:
    from playwright.async_api import async_playwright
    from playwright.sync_api import sync_playwright

    for launcher in (sync_playwright, async_playwright):
        module = types.ModuleType("test_fake")
        module.launcher = launcher
        assert markers_for("integration/test_fake.py::t", module) == ["integration", "browser"]
    plain = types.ModuleType("test_plain")
    plain.path = Path
    assert markers_for("integration/test_plain.py::t", plain) == ["integration"]


def test_modules_sharing_a_set_up_go_to_one_worker_and_the_rest_alone() -> None:
    """One group per shared set-up (started once per run), the first in SHARED_SET_UPS winning
    for a module that needs several; every other module is a group of its own."""

    def item(module: str, *fixtures: str) -> types.SimpleNamespace:
        return types.SimpleNamespace(path=TESTS / module, fixturenames=["sender", *fixtures])

    groups = worker_groups(
        [
            item("e2e/test_masking_sweep.py", "site"),
            item("e2e/test_answer_sets.py", "stack"),
            item("e2e/test_intake_conversations.py", "stack"),
            item("e2e/test_intake_conversations.py", "pg_stack"),
            item("e2e/test_mixed.py", "stack"),
            item("e2e/test_mixed.py", "site", "stack"),
            item("nlu/test_heldout.py", "nlu_agent"),
            item("unit/test_text.py"),
            item("integration/test_text.py"),
        ]
    )
    assert {path.relative_to(TESTS).as_posix(): group for path, group in groups.items()} == {
        "e2e/test_masking_sweep.py": "site",
        "e2e/test_answer_sets.py": "stack",
        "e2e/test_intake_conversations.py": "stack",
        "e2e/test_mixed.py": "site",
        "nlu/test_heldout.py": "nlu_agent",
        "unit/test_text.py": "unit/test_text.py",
        "integration/test_text.py": "integration/test_text.py",
    }
