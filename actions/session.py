"""Session start: put the kommun's name in a slot so every response can address it."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher

from actions.named import NamedAction
from bot.names import Action as ActionName
from bot.names import Form, Slot
from bot.profile import active_profile

# Per-turn state that must not leak into a new session.
_NOT_CARRIED_OVER = {Slot.KOMMUN_NAME, Slot.REQUESTED_SLOT, Slot.CHECKLIST_ANSWER}


class ActionSessionStart(NamedAction):
    action_name = ActionName.SESSION_START

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        carried_over = [
            SlotSet(key, value)
            for key, value in tracker.current_slot_values().items()
            if value is not None and key not in _NOT_CARRIED_OVER
        ]
        return [
            SessionStarted(),
            *carried_over,
            SlotSet(Slot.KOMMUN_NAME, active_profile().kommun.name),
            *_resume_form(tracker),
            ActionExecuted("action_listen"),
            # A new session must not end a live handoff: a caseworker may still be on the way.
            *([ConversationPaused()] if tracker.is_paused() else []),
        ]


def _resume_form(tracker: Tracker) -> list[EventType]:
    """Someone back after an hour answers the question they were asked, so keep it open."""
    name = (tracker.active_loop or {}).get("name")
    requested = tracker.get_slot(Slot.REQUESTED_SLOT)
    if name in (Form.CHECKLIST, Form.INTAKE) and requested:
        return [ActiveLoop(name), SlotSet(Slot.REQUESTED_SLOT, requested)]
    return []
