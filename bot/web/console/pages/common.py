"""What every console page shares: the page frame, the flash message, redirects and audit lines."""

from __future__ import annotations

import asyncio
from typing import Any, NoReturn
from urllib.parse import quote, unquote

from aiohttp import web

from bot.intake_queue import use_cases
from bot.intake_queue.audit import AuditLine
from bot.profile import active_profile
from bot.web.app_keys import ENGINE
from bot.web.console.auth import CONSOLE_PATH, SignedIn
from bot.web.conversation import Caseworker
from bot.web.templating import render
from bot.web.texts import ERROR_TITLE

FLASH_COOKIE = "iop_flash"


def redirect(location: str, flash: str | None = None) -> NoReturn:
    """Go to `location` (303), with a one-time message for the next page."""
    response = web.HTTPSeeOther(location)
    if flash:
        response.set_cookie(
            FLASH_COOKIE, quote(flash), httponly=True, samesite="Strict", path=CONSOLE_PATH
        )
    raise response


def page(
    request: web.Request, who: SignedIn | None, name: str, title: str, **context: Any
) -> web.Response:
    """A console template with the frame's values (kommun, user, CSRF token, flash)."""
    flash = request.cookies.get(FLASH_COOKIE)
    response = render(
        f"console/{name}",
        {
            "title": title,
            "kommun_name": active_profile().kommun.name,
            "user": who.caseworker if who else None,
            "csrf_token": who.session.csrf_token if who else "",
            "flash": unquote(flash) if flash else None,
            **context,
        },
    )
    if flash:
        response.del_cookie(FLASH_COOKIE, path=CONSOLE_PATH)
    return response


def error_page(
    request: web.Request, who: SignedIn | None, status: int, message: str
) -> web.Response:
    response = page(request, who, "error.html.j2", ERROR_TITLE, status=status, message=message)
    response.set_status(status)
    return response


async def record_action(
    request: web.Request, actor: str, action: str, subject: str, detail: str | None = None
) -> None:
    """The audit line of an action that changed nothing here itself (a login, a handoff the
    gateway ended). An action that changes something writes its line in its own unit of work
    (bot/intake_queue/use_cases.py)."""
    line = AuditLine(actor, action, subject, detail)
    await asyncio.to_thread(use_cases.record_action, request.app[ENGINE], line)


def caseworker(who: SignedIn) -> Caseworker:
    return Caseworker(who.caseworker.username, who.caseworker.display_name)
