"""Getting the user to a person: on request, and when the bot keeps failing to understand."""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ConversationPaused,
    EventType,
    FollowupAction,
    UserUtteranceReverted,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import consecutive_fallbacks
from actions.handoff import (
    Route,
    callback_complete,
    choose_route,
    snapshot,
    utter_failed,
    work_in_progress,
)
from bot.names import Action as ActionName
from bot.names import Form, Intent, Response
from bot.profile import active_profile

logger = logging.getLogger(__name__)

FALLBACKS_BEFORE_OFFERING_HUMAN = 2


class ActionRequestHuman(Action):
    """A live chat with a caseworker when one is there, otherwise a callback request.

    Live: the handoff is stored with the conversation and the answers so far, and the bot pauses
    until the web gateway resumes it. Otherwise the user hears that nobody can answer right now
    and callback_form asks for what the caseworker needs. Paused checklist and intake answers
    are kept either way.

    Inside a form this runs only when the words asked for a person (actions/form_exit.py), so
    NLU's reading of an answer never gets here. It may run as a follow-up to any intent, so the
    turns that end here end with an explicit listen rather than a policy's guess.
    """

    def name(self) -> str:
        return ActionName.REQUEST_HUMAN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        profile = active_profile()
        snap = snapshot(tracker)
        try:
            route = await asyncio.to_thread(choose_route, profile, snap)
        except Exception as error:  # the user must hear the truth; the operator gets the log
            logger.error("Handing over to a caseworker failed: %s", type(error).__name__)
            logger.debug("Handoff error detail", exc_info=True)
            utter_failed(dispatcher, profile)
            return [FollowupAction(ActionName.LISTEN)]
        if route is Route.LIVE:
            dispatcher.utter_message(response=Response.HANDOFF_LIVE_WAITING)
            # End the turn as Rasa would (action_listen) before pausing: otherwise the turn ends on
            # this action, and when the gateway resumes and triggers handoff_ended no rule
            # matches and the fallback repeats until Rasa's circuit breaker trips.
            return [ActionExecuted("action_listen"), ConversationPaused()]
        if route is Route.CALLBACK_OPEN:
            dispatcher.utter_message(
                response=Response.CALLBACK_ALREADY_SENT, callback_promise=profile.callback_promise
            )
            if work_in_progress(tracker):
                dispatcher.utter_message(response=Response.HUMAN_CONTACT_PAUSED)
            return [FollowupAction(ActionName.LISTEN)]
        if callback_complete(tracker):
            # A request that could not be stored a moment ago: send it now, without retyping.
            return [FollowupAction(ActionName.SUBMIT_CALLBACK)]
        contact = profile.kommun.contact
        dispatcher.utter_message(
            response=(
                Response.HANDOFF_CHAT_CLOSED
                if route is Route.CHAT_CLOSED
                else Response.HANDOFF_NOBODY_ONLINE
            ),
            live_chat_hours=profile.live_chat.hours_said,
            callback_promise=profile.callback_promise,
            email=contact.email,
            phone=contact.phone,
            opening_hours=contact.opening_hours,
        )
        return [FollowupAction(Form.CALLBACK)]


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
        if tracker.latest_message.get("intent", {}).get("name") != Intent.NLU_FALLBACK:
            # Rasa's core fallback: the message was understood but no policy knew what comes next
            # (e.g. "ja" as the very first message). Without this the policies would pick this
            # action again and again until Rasa's circuit breaker stops, and the user's next
            # message gets no answer. As Rasa's own default fallback does, the message is set
            # aside for the dialogue (it stays in the stored conversation) and the bot listens.
            return [UserUtteranceReverted()]
        return []
