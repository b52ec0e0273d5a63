"""Getting the user to a person: on request, and when the bot keeps failing to understand."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import checklist_answers, consecutive_fallbacks
from bot.names import Action as ActionName
from bot.names import Response
from bot.profile import active_profile

FALLBACKS_BEFORE_OFFERING_HUMAN = 2


class ActionRequestHuman(Action):
    """Gives the caseworkers' contact details; a paused checklist keeps its answers."""

    def name(self) -> str:
        return ActionName.REQUEST_HUMAN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        contact = active_profile().kommun.contact
        dispatcher.utter_message(
            response=Response.HUMAN_CONTACT,
            unit=contact.unit,
            email=contact.email,
            phone=contact.phone,
            opening_hours=contact.opening_hours,
        )
        if checklist_answers(tracker):
            dispatcher.utter_message(response=Response.HUMAN_CONTACT_PAUSED)
        return []


class ActionFallback(Action):
    """Asks the user to rephrase; after repeated misses, offers a caseworker instead."""

    def name(self) -> str:
        return ActionName.FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if consecutive_fallbacks(tracker) >= FALLBACKS_BEFORE_OFFERING_HUMAN:
            dispatcher.utter_message(response=Response.DEFAULT_OFFER_HUMAN)
        else:
            dispatcher.utter_message(response=Response.DEFAULT)
        return []
