"""Handing the conversation to a person, and taking it back.

action_request_human (actions/escalation.py) chooses: a live chat when the chat is open and a
caseworker is online, otherwise a callback request. This module holds what both need – the
conversation so far and what the bot has collected, so nobody has to ask again – plus the callback
form, its submission, and the bot carrying on where the user was when a live chat ends.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.engine import Engine

from actions.checklist import intake_in_progress, start_or_resume_checklist
from actions.conversation import checklist_answers, latest_intent, serialise_answers
from actions.form_exit import Exits, ReadsWordsFirst, answer_common_question
from actions.knowledge import profile_facts
from actions.queue_access import intake_queue
from bot.assessment import next_unanswered
from bot.form_input import Move
from bot.intake.parsing import Reply, parse
from bot.intake.state import IntakeState
from bot.intake.steps import Kind as StepKind
from bot.intake.steps import Section, Step
from bot.intake_queue.console_sessions import caseworkers_available
from bot.intake_queue.handoffs import Handoffs, Kind
from bot.intake_queue.transcripts import from_events, is_external
from bot.names import Action as ActionName
from bot.names import Form, Response, Slot
from bot.privacy import mask_personal_numbers
from bot.profile import Profile, active_profile
from bot.validators import InvalidValue

logger = logging.getLogger(__name__)

# The callback answers are read like the intake's contact answers (bot/intake/parsing.py).
NAME_STEP = Step("contact_name", Section.CONTACT, StepKind.TEXT)
EMAIL_STEP = Step("contact_email", Section.CONTACT, StepKind.EMAIL)
PHONE_STEP = Step("contact_phone", Section.CONTACT, StepKind.PHONE)
QUESTION_STEP = Step("callback_question", Section.CONTACT, StepKind.LONG_TEXT)


class Route(str, Enum):
    """What asking for a person leads to."""

    LIVE = "live"  # a live handoff exists now; the bot pauses
    CALLBACK_OPEN = "callback_open"  # a callback request is already waiting
    CHAT_CLOSED = "chat_closed"  # outside the live chat's hours
    NOBODY_ONLINE = "nobody_online"  # within the hours, but no caseworker is online


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


def work_in_progress(tracker: Tracker) -> bool:
    """An unfinished checklist or intake that "fortsätt" would pick up again."""
    if intake_in_progress(tracker):
        return True
    answers = checklist_answers(tracker)
    return bool(answers) and next_unanswered(active_profile().criteria, answers) is not None


def _engine() -> Engine:
    return intake_queue().engine


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def choose_route(profile: Profile, snap: Snapshot) -> Route:
    """Blocking (database): run it in a thread. A live handoff is created here when possible."""
    now = now_utc()
    engine = _engine()
    handoffs = Handoffs(engine)
    existing = handoffs.open_for(snap.conversation_id)
    if existing is not None and existing.kind is Kind.CALLBACK:
        return Route.CALLBACK_OPEN
    if existing is None:
        if not profile.live_chat.is_open(now):
            return Route.CHAT_CLOSED
        if not caseworkers_available(engine):
            return Route.NOBODY_ONLINE
    # A new live handoff, or the open one again (Handoffs.request returns it).
    handoffs.request(
        conversation_id=snap.conversation_id,
        kind=Kind.LIVE,
        transcript=snap.transcript,
        collected=snap.collected,
    )
    return Route.LIVE


# --- The callback form ---------------------------------------------------------------------------


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


def parse_contact(text: str) -> str:
    """An e-mail address or a phone number (E.164); InvalidValue when it is neither."""
    step = EMAIL_STEP if "@" in text else PHONE_STEP
    return str(parse(step, Reply(text)))


class ValidateCallbackForm(ReadsWordsFirst):
    """Name, how to reach the user and their question, one at a time; each checked as typed."""

    exits = Exits(
        paused=Response.CALLBACK_CANCELLED,
        goodbye=Response.CALLBACK_CANCELLED,
        hands_over=False,
        checks_once=False,
    )

    def answer_digression(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, move: Move
    ) -> bool:
        """At "your question" a question is the answer; elsewhere it is answered, then re-asked."""
        if slot == Slot.CALLBACK_QUESTION and move is not Move.EXPLAIN:
            return False
        if move is Move.EXPLAIN or not answer_common_question(
            dispatcher, tracker, profile_facts(active_profile())
        ):
            dispatcher.utter_message(response=Response.CALLBACK_WHY)
        return True

    def name(self) -> str:
        return ActionName.VALIDATE_CALLBACK

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return callback_slots_needed(tracker)

    def validate_callback_name(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        try:
            name = parse(NAME_STEP, Reply(str(slot_value or ""), latest_intent(tracker)))
        except InvalidValue:
            dispatcher.utter_message(response=Response.CALLBACK_INVALID_NAME)
            return {Slot.CALLBACK_NAME: None}
        return {Slot.CALLBACK_NAME: mask_personal_numbers(str(name))}

    def validate_callback_contact(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        try:
            return {Slot.CALLBACK_CONTACT: parse_contact(str(slot_value or ""))}
        except InvalidValue:
            dispatcher.utter_message(response=Response.CALLBACK_INVALID_CONTACT)
            return {Slot.CALLBACK_CONTACT: None}

    def validate_callback_question(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        try:
            question = parse(QUESTION_STEP, Reply(str(slot_value or ""), latest_intent(tracker)))
        except InvalidValue as error:
            response = (
                Response.CALLBACK_INVALID_QUESTION_LONG
                if error.reason == "too_long"
                else Response.CALLBACK_INVALID_QUESTION_SHORT
            )
            dispatcher.utter_message(response=response)
            return {Slot.CALLBACK_QUESTION: None}
        return {Slot.CALLBACK_QUESTION: mask_personal_numbers(str(question))}


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


class ActionSubmitCallback(Action):
    """Stores the callback request once and tells the user when to expect an answer."""

    def name(self) -> str:
        return ActionName.SUBMIT_CALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        profile = active_profile()
        question = tracker.get_slot(Slot.CALLBACK_QUESTION)
        if not callback_complete(tracker) or not question:
            # Only reachable through a stray prediction; ask again rather than store half of it.
            return [FollowupAction(Form.CALLBACK)]
        snap = snapshot(tracker)
        contact = callback_contact(tracker)

        def store() -> None:
            Handoffs(_engine()).request(
                conversation_id=snap.conversation_id,
                kind=Kind.CALLBACK,
                transcript=snap.transcript,
                collected=snap.collected,
                contact=contact,
                question=question,
            )

        try:
            await asyncio.to_thread(store)
        except Exception as error:  # the user must hear the truth; the operator gets the log
            logger.error("Storing a callback request failed: %s", type(error).__name__)
            logger.debug("Callback error detail", exc_info=True)
            utter_failed(dispatcher, profile)
            return []  # the answers stay, so asking again sends them without retyping
        dispatcher.utter_message(
            response=Response.CALLBACK_SENT,
            callback_promise=profile.callback_promise,
            opening_hours=profile.kommun.contact.opening_hours,
        )
        if work_in_progress(tracker):
            dispatcher.utter_message(response=Response.HUMAN_CONTACT_PAUSED)
        # Name and contact stay for a later request; a new question is asked for then.
        return [SlotSet(Slot.CALLBACK_QUESTION, None)]


# --- Back to the bot -----------------------------------------------------------------------------


def handoff_just_ended(tracker: Tracker) -> bool:
    """Did the gateway send handoff_ended (not NLU guessing it from something the user typed)?

    The gateway resumes the conversation and then triggers the intent, which Rasa marks as
    external in the event's metadata (a user can type "EXTERNAL: …" but cannot set that mark);
    either sign is enough.
    """
    latest_user = next((e for e in reversed(tracker.events) if e.get("event") == "user"), None)
    if latest_user is not None and is_external(latest_user):
        return True
    seen_latest_message = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_latest_message:
                return False
            seen_latest_message = True
        elif kind == "resume":
            return True
    return False


class ActionResumeAfterHandoff(Action):
    """The caseworker handed back (or the user stopped waiting): carry on where the user was."""

    def name(self) -> str:
        return ActionName.RESUME_AFTER_HANDOFF

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not handoff_just_ended(tracker):
            dispatcher.utter_message(response=Response.DEFAULT)
            return []
        dispatcher.utter_message(response=Response.HANDOFF_BOT_BACK)
        if intake_in_progress(tracker):
            # action_start_intake resumes the intake (or the checklist first, if it changed).
            return [FollowupAction(ActionName.START_INTAKE)]
        answers = checklist_answers(tracker)
        if answers and next_unanswered(active_profile().criteria, answers) is not None:
            return [*start_or_resume_checklist(dispatcher, tracker), FollowupAction(Form.CHECKLIST)]
        dispatcher.utter_message(response=Response.HANDOFF_WHAT_NEXT)
        return []
