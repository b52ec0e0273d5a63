"""Logging in and out of the console (the checks themselves are in bot/web/console/auth.py)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.intake_queue.audit import AuditLine
from bot.web.app_keys import CONSOLE_SESSIONS, SETTINGS
from bot.web.console.auth import (
    CONSOLE_PATH,
    LOGIN_CSRF_COOKIE,
    LOGIN_PATH,
    SESSION_COOKIE,
    LoginBlocked,
    SignedIn,
    log_in,
    login_csrf_ok,
    login_required,
    new_login_token,
    safe_next,
    set_session_cookie,
    signed_in,
)
from bot.web.console.pages.common import page, record_action, redirect
from bot.web.texts import LOGIN_TITLE, STALE_LOGIN_FORM, TOO_MANY_TRIES, WRONG_LOGIN


async def login_page(request: web.Request) -> web.Response:
    if await signed_in(request) is not None:
        redirect(safe_next(request.query.get("next")))
    return _login_form(request, error=None, username="", status=200)


def _login_form(
    request: web.Request, error: str | None, username: str, status: int
) -> web.Response:
    token = new_login_token()
    response = page(
        request,
        None,
        "login.html.j2",
        LOGIN_TITLE,
        error=error,
        username=username,
        next=safe_next(request.query.get("next") or request.get("next_target")),
        csrf_token=token,
    )
    response.set_status(status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        path=LOGIN_PATH,
        secure=request.app[SETTINGS].secure_cookies,
        max_age=3600,
    )
    return response


async def login_submit(request: web.Request) -> web.Response:
    try:
        form = await request.post()
    except ValueError:  # e.g. bytes that are not UTF-8: the form again, not a 500
        return _login_form(request, STALE_LOGIN_FORM, "", status=400)
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    request["next_target"] = str(form.get("next", ""))
    if not login_csrf_ok(request, form.get("csrf_token")):  # type: ignore[arg-type]
        return _login_form(request, STALE_LOGIN_FORM, username, status=400)
    try:
        token = await log_in(request, username, password)
    except LoginBlocked as blocked:
        return _login_form(request, blocked.message or TOO_MANY_TRIES, username, status=429)
    if token is None:
        await record_action(request, username[:80] or "?", "inloggning_misslyckad", "konsolen")
        return _login_form(request, WRONG_LOGIN, username, status=401)
    # The login's audit line was written with its session (bot/web/console/auth.py).
    response = web.HTTPSeeOther(safe_next(str(form.get("next", ""))))
    set_session_cookie(response, token, request.app[SETTINGS].secure_cookies)
    response.del_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    raise response


@login_required
async def logout(request: web.Request, who: SignedIn) -> web.Response:
    line = AuditLine(who.caseworker.username, "utloggning", "konsolen")
    await asyncio.to_thread(request.app[CONSOLE_SESSIONS].end, who.token, line)
    response = web.HTTPSeeOther(LOGIN_PATH)
    response.del_cookie(SESSION_COOKIE, path=CONSOLE_PATH)
    raise response
