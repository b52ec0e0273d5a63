"""A console tab whose session ended elsewhere stops reconnecting and offers the login page.

The gateway closes a signed-out session's socket with code 4401 (issue 13, item 5). Before, the
page kept reconnecting ("Återansluter …") and was refused every time. Real gateway (aiohttp,
SQLite) and Debian's chromium; Rasa is not needed for the console's queue page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect

from bot.intake_queue.accounts import create_account
from bot.intake_queue.repository import IntakeQueue
from bot.web.app import create_app
from bot.web.settings import GatewaySettings
from tests.e2e.servers import free_port

PASSWORD = "ett-langt-losenord-for-test"
NO_HANG = 20_000  # ms; only a guard against a hanging test, nothing is timed


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[TestServer]:
    queue = IntakeQueue.open(f"sqlite:///{tmp_path / 'signed-out.db'}")
    create_account(queue.engine, "anna", "Anna Berg", PASSWORD)
    settings = GatewaySettings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="t",
        database_url=str(queue.engine.url),
        allowed_origins=(),
        secure_cookies=False,
    )
    server = TestServer(create_app(settings, queue), host="127.0.0.1", port=free_port())
    await server.start_server()
    yield server
    await server.close()


async def test_logging_out_in_another_tab_turns_the_open_tab_into_a_login_link(
    gateway: TestServer, browser: Browser
) -> None:
    base = f"http://127.0.0.1:{gateway.port}"
    context = await browser.new_context()
    first = await context.new_page()
    await first.goto(f"{base}/handlaggare/", timeout=NO_HANG)
    await first.fill("input[name=username]", "anna")
    await first.fill("input[name=password]", PASSWORD)
    async with first.expect_websocket(timeout=NO_HANG):
        await first.click("form button[type=submit]")

    second = await context.new_page()
    await second.goto(f"{base}/handlaggare/", timeout=NO_HANG)
    await second.click("form.logout button")

    error = first.locator("[data-live-error]")
    await expect(error).to_contain_text("Du är utloggad", timeout=NO_HANG)
    link = error.get_by_role("link", name="Logga in igen")
    await expect(link).to_have_attribute("href", "/handlaggare/")
    # No endless "Återansluter …": the tab waits for the user to log in again.
    await first.wait_for_timeout(2500)
    await expect(first.locator("[data-conn-status]")).to_have_text("")
    await expect(error).to_contain_text("Du är utloggad")
