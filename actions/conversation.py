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


def previous_user_text(tracker: Tracker) -> str | None:
    """The user's message before the latest one, if any (to notice a message sent twice)."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if seen_latest:
            return event.get("text") or ""
        seen_latest = True
    return None
