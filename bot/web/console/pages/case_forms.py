"""A case's detail forms: the procurement unit's opinion, the bodies concerned, the signed copy.

Each change is made and audited by bot/intake_queue/case_details.py; these handlers read the
form and go back to the case with a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date

from aiohttp import web

from bot.intake_queue import case_details
from bot.intake_queue.repository import CaseNotFound
from bot.web.app_keys import ENGINE
from bot.web.console.auth import CONSOLE_PATH, SignedIn, login_required
from bot.web.console.pages.common import redirect


async def _save_detail(
    request: web.Request, save: Callable[[dict[str, str]], object], done: str
) -> web.Response:
    """Run one case-detail change (it writes its own audit line) and go back to the case."""
    reference = request.match_info["reference"]
    form = {key: str(value) for key, value in (await request.post()).items()}
    try:
        await asyncio.to_thread(save, form)
    except CaseNotFound as error:
        raise web.HTTPNotFound(text=str(error)) from error
    except case_details.DetailError as error:
        redirect(f"{CONSOLE_PATH}/arenden/{reference}", f"Inget sparades: {error}")
    redirect(f"{CONSOLE_PATH}/arenden/{reference}", done)


def _form_date(form: dict[str, str], name: str) -> date:
    """A date from an <input type=date>; empty means today."""
    value = form.get(name, "").strip()
    if not value:
        return case_details.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise case_details.DetailError(f"Ogiltigt datum '{value}'; skriv ÅÅÅÅ-MM-DD.") from None


@login_required
async def save_procurement_opinion(request: web.Request, who: SignedIn) -> web.Response:
    engine, reference = request.app[ENGINE], request.match_info["reference"]
    return await _save_detail(
        request,
        lambda form: case_details.set_procurement_opinion(
            engine,
            reference,
            form.get("opinion", ""),
            form.get("given_by", ""),
            _form_date(form, "given_on"),
            who.caseworker.username,
        ),
        "Upphandlingsenhetens yttrande är sparat.",
    )


@login_required
async def save_concerned_bodies(request: web.Request, who: SignedIn) -> web.Response:
    engine, reference = request.app[ENGINE], request.match_info["reference"]
    return await _save_detail(
        request,
        lambda form: case_details.set_concerned_bodies(
            engine, reference, form.get("bodies", "").splitlines(), who.caseworker.username
        ),
        "Berörda nämnder och bolag är sparade.",
    )


@login_required
async def save_declaration_copy(request: web.Request, who: SignedIn) -> web.Response:
    engine, reference = request.app[ENGINE], request.match_info["reference"]
    return await _save_detail(
        request,
        lambda form: case_details.record_declaration_copy(
            engine, reference, _form_date(form, "received_on"), who.caseworker.username
        ),
        "Noterat: en undertecknad kopia av intyget har kommit in.",
    )
