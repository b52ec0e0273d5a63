"""The conversation behind an initiative, as the caseworker reads it: who said what, and when.

Rasa's SQLTrackerStore keeps every event in the same database (table `events`), so the export
shows the whole conversation, including what was said after submitting. When the events are not
there (another tracker store, or removed after the retention period) the copy taken at submission
is used. Personal identity numbers are masked either way.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.privacy import mask_personal_numbers

RASA_EVENTS_TABLE = "events"


# Rasa's text for an intent triggered from outside (the gateway resuming the bot after a handoff).
EXTERNAL_PREFIX = "EXTERNAL: "
# ...and the metadata Rasa itself puts on that event (rasa.shared.core.constants.IS_EXTERNAL).
# Only this mark makes an event external: a user can type "EXTERNAL: …", and what a user typed is
# always shown. The gateway builds the metadata of user messages itself, so nobody can set it.
IS_EXTERNAL = "is_external"
# Metadata keys the web gateway puts on events: a button's visible title, a caseworker's name.
BUTTON_TITLE = "button_title"
CASEWORKER = "caseworker"


def is_external(event: dict[str, Any]) -> bool:
    """An intent the gateway triggered (not something the user typed)?"""
    metadata = event.get("metadata") or {}
    return metadata.get(IS_EXTERNAL) is True and str(event.get("text") or "").startswith(
        EXTERNAL_PREFIX
    )


def transcript_entry(
    sender: str, message: str, timestamp: float | None, name: str | None = None
) -> dict[str, str]:
    moment = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc)
    entry = {
        "at": moment.isoformat(timespec="seconds"),
        "sender": sender,
        "text": mask_personal_numbers(message),
    }
    if name:
        entry["name"] = name
    return entry


def from_events(events: list[dict[str, Any]]) -> list[dict[str, str]]:
    """User, bot and caseworker messages out of Rasa events (dicts as the tracker store saves them).

    A caseworker's messages are bot events that the gateway marked with the caseworker's name.
    """
    entries = []
    for event in events:
        kind = event.get("event")
        message = event.get("text")
        metadata = event.get("metadata") or {}
        if kind not in ("user", "bot") or not message:
            continue
        if kind == "user":
            if is_external(event):
                continue
            if metadata.get(BUTTON_TITLE):
                message = f"[knapp] {metadata[BUTTON_TITLE]}"
            elif message.startswith("/"):
                # A button press: show the button's intent rather than the payload syntax.
                message = f"[knapp] {message.lstrip('/').split('{')[0]}"
            entries.append(transcript_entry("user", message, event.get("timestamp")))
        elif metadata.get(CASEWORKER):
            entries.append(
                transcript_entry(
                    "caseworker", message, event.get("timestamp"), str(metadata[CASEWORKER])
                )
            )
        else:
            entries.append(transcript_entry("bot", message, event.get("timestamp")))
    return entries


def stored_events_transcript(connection: Connection, conversation_id: str) -> list[dict] | None:
    """The full transcript from Rasa's events table, or None when that table is not here."""
    if RASA_EVENTS_TABLE not in inspect(connection).get_table_names():
        return None
    rows = connection.execute(
        text(
            "SELECT data FROM events WHERE sender_id = :sender "
            "AND type_name IN ('user', 'bot') ORDER BY id"
        ),
        {"sender": conversation_id},
    )
    events = [json.loads(row.data) for row in rows]
    return from_events(events) if events else None
