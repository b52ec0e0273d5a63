"""End-to-end fixtures: one real stack (Mora profile) shared by the whole session."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.servers import MODEL, Stack, rasa_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    with rasa_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture
def sender() -> str:
    """A fresh, unguessable conversation id per test."""
    return uuid.uuid4().hex


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def pg_stack(tmp_path_factory, postgres_server) -> Stack:
    """The same stack with the intake queue and tracker store on the real PostgreSQL server."""
    from tests.postgres import fresh_database

    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    url = fresh_database(postgres_server, "iop_e2e")
    with rasa_stack(tmp_path_factory.mktemp("pg_stack"), database_url=url) as running:
        yield running
