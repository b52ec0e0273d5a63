"""What a caseworker gets when the user asks for a person, and the handoff table behind it.

The conversation so far and what the bot has collected go with every handoff, so nobody has to
ask again. Which route a request takes is decided in bot/handoff_routing.py; this helper only
reads its inputs from the database and stores the outcome. Used by actions/escalation.py
(asking for a person) and actions/handoff.py (the callback form, taking over again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import checklist_answers, serialise_answers
from actions.queue_access import intake_queue
from bot.handoff_routing import Route, choose_route
from bot.intake.state import IntakeState
from bot.intake_queue.console_sessions import caseworkers_available
from bot.intake_queue.handoffs import HandoffRequest, Handoffs, Kind
from bot.intake_queue.transcripts import from_events
from bot.names import Response, Slot
from bot.privacy import mask_personal_numbers
from bot.profile import Profile


@dataclass(frozen=True)
class Snapshot:
    """The conversation as the caseworker will get it: plain data, taken from the tracker."""

    conversation_id: str
    transcript: list[dict[str, str]]
    collected: dict[str, Any]


def snapshot(tracker: Tracker) -> Snapshot:
    return Snapshot(tracker.sender_id, from_events(list(tracker.events)), collected(tracker))


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_numbers(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def collected(tracker: Tracker) -> dict[str, Any]:
    """Checklist answers (criterion id → ja / nej / vet_inte) and the intake so far, if any."""
    result: dict[str, Any] = {}
    answers = serialise_answers(checklist_answers(tracker))
    if answers:
        result["checklist"] = answers
    state = IntakeState.from_slot(tracker.get_slot(Slot.INTAKE))
    if state is not None:
        result["intake"] = _masked(
            {
                "values": state.values,
                "documents": state.documents,
                "reference": state.reference,
            }
        )
    return result


# --- The database -------------------------------------------------------------------------------


def request_person(profile: Profile, snap: Snapshot, moment: datetime) -> Route:
    """Blocking (database): run it in a thread. Opens the live handoff when that is the route."""
    engine = intake_queue().engine
    handoffs = Handoffs(engine)
    existing = handoffs.open_for(snap.conversation_id)
    route = choose_route(
        profile.live_chat,
        moment,
        caseworkers_online=existing is None and caseworkers_available(engine),
        open_handoff=existing.kind if existing is not None else None,
    )
    if route is Route.LIVE:
        # A new live handoff, or the open one again (Handoffs.request returns it).
        handoffs.request(
            HandoffRequest(snap.conversation_id, Kind.LIVE, snap.transcript, snap.collected)
        )
    return route


def store_callback(snap: Snapshot, contact: dict[str, str | None], question: str) -> None:
    """Blocking (database): the callback request, stored once per conversation."""
    Handoffs(intake_queue().engine).request(
        HandoffRequest(
            snap.conversation_id, Kind.CALLBACK, snap.transcript, snap.collected, contact, question
        )
    )


# --- The callback request's contact details ------------------------------------------------------


def intake_contact(tracker: Tracker) -> dict[str, str | None]:
    """The contact person's name, e-mail and phone, when the intake already has them."""
    state = IntakeState.from_slot(tracker.get_slot(Slot.INTAKE))
    values = state.values if state else {}
    return {
        "name": values.get("contact_name") or None,
        "email": values.get("contact_email") or None,
        "phone": values.get("contact_phone") or None,
    }


def callback_slots_needed(tracker: Tracker) -> list[str]:
    """The callback form asks only what the intake has not already collected."""
    known = intake_contact(tracker)
    needed = []
    if not known["name"]:
        needed.append(Slot.CALLBACK_NAME)
    if not (known["email"] or known["phone"]):
        needed.append(Slot.CALLBACK_CONTACT)
    needed.append(Slot.CALLBACK_QUESTION)
    return needed


def callback_complete(tracker: Tracker) -> bool:
    return all(tracker.get_slot(slot) for slot in callback_slots_needed(tracker))


def callback_contact(tracker: Tracker) -> dict[str, str | None]:
    """Name, e-mail and phone for the caseworker: what the user gave here, else the intake's."""
    contact = intake_contact(tracker)
    name = tracker.get_slot(Slot.CALLBACK_NAME)
    reach = tracker.get_slot(Slot.CALLBACK_CONTACT)
    if name:
        contact["name"] = name
    if reach:
        contact["email" if "@" in reach else "phone"] = reach
    return contact


def utter_failed(dispatcher: CollectingDispatcher, profile: Profile) -> None:
    """Nothing reached a caseworker: say so, and how to reach the kommun directly."""
    contact = profile.kommun.contact
    dispatcher.utter_message(response=Response.HANDOFF_FAILED)
    dispatcher.utter_message(
        response=Response.HUMAN_CONTACT,
        unit=contact.unit,
        email=contact.email,
        phone=contact.phone,
        opening_hours=contact.opening_hours,
    )
