"""End-to-end fixtures: one real stack (Mora profile) shared by the whole session, and headless
Chromium for each browser test module."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from bot.intake_queue.accounts import create_account
from bot.intake_queue.database import make_engine
from devstack.servers import MODEL, Stack, rasa_stack, web_gateway
from tests.e2e.site import ALWAYS_OPEN, CASEWORKER_PASSWORD, Site

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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


@pytest.fixture(scope="session")
def pg_stack(tmp_path_factory, postgres_server) -> Stack:
    """The same stack with the intake queue and tracker store on the real PostgreSQL server."""
    from devstack.postgres import fresh_database

    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    url = fresh_database(postgres_server, "iop_e2e")
    with rasa_stack(tmp_path_factory.mktemp("pg_stack"), database_url=url) as running:
        yield running


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    """Live chat open around the clock, and one caseworker account (anna)."""
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    workdir = tmp_path_factory.mktemp("web")
    with (
        rasa_stack(workdir, profile=ALWAYS_OPEN) as stack,
        web_gateway(workdir, stack, profile=ALWAYS_OPEN) as gateway,
    ):
        engine = make_engine(stack.database_url)
        create_account(engine, "anna", "Anna Berg", CASEWORKER_PASSWORD)
        yield Site(stack, gateway.url, engine)
        engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (Playwright's sync API), one per test module."""
    from tests.browser import chromium

    with chromium() as launched:
        yield launched
