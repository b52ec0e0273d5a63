"""The console's start page: the handoffs and the queue of cases, and "I take chats" on or off."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from bot.export.labels import format_time
from bot.intake_queue.audit import AuditLine
from bot.intake_queue.statuses import Status
from bot.web.app_keys import CONSOLE_SESSIONS, HANDOFFS, QUEUE
from bot.web.console.auth import CONSOLE_PATH, SignedIn, login_required
from bot.web.console.pages.common import page, redirect
from bot.web.console.pages.handoffs import handoff_row
from bot.web.texts import NOT_TAKING_CHATS, QUEUE_TITLE, TAKING_CHATS


@dataclass(frozen=True)
class CaseRow:
    reference: str
    organisation_name: str
    status_label: str
    assigned_to: str | None
    submitted: str
    url: str


async def to_queue(request: web.Request) -> web.Response:
    redirect(f"{CONSOLE_PATH}/")


@login_required
async def queue_page(request: web.Request, who: SignedIn) -> web.Response:
    wanted = request.query.get("status", "")
    try:
        status = Status(wanted) if wanted else None
    except ValueError:
        status = None
    handoffs = await asyncio.to_thread(request.app[HANDOFFS].recent, 20)
    cases = await asyncio.to_thread(request.app[QUEUE].list_cases, status)
    return page(
        request,
        who,
        "queue.html.j2",
        QUEUE_TITLE,
        available=who.session.available,
        handoffs=[handoff_row(h) for h in handoffs],
        cases=[
            CaseRow(
                reference=c.reference,
                organisation_name=c.organisation,
                status_label=c.status.label,
                assigned_to=c.assigned_to,
                submitted=format_time(c.submitted_at),
                url=f"{CONSOLE_PATH}/arenden/{c.reference}",
            )
            for c in cases
        ],
        statuses=[(s.value, s.label) for s in Status],
        status_filter=status.value if status else "",
    )


@login_required
async def set_availability(request: web.Request, who: SignedIn) -> web.Response:
    form = await request.post()
    available = form.get("available") == "ja"
    action = "tar_emot_chattar" if available else "tar_inte_emot"
    line = AuditLine(who.caseworker.username, action, "konsolen")
    await asyncio.to_thread(request.app[CONSOLE_SESSIONS].set_available, who.token, available, line)
    redirect(f"{CONSOLE_PATH}/", TAKING_CHATS if available else NOT_TAKING_CHATS)
