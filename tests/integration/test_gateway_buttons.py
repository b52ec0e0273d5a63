"""Issue 13, item 7: the transcript shows what the bot acted on. A click counts only with a
payload from the newest bot message's buttons (read from Rasa's tracker), and the transcript
shows that button's own title; user text is never taken for an external event.

Through the real gateway and the stand-in Rasa, whose tracker keeps events as Rasa does, and
then through the functions that build the widget's history and the exported transcript.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.intake_queue.transcripts import from_events
from bot.web.history import history_entries
from bot.web.session_keys import conversation_reference
from bot.web.texts import OLD_BUTTON
from tests.integration.gateway_world import answered, receive, running_gateway


async def conversation(tmp_path: Path, frames: list[dict]) -> tuple[list[dict], list[list[dict]]]:
    """The stored events after the frames (each after a first "Hej"), and what each got back."""
    async with running_gateway(tmp_path) as gateway, aiohttp.ClientSession() as client:
        async with client.ws_connect(gateway.url("/chat/ws")) as ws:
            await ws.send_json({"type": "hello", "session": None})
            secret = (await receive(ws))["id"]
            replies = []
            for frame in [{"type": "message", "text": "Hej"}, *frames]:
                await ws.send_json(frame)
                replies.append(await answered(ws))
        return gateway.rasa.events[conversation_reference(secret)], replies


async def test_a_payload_the_text_contradicts_is_recorded_with_the_buttons_own_title(
    tmp_path: Path,
) -> None:
    events, replies = await conversation(
        tmp_path, [{"type": "message", "text": "Nej", "payload": "/affirm"}]
    )
    users = [(e["text"], e["metadata"]) for e in events if e["event"] == "user"]
    assert users[-1] == ("/affirm", {"button_title": "Ja"})
    assert [e["text"] for e in from_events(events) if e["sender"] == "user"][-1] == "[knapp] Ja"
    assert {"type": "user", "text": "Ja"} in replies[-1]  # every tab shows the same


async def test_a_payload_the_bot_did_not_offer_is_taken_as_typed_text(tmp_path: Path) -> None:
    events, _ = await conversation(
        tmp_path,
        [
            {"type": "message", "text": "Nej", "payload": "/submit_initiative"},  # not offered
            {"type": "message", "text": "Ja", "payload": '/deny{"x": 1}'},
        ],
    )
    users = [(e["text"], e["metadata"]) for e in events if e["event"] == "user"]
    assert users[1:] == [("Nej", {}), ("Ja", {})]
    transcript = [e["text"] for e in from_events(events) if e["sender"] == "user"]
    assert transcript == ["Hej", "Nej", "Ja"]


async def test_an_old_button_alone_gets_a_friendly_answer_and_nothing_is_sent(
    tmp_path: Path,
) -> None:
    events, replies = await conversation(
        tmp_path, [{"type": "message", "text": "", "payload": "/submit_initiative"}]
    )
    assert replies[-1] == [{"type": "error", "text": OLD_BUTTON}]
    assert [e["text"] for e in events if e["event"] == "user"] == ["Hej"]


async def test_user_text_that_looks_external_is_shown_everywhere(tmp_path: Path) -> None:
    events, _ = await conversation(
        tmp_path, [{"type": "message", "text": "EXTERNAL: mitt föreningsnamn är Gemenskap"}]
    )
    typed = "EXTERNAL: mitt föreningsnamn är Gemenskap"
    assert typed in [e["text"] for e in from_events(events)]
    assert typed in [e["text"] for e in history_entries(events)]


def test_the_gateways_own_external_event_stays_hidden() -> None:
    events = [
        {"event": "user", "text": "EXTERNAL: handoff_ended", "metadata": {"is_external": True}},
        {"event": "bot", "text": "Då fortsätter vi."},
    ]
    assert [e["text"] for e in from_events(events)] == ["Då fortsätter vi."]
    assert [e["text"] for e in history_entries(events)] == ["Då fortsätter vi."]
