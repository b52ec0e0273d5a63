"""A handoff's page and its buttons: take over, hand back to the bot, close."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from bot.export.labels import format_time
from bot.export.view import Utterance, utterance
from bot.intake_queue.handoffs import Handoff, HandoffStatus
from bot.intake_queue.repository import CaseNotFound
from bot.intake_queue.transcripts import from_events
from bot.profile import active_profile
from bot.web.app_keys import CONVERSATIONS, HANDOFFS
from bot.web.console.auth import CONSOLE_PATH, SignedIn, login_required
from bot.web.console.collected import collected_sections
from bot.web.console.pages.common import caseworker, error_page, page, redirect
from bot.web.conversation import HandoffConflict
from bot.web.rasa_client import RasaUnavailable
from bot.web.texts import (
    HANDED_BACK,
    HANDOFF_CLOSED,
    HANDOFF_KIND_LABELS,
    HANDOFF_STATUS_LABELS,
    TAKEN_OVER,
    handoff_title,
)


@dataclass(frozen=True)
class HandoffRow:
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    created: str
    claimed_by: str | None
    question: str | None
    contact_text: str
    conversation_id: str
    url: str


def handoff_row(handoff: Handoff) -> HandoffRow:
    """A handoff as the queue and its own page show it."""
    contact = handoff.contact or {}
    parts = [str(contact[k]) for k in ("name", "email", "phone") if contact.get(k)]
    return HandoffRow(
        id=handoff.id,
        kind=handoff.kind.value,
        kind_label=HANDOFF_KIND_LABELS[handoff.kind.value],
        status=handoff.status.value,
        status_label=HANDOFF_STATUS_LABELS[handoff.status.value],
        created=format_time(handoff.created_at),
        claimed_by=handoff.claimed_by,
        question=handoff.question,
        contact_text=", ".join(parts),
        conversation_id=handoff.conversation_id,
        url=f"{CONSOLE_PATH}/overlamningar/{handoff.id}",
    )


async def _live_transcript(request: web.Request, handoff: Handoff) -> list[Utterance]:
    """The whole conversation as it stands now; the copy taken at the handoff if Rasa is away."""
    entries = handoff.transcript
    try:
        tracker = await request.app[CONVERSATIONS].rasa.tracker(handoff.conversation_id)
        entries = from_events(tracker.get("events") or []) or entries
    except RasaUnavailable:
        pass
    return [utterance(e) for e in entries]


@login_required
async def handoff_page(request: web.Request, who: SignedIn) -> web.Response:
    try:
        handoff = await asyncio.to_thread(
            request.app[HANDOFFS].get, int(request.match_info["handoff_id"])
        )
    except CaseNotFound as error:
        return error_page(request, who, 404, str(error))
    is_open = handoff.status is not HandoffStatus.CLOSED
    mine = handoff.claimed_by == who.caseworker.username
    return page(
        request,
        who,
        "handoff.html.j2",
        handoff_title(handoff.id),
        handoff=handoff_row(handoff),
        collected=collected_sections(handoff.collected, active_profile()),
        transcript=await _live_transcript(request, handoff),
        can_claim=is_open and not handoff.claimed_by,
        can_chat=handoff.is_live and handoff.status is HandoffStatus.ACTIVE and mine,
        can_close=is_open and (mine or not handoff.claimed_by),
        is_live=handoff.is_live,
    )


async def _handoff_action(request: web.Request, who: SignedIn, action: str) -> web.Response:
    handoff_id = int(request.match_info["handoff_id"])
    conversations = request.app[CONVERSATIONS]
    by = caseworker(who)
    target = f"{CONSOLE_PATH}/overlamningar/{handoff_id}"
    try:
        if action == "claim":
            await conversations.claim(handoff_id, by)
            message = TAKEN_OVER
        elif action == "hand_back":
            await conversations.hand_back(handoff_id, by)
            message = HANDED_BACK
        else:
            await conversations.close(handoff_id, by)
            message = HANDOFF_CLOSED
    except CaseNotFound as error:
        return error_page(request, who, 404, str(error))
    except HandoffConflict as error:
        redirect(target, str(error))
    # Claim, hand-back and close write their audit line with the change (Handoffs).
    redirect(target, message)


@login_required
async def claim_handoff(request: web.Request, who: SignedIn) -> web.Response:
    return await _handoff_action(request, who, "claim")


@login_required
async def hand_back(request: web.Request, who: SignedIn) -> web.Response:
    return await _handoff_action(request, who, "hand_back")


@login_required
async def close_handoff(request: web.Request, who: SignedIn) -> web.Response:
    return await _handoff_action(request, who, "close")
