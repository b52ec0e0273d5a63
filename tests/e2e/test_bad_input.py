"""Hostile and odd input over the real channel (widget socket → gateway → Rasa → actions):
every message gets a friendly Swedish answer, the socket stays open, the servers stay up, and a
submission is never stored twice."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
import requests

from bot.intake_queue.repository import IntakeQueue
from bot.profile import load_profile
from bot.web.session_keys import conversation_reference
from devstack.widget import receive_frame
from tests.e2e.site import Site

NASTY = [
    "",
    "   ",
    "x" * 10_000,
    "🙂🙂🙂 👍🏽 🇸🇪",
    "\x00\x01\x02 hej \x1b[31m röd \x7f",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "'; DROP TABLE iop_initiatives; --",
    "Robert'); DELETE FROM events; --",
    "مرحبا، أريد أن أعرف عن الشراكة",
    "Привет, что такое IOP?",
    "What is an IOP partnership?",
    "/restart",
    '/request_human{"x": 1}',
    '{"type": "message"}',
    "\u202eevil\u202c",
    "ä" * 2000,
]


async def exchange(url: str, frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A new conversation: send each frame and collect what comes back."""
    async with aiohttp.ClientSession() as session:
        return await exchange_in(session, url, None, frames)


def answers(received: list[dict[str, Any]]) -> list[str]:
    return [r["text"] for r in received if r["type"] in ("bot", "error")]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_every_odd_message_gets_a_friendly_answer(site: Site, text: str) -> None:
    if not text.strip():
        pytest.skip("covered below: empty messages are ignored, not answered")
    received = asyncio.run(exchange(site.url, [{"type": "message", "text": text}]))
    said = answers(received)
    assert said, f"no answer to {text[:40]!r}"
    assert all("Traceback" not in s and "Exception" not in s for s in said)
    assert requests.get(f"{site.url}/health", timeout=10).json()["rasa"] == "ok"


def test_empty_messages_and_garbage_frames_do_not_break_the_socket(site: Site) -> None:
    async def run() -> list[dict[str, Any]]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{site.url}/chat/ws") as ws,
        ):
            await ws.send_json({"type": "hello", "session": "../../etc/passwd"})
            hello = await ws.receive_json(timeout=30)
            assert hello["type"] == "session" and hello["id"] != "../../etc/passwd"
            await ws.send_str("not json at all")
            first = await ws.receive_json(timeout=30)
            await ws.send_json({"type": "message", "text": "   "})
            await ws.send_json({"type": "message", "text": 12345})
            await ws.send_json({"type": "nonsense"})
            second = await ws.receive_json(timeout=30)
            await ws.send_json({"type": "message", "text": "Vad är IOP?"})
            rest = []
            while not rest or rest[-1]["type"] != "typing" or rest[-1]["on"]:
                rest.append(await ws.receive_json(timeout=60))
            return [first, second, *rest]

    frames = asyncio.run(run())
    assert frames[0]["type"] == "error" and frames[1]["type"] == "error"
    assert any(f["type"] == "bot" and "IOP" in f["text"] for f in frames[2:])


def test_a_submission_clicked_many_times_is_stored_once(site: Site) -> None:
    """The same final 'ja' sent five times at once from two tabs: one record."""
    from devstack.widget import (
        CONTACT,
        DOCUMENT_REPLIES,
        INITIATIVE,
        ORGANISATION,
    )

    async def run() -> str:
        steps = [("Hej!", None), ("Jag vill testa om vår idé passar för IOP", None)]
        steps += [("Ja", "/affirm")] * len(load_profile("mora").criteria) + [("ja", None)]
        steps += [(r, None) for r in ORGANISATION + CONTACT + INITIATIVE + DOCUMENT_REPLIES]
        steps += [("Ja, det är jag", "/affirm"), ("Jag intygar", None), ("ja", None)]
        frames = [{"type": "message", "text": t, **({"payload": p} if p else {})} for t, p in steps]
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"{site.url}/chat/ws") as ws:
                await ws.send_json({"type": "hello", "session": None})
                conversation = (await ws.receive_json(timeout=30))["id"]
            await exchange_in(session, site.url, conversation, frames)
            tabs = [
                exchange_in(session, site.url, conversation, [{"type": "message", "text": "ja"}])
                for _ in range(5)
            ]
            await asyncio.gather(*tabs)
        return conversation

    conversation = conversation_reference(asyncio.run(run()))  # stored under the reference
    queue = IntakeQueue(site.engine)
    mine = [
        c for c in queue.list_cases() if queue.get(c.reference)["conversation_id"] == conversation
    ]
    assert len(mine) == 1


async def exchange_in(
    session: aiohttp.ClientSession,
    url: str,
    conversation: str | None,
    frames: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Send each frame in turn and wait until the bot has finished answering it (or an error, or
    nothing comes: an empty message is ignored). The socket must still be open at the end."""
    received: list[dict[str, Any]] = []
    async with session.ws_connect(f"{url}/chat/ws") as ws:
        await ws.send_json({"type": "hello", "session": conversation})
        received.append(await ws.receive_json(timeout=30))
        for frame in frames:
            await ws.send_json(frame)
            answered = False
            while True:
                try:
                    reply = await receive_frame(ws, 120)
                except asyncio.TimeoutError:
                    break
                received.append(reply)
                if reply["type"] == "error":
                    break
                if reply["type"] == "bot":
                    answered = True
                if reply["type"] == "typing" and not reply["on"] and answered:
                    break
        assert not ws.closed
    return received


def test_personal_numbers_are_masked_before_the_tracker_store(site: Site) -> None:
    """Masked in the stored conversation, also at the organisationsnummer question: the intake
    refuses a personnummer there (a sole trader is not an idéburen organisation), so it is never
    needed."""
    from sqlalchemy import text as sql

    criteria = len(load_profile("mora").criteria)
    frames = [
        {"type": "message", "text": "Hej! Mitt personnummer är 811228-9874"},
        {"type": "message", "text": "Jag vill testa om vår idé passar för IOP"},
        *[{"type": "message", "text": "Ja", "payload": "/affirm"}] * criteria,
        {"type": "message", "text": "ja"},
        {"type": "message", "text": "Föreningen Gemenskap i Mora"},
        {"type": "message", "text": "811228-9874"},  # a personnummer where the orgnr is asked
    ]
    received = asyncio.run(exchange(site.url, frames))
    conversation = conversation_reference(received[0]["id"])  # Rasa's sender id
    with site.engine.connect() as connection:
        rows = connection.execute(
            sql("SELECT data FROM events WHERE sender_id = :s"), {"s": conversation}
        ).all()
    said = [json.loads(row.data).get("text") for row in rows]
    assert "Hej! Mitt personnummer är ÅÅMMDD-XXXX" in said
    assert said.count("ÅÅMMDD-XXXX") == 1 and "811228-9874" not in said
    everything = " ".join(row.data for row in rows)
    assert "811228-9874" not in everything
