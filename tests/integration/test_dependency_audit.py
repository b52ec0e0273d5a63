"""Known vulnerabilities in the pinned packages: pip-audit over constraints.txt, with a triage
file for what Rasa 3.6's pins keep us from upgrading (security/pip-audit-triage.toml)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

TRIAGE = PROJECT_ROOT / "security" / "pip-audit-triage.toml"
BLOCKED = 3  # scripts/audit_dependencies.sh: the vulnerability service does not answer


def pinned() -> set[str]:
    lines = (PROJECT_ROOT / "constraints.txt").read_text().splitlines()
    return {line.split("==")[0].lower() for line in lines if "==" in line}


def test_every_triaged_vulnerability_says_why_and_is_pinned() -> None:
    entries = tomllib.loads(TRIAGE.read_text())["ignore"]
    for entry in entries:
        assert set(entry) >= {"id", "package", "pinned_by", "exposure", "reviewed"}, entry
        assert re.fullmatch(r"(PYSEC|GHSA|CVE)-[\w-]+", entry["id"]), entry
        assert entry["package"].lower() in pinned(), f"{entry['package']} is no longer pinned"
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))


def test_no_untriaged_vulnerability_in_the_pinned_packages() -> None:
    result = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "audit_dependencies.sh")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode == BLOCKED:
        pytest.skip(result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
