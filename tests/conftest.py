"""Shared fixtures: project paths and a fresh profile cache per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.profile import active_profile

PROJECT_ROOT = Path(__file__).resolve().parents[1]


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
