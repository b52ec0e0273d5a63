"""Integration fixtures several modules share: the gateway's routing world (a real handoff table
on SQLite, a recording stand-in for Rasa, fake sockets), the console over real HTTP and headless
Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.intake_queue.accounts import create_account
from bot.intake_queue.repository import IntakeQueue
from bot.profile import load_profile
from bot.record import build_record
from bot.web.app import create_app
from bot.web.conversation import Conversations
from bot.web.hub import ConsoleConnection, Hub
from bot.web.settings import GatewaySettings
from devstack.ports import free_port
from tests.intake_fixtures import all_yes, complete_state
from tests.integration.console_login import EVIL_NAME, PASSWORD
from tests.integration.recording_rasa import CONVERSATION, FakeSocket, RecordingRasa

if TYPE_CHECKING:
    from playwright.async_api import Browser as AsyncBrowser

# -- the gateway's routing (bot/web/conversation.py) ---------------------------------------------


@pytest.fixture
def gateway_queue(tmp_path: Path) -> IntakeQueue:
    """The handoff table, and the caseworkers anna and bo."""
    queue = IntakeQueue.open(f"sqlite:///{tmp_path / 'gateway.db'}")
    create_account(queue.engine, "anna", "Anna Berg", "ett-långt-lösenord-1")
    create_account(queue.engine, "bo", "Bo Ek", "ett-långt-lösenord-2")
    return queue


@pytest.fixture
def rasa() -> RecordingRasa:
    return RecordingRasa()


@pytest.fixture
def widget() -> FakeSocket:
    return FakeSocket()


@pytest.fixture
def console() -> FakeSocket:
    return FakeSocket()


@pytest.fixture
def conversations(gateway_queue, rasa, widget, console) -> Conversations:
    """The widget of CONVERSATION and anna's console (following handoff 1) on one hub."""
    hub = Hub()
    hub.add_widget(CONVERSATION, widget)  # type: ignore[arg-type]
    connection = ConsoleConnection(console, "anna", "Anna Berg")  # type: ignore[arg-type]
    connection.joined.add(1)
    hub.add_console(connection)
    return Conversations(rasa, gateway_queue.engine, hub, resume_pauses=(0.01, 0.01))  # type: ignore[arg-type]


# -- the console over HTTP -----------------------------------------------------------------------


@pytest.fixture
def console_queue(tmp_path: Path) -> IntakeQueue:
    """One submitted case (organisation EVIL_NAME) and the caseworkers anna and bo."""
    queue = IntakeQueue.open(f"sqlite:///{tmp_path / 'console.db'}")
    create_account(queue.engine, "anna", "Anna Berg", PASSWORD)
    create_account(queue.engine, "bo", "Bo Ek", PASSWORD)
    profile = load_profile("mora")
    state = complete_state(profile, {"org_name": EVIL_NAME})
    queue.submit(
        state.key,
        lambda ref, at: build_record(profile, state, all_yes(profile), "conv-1", ref, at),
        [{"at": "2026-11-30T09:00:00+00:00", "sender": "user", "text": "Hej <b>där</b>"}],
    )
    return queue


@pytest.fixture
async def console_client(console_queue: IntakeQueue) -> AsyncIterator[TestClient]:
    """The whole gateway app over real HTTP, with Rasa down (nobody listens on its port)."""
    settings = GatewaySettings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="t",
        database_url=str(console_queue.engine.url),
        allowed_origins=(),
        secure_cookies=False,
    )
    async with TestClient(TestServer(create_app(settings, console_queue))) as test_client:
        yield test_client


# -- the browser ---------------------------------------------------------------------------------


@pytest.fixture
async def browser() -> AsyncIterator[AsyncBrowser]:
    """Debian's headless Chromium for Playwright's async API, on the test's own event loop."""
    from tests.browser import async_chromium

    async with async_chromium() as launched:
        yield launched
