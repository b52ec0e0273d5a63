"""Reading plain values out of a Rasa tracker (the only place that knows its shape)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.assessment import Answer, parse_answers
from bot.names import Intent, Slot


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def checklist_answers(tracker: Tracker) -> dict[str, Answer]:
    return parse_answers(tracker.get_slot(Slot.CHECKLIST_ANSWERS))


def serialise_answers(answers: dict[str, Answer]) -> dict[str, str]:
    return {criterion_id: answer.value for criterion_id, answer in answers.items()}


def form_is_active(tracker: Tracker) -> bool:
    return bool((tracker.active_loop or {}).get("name"))


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many user messages in a row, ending with the latest, the bot did not understand."""
    count = 0
    user_events: list[dict[str, Any]] = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(user_events):
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != Intent.NLU_FALLBACK:
            break
        count += 1
    return count


def events_this_turn(tracker: Tracker) -> list[dict[str, Any]]:
    """The events after the latest user message."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return events[index + 1 :]
    return events


def loop_closed_this_turn(tracker: Tracker) -> str | None:
    """The form a rule closed in reaction to the latest message (e.g. to hand over), if any."""
    closed = any(
        event.get("event") == "action" and event.get("name") == "action_deactivate_loop"
        for event in events_this_turn(tracker)
    )
    if not closed:
        return None
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "active_loop":
            return event.get("name")
    return None
