"""Getting the user to a person: on request, and when the bot keeps failing to understand."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ConversationPaused,
    EventType,
    FollowupAction,
    UserUtteranceReverted,
)
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import consecutive_fallbacks
from actions.handoff_data import callback_complete, request_person, snapshot, utter_failed
from actions.named import NamedAction
from actions.shared import Failed, in_thread, work_in_progress
from bot.clock import now_utc
from bot.handoff_routing import MISSES_BEFORE_OFFERING_HUMAN, Route
from bot.names import Action as ActionName
from bot.names import Form, Intent, Response
from bot.profile import active_profile


class ActionRequestHuman(NamedAction):
    """A live chat with a caseworker when one is there, otherwise a callback request.

    Live: the handoff is stored with the conversation and the answers so far, and the bot pauses
    until the web gateway resumes it. Otherwise the user hears that nobody can answer right now
    and callback_form asks for what the caseworker needs. Paused checklist and intake answers
    are kept either way.

    Inside a form this runs only when the words asked for a person (actions/form_exit.py), so
    NLU's reading of an answer never gets here. It may run as a follow-up to any intent, so the
    turns that end here end with an explicit listen rather than a policy's guess.
    """

    action_name = ActionName.REQUEST_HUMAN

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        profile = active_profile()
        snap = snapshot(tracker)
        moment = now_utc()
        route = await in_thread(
            lambda: request_person(profile, snap, moment), "Handing over to a caseworker"
        )
        if isinstance(route, Failed):
            utter_failed(dispatcher, profile)
            return [FollowupAction(ActionName.LISTEN)]
        if route is Route.LIVE:
            dispatcher.utter_message(response=Response.HANDOFF_LIVE_WAITING)
            # End the turn as Rasa would (action_listen) before pausing: otherwise the turn ends on
            # this action, and when the gateway resumes and triggers handoff_ended no rule
            # matches and the fallback repeats until Rasa's circuit breaker trips.
            return [ActionExecuted(ActionName.LISTEN), ConversationPaused()]
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


class ActionFallback(NamedAction):
    """Asks the user to rephrase; after repeated misses, offers a caseworker instead."""

    action_name = ActionName.FALLBACK

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if consecutive_fallbacks(tracker) >= MISSES_BEFORE_OFFERING_HUMAN:
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
