"""Debian's headless Chromium for the browser tests (Playwright, sync or async), the console
login a caseworker does in it and the widget's parts a test waits for; the fixtures in
tests/e2e/conftest.py and tests/integration/conftest.py start it through here."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser as AsyncBrowser
from playwright.async_api import async_playwright
from playwright.async_api import expect as async_expect
from playwright.sync_api import Browser, Page, expect, sync_playwright

# How long a test waits for what a page should come to show. Playwright's default of 5 s assumes
# a quiet machine; CI runs one worker more than its two cores, and a live message crosses nginx,
# the gateway and Rasa. Waiting is not a timed assertion (speed is measured by the benchmarks), so
# a wait may last as long as a page action may (Playwright's 30 s).
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)
async_expect.set_options(timeout=WAIT_MS)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The widget's parts (bot/web/static/widget/).
BOT = "li.iop-lotsen__msg--bot"
AGENT = "li.iop-lotsen__msg--agent"
INPUT = "textarea.iop-lotsen__input"


def _require_chromium() -> None:
    """A missing browser is a broken set-up, never a reason to skip the test."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/ensure_chromium.sh installs it.")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium for Playwright's sync API, closed afterwards."""
    _require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@asynccontextmanager
async def async_chromium() -> AsyncIterator[AsyncBrowser]:
    """Headless Chromium for Playwright's async API (tests on pytest-asyncio's loop)."""
    _require_chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


def submit_console_login(page: Page, url: str, password: str, username: str = "anna") -> None:
    """On the console's login page: sign in and wait for the queue page."""
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/handlaggare/")
    expect(page.locator("h1")).to_be_visible()


def console_login(page: Page, url: str, password: str, username: str = "anna") -> None:
    """Opens the console at `url` (the login page first) and signs in."""
    page.goto(f"{url}/handlaggare/")
    submit_console_login(page, url, password, username)


def bot_count(page: Page) -> int:
    return page.locator(BOT).count()


def wait_for_answer(page: Page, before: int) -> None:
    """Until a new bot message has come and the typing indicator is gone."""
    page.wait_for_function(
        "n => document.querySelectorAll('li.iop-lotsen__msg--bot').length > n", arg=before
    )
    expect(page.locator(".iop-lotsen__typing")).to_be_hidden()
