"""Logging caseworkers in and out of the console, and guarding every page and form.

Sessions live in the database (bot/intake_queue/console_sessions.py): the cookie is HttpOnly and
SameSite=Strict, and every form carries the session's CSRF token. The login form, which has no
session yet, uses a double-submit token in a short-lived cookie. Failed logins are throttled per
(username, address), per address and, more softly, per username (bot/web/console/throttle.py), so
a password cannot be guessed by trying and a stranger cannot lock a caseworker out. An attempt
over a limit is refused before the password is hashed; the hashing (scrypt) runs on a small pool
of its own, so logins never hold up the threads the database calls use.

The client's address is the connection's, or – when the connection comes from a trusted proxy –
the last address in X-Forwarded-For that is not itself a trusted proxy. Trusted proxies are the
gateway setting `trusted_proxies` if there is one, else loopback only (nginx on the same host,
deploy/nginx/iop-lotsen.conf).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web

from bot.intake_queue.accounts import Caseworker, authenticate, find_account
from bot.intake_queue.audit import AuditLine
from bot.intake_queue.console_sessions import ConsoleSession, ConsoleSessions
from bot.web.app_keys import CONSOLE_SESSIONS, ENGINE, LOGIN_THROTTLE
from bot.web.console.throttle import LoginThrottle, Verdict
from bot.web.proxies import client_address
from bot.web.security import same_token
from bot.web.texts import (
    LOGIN_BUSY,
    NOT_LOGGED_IN,
    STALE_FORM,
    TOO_MANY_FOR_ACCOUNT,
    TOO_MANY_FROM_HERE,
    UNREADABLE_FORM,
)

SESSION_COOKIE = "iop_handlaggare"
LOGIN_CSRF_COOKIE = "iop_login_csrf"
CONSOLE_PATH = "/handlaggare"
LOGIN_PATH = f"{CONSOLE_PATH}/logga-in"

HASHING_THREADS = 2  # scrypt at once; more attempts wait for a thread
MAX_WAITING_HASHES = 32  # attempts waiting for a hashing thread before new ones are refused

_hashing: ThreadPoolExecutor | None = None
_waiting_hashes = 0


def hashing_pool() -> ThreadPoolExecutor:
    """The small pool the password hashing runs on, apart from the default one."""
    global _hashing
    if _hashing is None:
        _hashing = ThreadPoolExecutor(HASHING_THREADS, thread_name_prefix="login-scrypt")
    return _hashing


@dataclass(frozen=True)
class SignedIn:
    token: str
    session: ConsoleSession
    caseworker: Caseworker


async def signed_in(request: web.Request) -> SignedIn | None:
    """The caseworker behind this request's cookie, if the session and the account are valid."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    sessions: ConsoleSessions = request.app[CONSOLE_SESSIONS]
    session = await asyncio.to_thread(sessions.find, token)
    if session is None:
        return None
    account = await asyncio.to_thread(find_account, request.app[ENGINE], session.username)
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
            raise web.HTTPForbidden(text=NOT_LOGGED_IN)
        if request.method == "POST":
            try:
                form = await request.post()
            except ValueError as error:  # e.g. bytes that are not UTF-8: a 400, not a 500
                raise web.HTTPBadRequest(text=UNREADABLE_FORM) from error
            if not same_token(form.get("csrf_token"), who.session.csrf_token):  # type: ignore[arg-type]
                raise web.HTTPForbidden(text=STALE_FORM)
        return await page(request, who)

    return guarded


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def login_csrf_ok(request: web.Request, given: str | None) -> bool:
    return same_token(given, request.cookies.get(LOGIN_CSRF_COOKIE))


async def log_in(request: web.Request, username: str, password: str) -> str | None:
    """A new session token for a correct password, else None. Raises LoginBlocked, before any
    hashing, for an attempt over a limit (bot/web/console/throttle.py)."""
    global _waiting_hashes
    throttle: LoginThrottle = request.app[LOGIN_THROTTLE]
    address = client_address(request)
    if _waiting_hashes >= MAX_WAITING_HASHES:
        raise LoginBlocked(LOGIN_BUSY, 5.0)
    verdict = throttle.begin(username, address)
    if not verdict.allowed:
        raise LoginBlocked.because(verdict)
    if verdict.wait > 0:
        await asyncio.sleep(verdict.wait)  # spaced out: no thread is held while waiting
    _waiting_hashes += 1
    try:
        loop = asyncio.get_running_loop()
        account = await loop.run_in_executor(
            hashing_pool(), authenticate, request.app[ENGINE], username, password
        )
    finally:
        _waiting_hashes -= 1
    if account is None:
        return None  # counted as a failure when the attempt began
    throttle.succeeded(username, address)
    sessions: ConsoleSessions = request.app[CONSOLE_SESSIONS]
    login_line = AuditLine(account.username, "inloggning", "konsolen")
    session = await asyncio.to_thread(sessions.start, account.username, True, login_line)
    return session.token


class LoginBlocked(Exception):
    """Too many failed logins: `message` says so (bot/web/texts.py), `retry_after` in seconds."""

    def __init__(self, message: str = TOO_MANY_FROM_HERE, retry_after: float = 60.0) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after

    @classmethod
    def because(cls, verdict: Verdict) -> LoginBlocked:
        if verdict.reason == "user":
            return cls(TOO_MANY_FOR_ACCOUNT, verdict.wait)
        return cls(TOO_MANY_FROM_HERE, verdict.wait)


def set_session_cookie(response: web.StreamResponse, token: str, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="Strict", secure=secure, path=CONSOLE_PATH
    )


def safe_next(target: str | None) -> str:
    """Only a path inside the console: a login link must not send anyone elsewhere."""
    if target and target.startswith(CONSOLE_PATH + "/") and not target.startswith("//"):
        return target
    return CONSOLE_PATH + "/"
