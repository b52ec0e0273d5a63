"""A case's page: the record, its details and e-mail, and the buttons to take it and move it on."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from bot.export.labels import format_time, status_label
from bot.export.view import build_view
from bot.intake_queue import case_details, outbox, use_cases
from bot.intake_queue.cases import Claim
from bot.intake_queue.repository import CaseNotFound, CaseTaken
from bot.intake_queue.statuses import Status, TransitionError, allowed_next
from bot.web.app_keys import ENGINE, QUEUE
from bot.web.console.auth import CONSOLE_PATH, SignedIn, login_required
from bot.web.console.pages.common import error_page, page, redirect
from bot.web.texts import (
    CASE_IS_YOURS,
    MAIL_PURPOSES,
    NO_SUCH_STATUS,
    mail_failed,
    mail_sent,
    mail_waiting,
    new_status,
    status_not_changed,
)


@dataclass(frozen=True)
class MailRow:
    to: str
    what: str
    state: str


def _mail_row(message: outbox.OutboxMessage) -> MailRow:
    """One e-mail of the case as the caseworker needs it: to whom, and did it go."""
    if message.status is outbox.MailStatus.SENT:
        state = mail_sent(format_time(message.sent_at))
    elif message.status is outbox.MailStatus.FAILED:
        state = mail_failed(message.last_error)
    else:
        state = mail_waiting(message.attempts, message.last_error)
    return MailRow(message.recipient, MAIL_PURPOSES.get(message.purpose, message.purpose), state)


@login_required
async def case_page(request: web.Request, who: SignedIn) -> web.Response:
    try:
        reference = request.match_info["reference"]
        record = await asyncio.to_thread(request.app[QUEUE].get, reference)
    except CaseNotFound as error:
        return error_page(request, who, 404, str(error))
    current = Status(record["status"])
    details = await asyncio.to_thread(case_details.get_details, request.app[ENGINE], reference)
    mail = await asyncio.to_thread(outbox.for_case, request.app[ENGINE], record["reference"])
    return page(
        request,
        who,
        "case.html.j2",
        record["reference"],
        view=build_view(record),
        assigned_to=record.get("assigned_to"),
        can_claim=record.get("assigned_to") != who.caseworker.username,
        next_statuses=[(s.value, s.label) for s in allowed_next(current)],
        details=details,
        today=case_details.today().isoformat(),
        mail=[_mail_row(m) for m in mail],
    )


@login_required
async def claim_case(request: web.Request, who: SignedIn) -> web.Response:
    reference = request.match_info["reference"]
    form = await request.post()
    take_over = form.get("take_over") == "1"
    try:  # the claim and its audit line are one transaction
        claim = Claim(reference, who.caseworker.username, take_over=take_over)
        await asyncio.to_thread(use_cases.claim_case, request.app[ENGINE], claim)
    except CaseNotFound as error:
        return error_page(request, who, 404, str(error))
    except CaseTaken as error:
        redirect(f"{CONSOLE_PATH}/arenden/{reference}", str(error))
    redirect(f"{CONSOLE_PATH}/arenden/{reference}", CASE_IS_YOURS)


@login_required
async def change_status(request: web.Request, who: SignedIn) -> web.Response:
    reference = request.match_info["reference"]
    form = await request.post()
    note = str(form.get("note", "")).strip() or None
    try:
        new = Status(str(form.get("status", "")))
    except ValueError:  # not one of the form's choices: say so, not Python's words
        redirect(f"{CONSOLE_PATH}/arenden/{reference}", NO_SUCH_STATUS)
    try:  # the change and its audit line are one transaction
        await asyncio.to_thread(
            use_cases.change_status,
            request.app[ENGINE],
            reference,
            new,
            who.caseworker.username,
            note,
        )
    except CaseNotFound as error:
        return error_page(request, who, 404, str(error))
    except (ValueError, TransitionError) as error:
        redirect(f"{CONSOLE_PATH}/arenden/{reference}", status_not_changed(error))
    redirect(f"{CONSOLE_PATH}/arenden/{reference}", new_status(status_label(new.value)))
