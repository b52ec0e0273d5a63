"""The callback form and its submission, and the bot carrying on when a live chat ends.

action_request_human (actions/escalation.py) chooses the route; what goes with a handoff and the
handoff table are in actions/handoff_data.py, the decisions in bot/handoff_routing.py.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_intent
from actions.form_exit import Exits, ReadsWordsFirst, answer_common_question
from actions.handoff_data import (
    callback_complete,
    callback_contact,
    callback_slots_needed,
    snapshot,
    store_callback,
    utter_failed,
)
from actions.named import NamedAction
from actions.shared import (
    Failed,
    checklist_unfinished,
    in_thread,
    intake_in_progress,
    profile_facts,
    start_or_resume_checklist,
    work_in_progress,
)
from bot.form_input import Move
from bot.handoff_routing import Resume, handoff_just_ended, resume_point
from bot.intake.parsing import Reply, parse
from bot.intake.steps import Kind as StepKind
from bot.intake.steps import Section, Step
from bot.names import Action as ActionName
from bot.names import Form, Response, Slot
from bot.privacy import mask_personal_numbers
from bot.profile import active_profile
from bot.validators import InvalidValue

# The callback answers are read like the intake's contact answers (bot/intake/parsing.py).
NAME_STEP = Step("contact_name", Section.CONTACT, StepKind.TEXT)
EMAIL_STEP = Step("contact_email", Section.CONTACT, StepKind.EMAIL)
PHONE_STEP = Step("contact_phone", Section.CONTACT, StepKind.PHONE)
QUESTION_STEP = Step("callback_question", Section.CONTACT, StepKind.LONG_TEXT)


def parse_contact(text: str) -> str:
    """An e-mail address or a phone number (E.164); InvalidValue when it is neither."""
    step = EMAIL_STEP if "@" in text else PHONE_STEP
    return str(parse(step, Reply(text)))


def read_text(step: Step, slot_value: Any, tracker: Tracker) -> str:
    """A typed answer read as the intake reads it, personal numbers masked; InvalidValue else."""
    value = parse(step, Reply(str(slot_value or ""), latest_intent(tracker)))
    return mask_personal_numbers(str(value))


def why_not(slot: str, error: InvalidValue) -> str:
    """The response that says why a callback answer cannot be used."""
    if slot == Slot.CALLBACK_NAME:
        return Response.CALLBACK_INVALID_NAME
    if slot == Slot.CALLBACK_CONTACT:
        return Response.CALLBACK_INVALID_CONTACT
    if error.reason == "too_long":
        return Response.CALLBACK_INVALID_QUESTION_LONG
    return Response.CALLBACK_INVALID_QUESTION_SHORT


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

    action_name = ActionName.VALIDATE_CALLBACK

    def slots_needed(self, tracker: Tracker) -> list[str]:
        return callback_slots_needed(tracker)

    def check(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Each answer checked as typed; where it cannot be used, the reason is said and the
        slot left empty, so the form asks again."""
        try:
            if slot == Slot.CALLBACK_CONTACT:
                return {slot: parse_contact(str(value or ""))}
            step = NAME_STEP if slot == Slot.CALLBACK_NAME else QUESTION_STEP
            return {slot: read_text(step, value, tracker)}
        except InvalidValue as error:
            dispatcher.utter_message(response=why_not(slot, error))
            return {slot: None}


class ActionSubmitCallback(NamedAction):
    """Stores the callback request once and tells the user when to expect an answer."""

    action_name = ActionName.SUBMIT_CALLBACK

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        profile = active_profile()
        question = tracker.get_slot(Slot.CALLBACK_QUESTION)
        if not callback_complete(tracker) or not question:
            # Only reachable through a stray prediction; ask again rather than store half of it.
            return [FollowupAction(Form.CALLBACK)]
        snap, contact = snapshot(tracker), callback_contact(tracker)
        stored = await in_thread(
            lambda: store_callback(snap, contact, question), "Storing a callback request"
        )
        if isinstance(stored, Failed):
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


class ActionResumeAfterHandoff(NamedAction):
    """The caseworker handed back (or the user stopped waiting): carry on where the user was."""

    action_name = ActionName.RESUME_AFTER_HANDOFF

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        where = resume_point(
            just_ended=handoff_just_ended(tracker.events),
            intake_unfinished=intake_in_progress(tracker),
            checklist_unfinished=checklist_unfinished(tracker),
        )
        if where is Resume.NOT_A_HANDOFF:
            dispatcher.utter_message(response=Response.DEFAULT)
            return []
        dispatcher.utter_message(response=Response.HANDOFF_BOT_BACK)
        if where is Resume.INTAKE:
            # action_start_intake resumes the intake (or the checklist first, if it changed).
            return [FollowupAction(ActionName.START_INTAKE)]
        if where is Resume.CHECKLIST:
            return [*start_or_resume_checklist(dispatcher, tracker), FollowupAction(Form.CHECKLIST)]
        dispatcher.utter_message(response=Response.HANDOFF_WHAT_NEXT)
        return []
