"""1 000 generated conversations with personal identity numbers, over the real widget channel:
afterwards no such number is in the tracker store, the servers' logs or any export.

Numbers are generated valid (Luhn), as personnummer and samordningsnummer, with and without
century, with '-', '+', a space or nothing between the parts, at the start, middle or end of a
message. Most conversations are two free-text messages; some go the whole way to a submitted
initiative with a number in every descriptive answer, so the record and its exports are swept too.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import aiohttp
import pytest
from sqlalchemy import text as sql

from bot.export.html_export import render_html
from bot.export.json_export import export_json
from bot.export.pdf_export import render_pdf
from bot.intake_queue.console_sessions import caseworkers_available
from bot.intake_queue.repository import IntakeQueue
from bot.privacy import MASK
from bot.web.session_keys import conversation_reference
from devstack.widget import INITIATIVE, receive_frame, script
from tests.e2e.site import Site
from tests.pdf_text import pdf_text

CONVERSATIONS = int(os.environ.get("IOP_SWEEP_CONVERSATIONS", "1000"))  # fewer: a quick local try
FULL_CONVERSATIONS = 8  # of the 1 000: to a submitted record, numbers in every free-text answer
AT_ONCE = 12
MARKER = "Sjöjungfruvalsen"  # a word only these messages contain: message text must not be logged
DESCRIPTIVE = {0, 1, 3, 4, 5}  # INITIATIVE answers that are free descriptions

rng = random.Random(20261130)


def luhn_digit(nine: str) -> str:
    total = 0
    for index, digit in enumerate(int(d) for d in nine):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return str((10 - total % 10) % 10)


def identity_number() -> tuple[str, str]:
    """(as written, the ten digits) for a random valid personnummer or samordningsnummer."""
    born = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 365 * 90))
    day = born.day + (60 if rng.random() < 0.2 else 0)  # samordningsnummer: day + 60
    head = f"{born:%y%m}{day:02d}"
    serial = f"{rng.randrange(0, 1000):03d}"
    ten = head + serial + luhn_digit(head + serial)
    century = str(born.year)[:2] if rng.random() < 0.5 else ""
    separator = rng.choice(["-", "-", "+", " ", ""])
    return f"{century}{ten[:6]}{separator}{ten[6:]}", ten


SENTENCES = [
    "Hej! Mitt personnummer är {n}, kan ni kolla om vi kan få IOP?",
    "{n} heter jag i era register, vad är IOP?",
    "Jag ringde förut och gav {n} men fick inget svar",
    "Vår kassör har personnummer {n}. Vad behöver ni mer?",
    "pnr {n}",
    "{n}",
    "Kan jag få hjälp? ({n}) {marker}",
]


def sentence() -> tuple[str, str]:
    written, ten = identity_number()
    text = rng.choice(SENTENCES).format(n=written, marker=MARKER)
    return (text if MARKER in text else f"{text} {MARKER}"), ten


@dataclass
class Sweep:
    numbers: set[str] = field(default_factory=set)  # the ten digits of every number sent
    sessions: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # error frames: what was sent, and why


async def converse(url: str, messages: list[tuple[str, str | None]], sweep: Sweep) -> None:
    ws_url = url.replace("http", "ws", 1) + "/chat/ws"
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as socket:
        await socket.send_json({"type": "hello", "session": None})
        sweep.sessions.append((await socket.receive_json(timeout=30))["id"])
        for text_, payload in messages:
            frame = {"type": "message", "text": text_} | ({"payload": payload} if payload else {})
            await socket.send_json(frame)
            answered = False
            while True:
                reply = await receive_frame(socket, 120)
                if reply["type"] == "bot":
                    answered = True
                    if "referensnummer är " in reply["text"]:
                        reference = reply["text"].split("referensnummer är ")[1].split()[0]
                        sweep.references.append(reference.rstrip("."))
                if reply["type"] == "error":
                    sweep.errors.append(f"{text_[:40]!r}: {reply['text']}")
                    break
                if reply["type"] == "typing" and not reply["on"] and answered:
                    break


def short_conversation(sweep: Sweep) -> list[tuple[str, str | None]]:
    messages = []
    for _ in range(2):
        text_, ten = sentence()
        sweep.numbers.add(ten)
        messages.append((text_, None))
    return messages


def full_conversation(sweep: Sweep) -> list[tuple[str, str | None]]:
    """The load test's whole conversation, with a number added to every descriptive answer."""
    descriptive = {INITIATIVE[i] for i in DESCRIPTIVE}
    messages = []
    for text_, payload in script():
        if text_ in descriptive or text_ == "Hej!":
            written, ten = identity_number()
            sweep.numbers.add(ten)
            text_ = f"{text_} Kassörens personnummer: {written}."
        messages.append((text_, payload))
    return messages


async def run_sweep(url: str) -> Sweep:
    sweep = Sweep()
    plans = [full_conversation(sweep) for _ in range(FULL_CONVERSATIONS)]
    plans += [short_conversation(sweep) for _ in range(CONVERSATIONS - FULL_CONVERSATIONS)]
    gate = asyncio.Semaphore(AT_ONCE)

    async def gated(messages: list[tuple[str, str | None]]) -> None:
        async with gate:
            await converse(url, messages, sweep)

    await asyncio.gather(*(gated(plan) for plan in plans))
    return sweep


NUMBER_LIKE = re.compile(r"(?<!\d)(?:\d{2})?(\d{6})[-+ ]?(\d{4})(?!\d)")


def leaked(text_: str, numbers: set[str]) -> list[str]:
    """Every generated number found in the text, however it is written."""
    return [m.group(0) for m in NUMBER_LIKE.finditer(text_) if m.group(1) + m.group(2) in numbers]


@pytest.fixture(scope="module")
def sweep(site: Site) -> Sweep:
    # With a caseworker online, a message read as "request_human" opens a live chat and the bot
    # goes quiet, as it should: the sweep needs the bot to answer every message.
    assert not caseworkers_available(site.engine), "a test left a caseworker online on the site"
    return asyncio.run(run_sweep(site.url))


def test_every_conversation_was_held(sweep: Sweep) -> None:
    assert len(sweep.sessions) == CONVERSATIONS
    assert len(set(sweep.sessions)) == CONVERSATIONS
    assert sweep.errors == []
    assert len(sweep.references) == FULL_CONVERSATIONS
    assert len(sweep.numbers) > 1.9 * CONVERSATIONS  # the numbers really were different


def test_no_identity_number_in_the_tracker_store(site: Site, sweep: Sweep) -> None:
    with site.engine.connect() as connection:
        rows = connection.execute(sql("SELECT sender_id, data FROM events")).all()
    references = {conversation_reference(secret) for secret in sweep.sessions}
    ours = [row.data for row in rows if row.sender_id in references]
    assert len(ours) > 10 * CONVERSATIONS
    said = [json.loads(data).get("text") or "" for data in ours]
    assert sum(MASK in text_ for text_ in said) >= 2 * CONVERSATIONS  # they arrived, masked
    assert [hit for data in ours for hit in leaked(data, sweep.numbers)] == []


def test_no_identity_number_nor_message_text_in_the_logs(site: Site, sweep: Sweep) -> None:
    logs = sorted(site.stack.rasa.workdir.glob("*.log"))
    assert {log.name.split("-")[0] for log in logs} >= {"rasa", "actions", "web"}
    for log in logs:
        content = log.read_text(errors="replace")
        assert leaked(content, sweep.numbers) == [], log.name
        assert MARKER not in content, f"message text in {log.name}"


def test_no_identity_number_in_the_records_or_their_exports(site: Site, sweep: Sweep) -> None:
    queue = IntakeQueue(site.engine)
    for reference in sweep.references:
        record = queue.get(reference)
        exports = {
            "record": json.dumps(record, ensure_ascii=False, default=str),
            "json": export_json(record),
            "html": render_html(record),
            "pdf": "\n".join(pdf_text(render_pdf(record))),
        }
        assert MASK in exports["json"]  # the descriptive answers are there, masked
        for kind, content in exports.items():
            assert leaked(content, sweep.numbers) == [], f"{reference} {kind}"
