"""scripts/validate_data.py passes the project and fails on a real warning."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "validate_data.py"


def validate(root) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_project(tmp_path):
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    return tmp_path


def test_project_data_has_no_warnings():
    result = validate(PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "0 warning(s)" in result.stdout


def test_an_unused_response_that_no_action_sends_is_reported(tmp_path):
    root = copy_project(tmp_path)
    domain = (root / "domain.yml").read_text(encoding="utf-8")
    domain = domain.replace(
        "responses:\n", 'responses:\n  utter_forgotten:\n    - text: "Glömd."\n', 1
    )
    (root / "domain.yml").write_text(domain, encoding="utf-8")
    result = validate(root)
    assert result.returncode == 1
    assert "utter_forgotten" in result.stderr
