"""A case's detail forms: the procurement unit's opinion, the bodies concerned, the signed copy.

Each change is made and audited by bot/intake_queue/case_details.py; these handlers read the
form and go back to the case with a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.intake_queue import case_details
from bot.intake_queue.repository import CaseNotFound
from bot.web.app_keys import ENGINE
from bot.web.console.auth import CONSOLE_PATH, SignedIn, login_required
from bot.web.console.pages.common import redirect
from bot.web.texts import (
    BODIES_SAVED,
    DECLARATION_COPY_NOTED,
    OPINION_SAVED,
    invalid_date,
    nothing_saved,
)

# One detail change: (engine, reference, the form, the caseworker's username).
Change = Callable[[Engine, str, dict[str, str], str], object]


def _detail_form(change: Change, done: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The handler of one detail form: every form is read, saved and answered the same way."""

    @login_required
    async def save(request: web.Request, who: SignedIn) -> web.Response:
        """Run the change (it writes its own audit line) and go back to the case."""
        engine, reference = request.app[ENGINE], request.match_info["reference"]
        form = {key: str(value) for key, value in (await request.post()).items()}
        try:
            await asyncio.to_thread(change, engine, reference, form, who.caseworker.username)
        except CaseNotFound as error:
            raise web.HTTPNotFound(text=str(error)) from error
        except case_details.DetailError as error:
            redirect(f"{CONSOLE_PATH}/arenden/{reference}", nothing_saved(error))
        redirect(f"{CONSOLE_PATH}/arenden/{reference}", done)

    return save


def _form_date(form: dict[str, str], name: str) -> date:
    """A date from an <input type=date>; empty means today."""
    value = form.get(name, "").strip()
    if not value:
        return case_details.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise case_details.DetailError(invalid_date(value)) from None


def _procurement_opinion(engine: Engine, reference: str, form: dict[str, str], by: str) -> None:
    opinion, given_by = form.get("opinion", ""), form.get("given_by", "")
    given_on = _form_date(form, "given_on")
    case_details.set_procurement_opinion(engine, reference, opinion, given_by, given_on, by)


def _concerned_bodies(engine: Engine, reference: str, form: dict[str, str], by: str) -> None:
    bodies = form.get("bodies", "").splitlines()
    case_details.set_concerned_bodies(engine, reference, bodies, by)


def _declaration_copy(engine: Engine, reference: str, form: dict[str, str], by: str) -> None:
    received_on = _form_date(form, "received_on")
    case_details.record_declaration_copy(engine, reference, received_on, by)


save_procurement_opinion = _detail_form(_procurement_opinion, OPINION_SAVED)
save_concerned_bodies = _detail_form(_concerned_bodies, BODIES_SAVED)
save_declaration_copy = _detail_form(_declaration_copy, DECLARATION_COPY_NOTED)
