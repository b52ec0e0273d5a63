"""Building rasa_sdk trackers the way the Rasa server sends them, and running an action on one,
for action tests."""

from __future__ import annotations

from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.names import Form, Intent, Slot
from devstack.paths import PROJECT_ROOT

# The bot's domain, read once for every action test.
DOMAIN: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def user_event(text: str, intent: str) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text},
    }


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "ja",
    intent: str = Intent.AFFIRM,
    in_checklist: bool = False,
    events: list[dict[str, Any]] | None = None,
    paused: bool = False,
) -> Tracker:
    latest = user_event(text, intent)
    return Tracker(
        sender_id="test-conversation",
        slots={Slot.CHECKLIST_MISSES: 0, **(slots or {})},
        latest_message=latest["parse_data"] | {"text": text},
        events=[*(events or []), latest],
        paused=paused,
        followup_action=None,
        active_loop={"name": Form.CHECKLIST} if in_checklist else {},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


def form_tracker(
    form: str,
    slot: str,
    text: str,
    intent: str,
    slots: dict[str, Any] | None = None,
    previous_text: str | None = None,
    confidence: float = 0.99,
) -> Tracker:
    """The tracker Rasa's FormAction sends its validation action after a user message: the
    form active, the requested slot set, and the slot filled from the text as the last event."""
    earlier = [user_event(previous_text, Intent.INFORM)] if previous_text is not None else []
    latest = user_event(text, intent)
    latest["parse_data"]["intent"]["confidence"] = confidence
    return Tracker(
        sender_id="form-conversation",
        slots={Slot.CHECKLIST_MISSES: 0, **(slots or {}), Slot.REQUESTED_SLOT: slot, slot: text},
        latest_message=latest["parse_data"] | {"text": text},
        events=[
            *earlier,
            {"event": "action", "name": "action_listen"},
            latest,
            {"event": "slot", "name": Slot.REQUESTED_SLOT, "value": slot},
            {"event": "action", "name": form},
            {"event": "slot", "name": slot, "value": text},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name=form,
    )


def events_named(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [event for event in events if event.get("event") == kind]


async def run(
    action: Any, tracker: Tracker, domain: dict[str, Any] | None = None
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    """Runs `action` as the action server would (with the bot's domain unless told otherwise)
    and returns what it said and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN if domain is None else domain)
    return dispatcher, events
