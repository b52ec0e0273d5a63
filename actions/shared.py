"""What several action modules need: the one catch-all for blocking work, the checklist's
restart, the profile's facts for answers, and whether work is unfinished.

Action modules import helpers (this module, actions/conversation.py, actions/form_exit.py,
actions/handoff_data.py, actions/queue_access.py), never each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import checklist_answers
from bot.assessment import next_unanswered
from bot.intake.state import IntakeState
from bot.names import Response, Slot
from bot.profile import Profile, active_profile

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Failed:
    """What `in_thread` returns when the work failed; the error is in the log already."""


FAILED = Failed()


async def in_thread(work: Callable[[], T], failure: str) -> T | Failed:
    """Blocking work (the database) in a thread; any error becomes FAILED.

    The user must hear the truth and the operator gets the log: the error's type, with the detail
    only at debug level, because an error's message may hold what the user typed. `failure` names
    the work in the log ("Storing a callback request"); it never holds message text.
    """
    try:
        return await asyncio.to_thread(work)
    except Exception as error:  # every failure is told to the user
        logger.error("%s failed: %s", failure, type(error).__name__)
        logger.debug("%s: error detail", failure, exc_info=True)
        return FAILED


def intake_in_progress(tracker: Tracker) -> bool:
    state = IntakeState.from_slot(tracker.get_slot(Slot.INTAKE))
    return state is not None and not state.submitted


def checklist_unfinished(tracker: Tracker) -> bool:
    """Answers given, and a criterion still without one."""
    answers = checklist_answers(tracker)
    return bool(answers) and next_unanswered(active_profile().criteria, answers) is not None


def work_in_progress(tracker: Tracker) -> bool:
    """An unfinished checklist or intake that "fortsätt" would pick up again."""
    return intake_in_progress(tracker) or checklist_unfinished(tracker)


def start_or_resume_checklist(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """Resume an unfinished checklist where the user left it, otherwise start from question 1."""
    profile = active_profile()
    answers = checklist_answers(tracker)
    unfinished = next_unanswered(profile.criteria, answers)
    if answers and unfinished is not None:
        dispatcher.utter_message(response=Response.CHECKLIST_RESUME)
        return [SlotSet(Slot.CHECKLIST_CURRENT, unfinished.id)]
    dispatcher.utter_message(response=Response.CHECKLIST_INTRO, total=len(profile.criteria))
    return [
        SlotSet(Slot.CHECKLIST_ANSWERS, {}),
        SlotSet(Slot.CHECKLIST_CURRENT, profile.criteria[0].id),
        SlotSet(Slot.CHECKLIST_MISSES, 0),
    ]


def tell_next_steps(dispatcher: CollectingDispatcher, profile: Profile) -> None:
    """What happens next with an initiative: after a hopeful verdict and after sending it in."""
    dispatcher.utter_message(response=Response.VERDICT_NEXT_STEPS, next_steps=profile.next_steps)


def profile_facts(profile: Profile) -> dict[str, Any]:
    """Values the knowledge responses may refer to, e.g. {next_steps} or {documents}."""
    return {
        "next_steps": profile.next_steps,
        "documents": "\n".join(f"• {document.name}" for document in profile.documents),
        "declaration_summary": profile.value_declaration.summary,
        "declaration_text": profile.value_declaration.for_organisation("…"),
        "examples": profile.examples,
        "retention_days": profile.retention_days,
        "contact_email": profile.kommun.contact.email,
        "controller": profile.registration.controller,
        "dpo_email": profile.registration.data_protection_officer,
    }
