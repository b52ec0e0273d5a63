"""When the bot offers a person, where a request for one goes, and where the bot picks up again.

Decisions only, on plain values: the actions (actions/escalation.py, actions/handoff.py) read
the tracker and the database, ask these functions, and speak. So the rules can be tested without
Rasa, a database or the time of day the tests happen to run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from bot.intake_queue.handoffs import Kind
from bot.intake_queue.transcripts import is_external
from bot.profile import LiveChat

# After this many replies in a row that the bot cannot read (an answer in a form, or any message
# NLU does not understand) it offers a person instead of asking once more.
MISSES_BEFORE_OFFERING_HUMAN = 2


class Route(str, Enum):
    """What asking for a person leads to."""

    LIVE = "live"  # a live handoff exists now (or is to be opened); the bot pauses
    CALLBACK_OPEN = "callback_open"  # a callback request is already waiting
    CHAT_CLOSED = "chat_closed"  # outside the live chat's hours
    NOBODY_ONLINE = "nobody_online"  # within the hours, but no caseworker is online


def choose_route(
    live_chat: LiveChat,
    moment: datetime,
    caseworkers_online: bool,
    open_handoff: Kind | None,
) -> Route:
    """Where a request for a person goes.

    `live_chat`: the profile's chat hours; `moment`: now; `open_handoff`: the kind of the
    conversation's open handoff, if any. An open live handoff is kept (asking twice opens no
    second one); a waiting callback is not asked for again.
    """
    if open_handoff is Kind.CALLBACK:
        return Route.CALLBACK_OPEN
    if open_handoff is Kind.LIVE:
        return Route.LIVE
    if not live_chat.is_open(moment):
        return Route.CHAT_CLOSED
    if not caseworkers_online:
        return Route.NOBODY_ONLINE
    return Route.LIVE


class Resume(str, Enum):
    """Where the bot carries on when a live chat has ended."""

    NOT_A_HANDOFF = "not_a_handoff"  # the user typed it; nothing ended
    INTAKE = "intake"  # back to the unfinished intake (or the checklist first, if it changed)
    CHECKLIST = "checklist"  # the next unanswered question
    NOTHING = "nothing"  # nothing unfinished: ask what the user wants to do


def handoff_just_ended(events: Iterable[Mapping[str, Any]]) -> bool:
    """Did the gateway send handoff_ended (not NLU guessing it from something the user typed)?

    The gateway resumes the conversation and then triggers the intent, which Rasa marks as
    external in the event's metadata (a user can type "EXTERNAL: …" but cannot set that mark);
    either sign is enough: the mark on the latest user event, or a resume since the user's
    previous message.
    """
    newest_first = list(events)[::-1]
    latest_user = next((e for e in newest_first if e.get("event") == "user"), None)
    if latest_user is not None and is_external(dict(latest_user)):
        return True
    seen_latest_message = False
    for event in newest_first:
        kind = event.get("event")
        if kind == "user":
            if seen_latest_message:
                return False
            seen_latest_message = True
        elif kind == "resume":
            return True
    return False


def resume_point(just_ended: bool, intake_unfinished: bool, checklist_unfinished: bool) -> Resume:
    """The unfinished intake first, then the unfinished checklist, else nothing."""
    if not just_ended:
        return Resume.NOT_A_HANDOFF
    if intake_unfinished:
        return Resume.INTAKE
    if checklist_unfinished:
        return Resume.CHECKLIST
    return Resume.NOTHING
