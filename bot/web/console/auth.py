"""Logging caseworkers in and out of the console, and guarding every page and form.

Sessions live in the database (bot/intake_queue/console_sessions.py): the cookie is HttpOnly and
SameSite=Strict, and every form carries the session's CSRF token. The login form, which has no
session yet, uses a double-submit token in a short-lived cookie. Failed logins are throttled per
username and address, so a password cannot be guessed by trying.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web

from bot.intake_queue.accounts import Caseworker, authenticate, find_account
from bot.intake_queue.console_sessions import ConsoleSession, ConsoleSessions
from bot.web.security import same_token

SESSION_COOKIE = "iop_handlaggare"
LOGIN_CSRF_COOKIE = "iop_login_csrf"
CONSOLE_PATH = "/handlaggare"
LOGIN_PATH = f"{CONSOLE_PATH}/logga-in"

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class SignedIn:
    token: str
    session: ConsoleSession
    caseworker: Caseworker


class LoginThrottle:
    """Counts failed logins per (username, address) in a sliding window, in this process."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def blocked(self, username: str, address: str) -> bool:
        failures = self._recent(username, address)
        return len(failures) >= self.limit

    def failed(self, username: str, address: str) -> None:
        self._recent(username, address).append(time.monotonic())

    def succeeded(self, username: str, address: str) -> None:
        self._failures.pop((username, address), None)

    def _recent(self, username: str, address: str) -> deque[float]:
        failures = self._failures[(username.strip().lower(), address)]
        while failures and failures[0] < time.monotonic() - self.window:
            failures.popleft()
        return failures


async def signed_in(request: web.Request) -> SignedIn | None:
    """The caseworker behind this request's cookie, if the session and the account are valid."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    sessions: ConsoleSessions = request.app["console_sessions"]
    session = await asyncio.to_thread(sessions.find, token)
    if session is None:
        return None
    account = await asyncio.to_thread(find_account, request.app["engine"], session.username)
    if account is None or not account.active:
        return None
    return SignedIn(token, session, account)


Page = Callable[[web.Request, SignedIn], Awaitable[web.StreamResponse]]


def login_required(page: Page) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """GET pages redirect to the login; POSTs also need the session's CSRF token."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        who = await signed_in(request)
        if who is None:
            if request.method == "GET":
                raise web.HTTPSeeOther(f"{LOGIN_PATH}?next={quote(request.path_qs, safe='')}")
            raise web.HTTPForbidden(text="Du är inte inloggad. Logga in igen.")
        if request.method == "POST":
            form = await request.post()
            if not same_token(form.get("csrf_token"), who.session.csrf_token):  # type: ignore[arg-type]
                raise web.HTTPForbidden(
                    text="Formuläret var för gammalt. Ladda om sidan och försök igen."
                )
        return await page(request, who)

    return guarded


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def login_csrf_ok(request: web.Request, given: str | None) -> bool:
    return same_token(given, request.cookies.get(LOGIN_CSRF_COOKIE))


def client_address(request: web.Request) -> str:
    return request.remote or "okänd"


async def log_in(request: web.Request, username: str, password: str) -> str | None:
    """A new session token for a correct password, else None. Throttled per user and address."""
    throttle: LoginThrottle = request.app["login_throttle"]
    address = client_address(request)
    if throttle.blocked(username, address):
        raise LoginBlocked()
    account = await asyncio.to_thread(authenticate, request.app["engine"], username, password)
    if account is None:
        throttle.failed(username, address)
        return None
    throttle.succeeded(username, address)
    sessions: ConsoleSessions = request.app["console_sessions"]
    session = await asyncio.to_thread(sessions.start, account.username)
    return session.token


class LoginBlocked(Exception):
    """Too many failed logins for this username from this address."""


def set_session_cookie(response: web.StreamResponse, token: str, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="Strict", secure=secure, path=CONSOLE_PATH
    )


def safe_next(target: str | None) -> str:
    """Only a path inside the console: a login link must not send anyone elsewhere."""
    if target and target.startswith(CONSOLE_PATH + "/") and not target.startswith("//"):
        return target
    return CONSOLE_PATH + "/"
