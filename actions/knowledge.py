"""Answers to questions about IOP: a short answer first, the deeper one on request.

The texts live in domain.yml; the kommun's own facts (process, documents, declaration, examples,
retention) come from the profile and are filled into those texts here.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import form_is_active, latest_intent
from actions.named import NamedAction
from actions.shared import profile_facts
from bot.names import Action as ActionName
from bot.names import Intent, Response, Slot
from bot.profile import active_profile


def _topic(tracker: Tracker) -> str | None:
    intent = latest_intent(tracker)
    return intent if intent in Intent.KNOWLEDGE else None


class ActionAnswerQuestion(NamedAction):
    """Short answer; outside the checklist, offer to go deeper or start the checklist."""

    action_name = ActionName.ANSWER_QUESTION

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        topic = _topic(tracker)
        if topic is None:
            dispatcher.utter_message(response=Response.ANYTHING_ELSE)
            return []
        dispatcher.utter_message(response=Response.answer(topic), **profile_facts(active_profile()))
        if not form_is_active(tracker):
            dispatcher.utter_message(response=Response.OFFER_MORE)
        return [SlotSet(Slot.FAQ_TOPIC, topic)]


class ActionAnswerMore(NamedAction):
    """The deeper answer to the last question, then an offer to test the idea."""

    action_name = ActionName.ANSWER_MORE

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        topic = tracker.get_slot(Slot.FAQ_TOPIC)
        if topic not in Intent.KNOWLEDGE:
            dispatcher.utter_message(response=Response.ANYTHING_ELSE)
            return []
        dispatcher.utter_message(response=Response.more(topic), **profile_facts(active_profile()))
        dispatcher.utter_message(response=Response.OFFER_CHECK)
        return []
