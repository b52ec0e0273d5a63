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
