"""Shared fixtures: project paths and a fresh profile cache per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bot.profile import active_profile

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Every property test the same on every machine and run (a red CI run must be reproducible), and
# no per-example deadline: speed is measured by the benchmark scripts, never asserted in a test.
hypothesis_settings.register_profile("iop-lotsen", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("iop-lotsen")


@pytest.fixture(autouse=True)
def _fresh_profile_cache():
    """Profiles are cached per process; tests that switch IOP_PROFILE need a clean cache."""
    active_profile.cache_clear()
    yield
    active_profile.cache_clear()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> str:
    """One real PostgreSQL server for the whole run (Debian's packages, started here)."""
    from tests.postgres import running_postgres

    with running_postgres(tmp_path_factory.mktemp("postgres")) as url:
        yield url
