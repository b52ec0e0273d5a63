"""What the widget shows after a reload, rebuilt from the conversation's events in Rasa.

Pure functions over event dicts, so the rules (hide the gateway's internal messages, show a button
press by its title, keep only the newest question's buttons) are tested without a server.
"""

from __future__ import annotations

from typing import Any

from bot.intake_queue.transcripts import BUTTON_TITLE, CASEWORKER, is_external
from bot.privacy import mask_personal_numbers


def history_entries(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """User, bot and caseworker messages in order; buttons only on a final bot message."""
    entries: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        metadata = event.get("metadata") or {}
        text = event.get("text") or ""
        if kind == "user" and text and not is_external(event):
            shown = metadata.get(BUTTON_TITLE) or text
            if shown.startswith("/"):
                continue  # an internal payload with no title: nothing the user typed
            entries.append({"from": "user", "text": mask_personal_numbers(shown), "buttons": []})
        elif kind == "bot" and text:
            if metadata.get(CASEWORKER):
                entries.append(
                    {"from": "agent", "text": text, "name": metadata[CASEWORKER], "buttons": []}
                )
            else:
                buttons = (event.get("data") or {}).get("buttons") or []
                entries.append({"from": "bot", "text": text, "buttons": buttons})
    for entry in entries[:-1]:
        entry["buttons"] = []
    return entries


def offered_button(events: list[dict[str, Any]], payload: str) -> dict[str, str] | None:
    """The button of the newest bot message whose payload this is, or None.

    A click counts only as one of the buttons the bot offers now: the newest bot message with
    text (a caseworker's message offers none). The widget sends what it was given, so an exact
    match; anything else was typed, or is from an older question, or was made up.
    """
    for event in reversed(events):
        if event.get("event") != "bot" or not event.get("text"):
            continue
        for button in (event.get("data") or {}).get("buttons") or []:
            if isinstance(button, dict) and button.get("payload") == payload:
                return {"title": str(button.get("title") or ""), "payload": payload}
        return None
    return None


def latest_progress(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The checklist progress the bot last announced, or None when it is done or never began."""
    for event in reversed(events):
        if event.get("event") != "bot":
            continue
        custom = (event.get("data") or {}).get("custom") or {}
        progress = custom.get("progress")
        if progress:
            return None if progress.get("done") else progress
    return None


def frames_from_rasa(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rasa REST replies → widget frames (text with buttons, or progress)."""
    frames: list[dict[str, Any]] = []
    for message in messages:
        if message.get("text"):
            frames.append(
                {
                    "type": "bot",
                    "text": message["text"],
                    "buttons": [
                        {"title": b.get("title", ""), "payload": b.get("payload", "")}
                        for b in message.get("buttons") or []
                    ],
                }
            )
        progress = (message.get("custom") or {}).get("progress")
        if progress:
            frames.append({"type": "progress", **progress})
    return frames
