"""Logging in to the caseworker console over an aiohttp test client, as a browser does, and the
test data the console fixtures (conftest.py) share."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

PASSWORD = "ett-långt-lösenord-42"
# The organisation of the one case in `console_queue`: its name must be escaped on every page.
EVIL_NAME = "Föreningen <script>alert(1)</script> & vänner"


async def login_token(client: TestClient) -> str:
    page = await client.get("/handlaggare/logga-in")
    assert page.status == 200
    return csrf_of(await page.text())


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"\s+name="csrf_token"', html
    )
    assert match, "no CSRF token in the form"
    return match.group(1)


async def log_in(client: TestClient, username: str = "anna") -> str:
    """Logs in and returns the session's CSRF token, read from the queue page."""
    token = await login_token(client)
    response = await client.post(
        "/handlaggare/logga-in",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": ""},
        allow_redirects=False,
    )
    assert response.status == 303
    page = await client.get("/handlaggare/")
    assert page.status == 200
    return csrf_of(await page.text())
