"""One organisation's whole conversation over the web gateway's widget socket, as a person
sends it: greeting, the checklist and the intake to a submitted initiative (about 45 messages).

The load test (scripts/load_test.py) runs many at once; the end-to-end tests run single ones.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import aiohttp
from sqlalchemy import text

from bot.intake_queue.database import make_engine
from bot.profile import load_profile
from bot.web.session_keys import conversation_reference

ANSWER_TIMEOUT = 120  # seconds for the bot's answer to one message

# Replies in the order the bot asks; two documents exist or come later, the rest are missing.
# The one source of these replies: the e2e and unit tests import them from here.
ORGANISATION = [
    "Föreningen Gemenskap i Mora",
    "802424-4413",
    "ideell förening",
    "ungefär 340",
    "hoppa över",
    "bara vi",  # no partner organisations
]
CONTACT = ["Anna Berg", "ordförande", "anna.berg@gemenskapmora.se", "070-123 45 67"]
INITIATIVE = [
    "Många äldre i Östnor är ensamma och träffar ingen på veckorna.",
    "Att äldre får sällskap varje vecka, något som hemtjänsten inte hinner med.",
    "Äldre över 75 som bor ensamma",
    "Femtio äldre träffar någon varje vecka efter ett år",
    "Ideell tid, ungefär 20 timmar i veckan, och våra egna lokaler",
    "En samordnare på halvtid",
    "augusti 2027",
    "tre år",
    "socialförvaltningen",
]
DOCUMENT_REPLIES = ["1", "2"]  # the first document exists, the second comes later


def script() -> list[tuple[str, str | None]]:
    """(text, payload) in the order the bot asks, as a user of the widget would send them."""
    criteria = len(load_profile("mora").criteria)
    steps: list[tuple[str, str | None]] = [
        ("Hej!", None),
        ("Jag vill testa om vår idé passar för IOP", None),
    ]
    steps += [("Ja", "/affirm")] * criteria
    steps += [("ja", None)]  # hand in the initiative
    steps += [(reply, None) for reply in ORGANISATION + CONTACT + INITIATIVE + DOCUMENT_REPLIES]
    steps += [("Ja, det är jag", "/affirm"), ("Jag intygar", None), ("ja", None)]
    return steps


@dataclass
class Outcome:
    conversation: str = ""  # the conversation's reference (never the widget's secret)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reference: str | None = None


@dataclass
class Pacing:
    """How a simulated person paces their messages, and what the run counts as it goes."""

    think: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    sent: int = 0
    on_message: list = field(default_factory=list)  # callbacks(sent) after each answer

    def pause(self) -> float:
        return self.rng.uniform(0.5 * self.think, 1.5 * self.think) if self.think else 0.0

    def answered(self) -> None:
        self.sent += 1
        for callback in self.on_message:
            callback(self.sent)


async def receive_frame(socket: aiohttp.ClientWebSocketResponse, timeout: float) -> dict:
    """The next JSON frame within `timeout` seconds. Not receive_json(timeout=…): aiohttp restarts
    that timeout at every ping, and the gateway pings more often than a slow answer may take, so a
    lost answer would be waited for forever."""
    return await asyncio.wait_for(socket.receive_json(), timeout)


async def one_conversation(
    url: str, steps: list[tuple[str, str | None]], pacing: Pacing | None = None
) -> Outcome:
    pacing = pacing or Pacing()
    outcome = Outcome()
    ws_url = url.replace("http", "ws", 1) + "/chat/ws"
    await asyncio.sleep(pacing.rng.uniform(0, pacing.think))
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as socket:
        await socket.send_json({"type": "hello", "session": None})
        hello = await socket.receive_json(timeout=30)
        outcome.conversation = conversation_reference(hello["id"])
        for number, (text_, payload) in enumerate(steps):
            if number:
                await asyncio.sleep(pacing.pause())
            frame = {"type": "message", "text": text_}
            if payload:
                frame["payload"] = payload
            started = time.perf_counter()
            await socket.send_json(frame)
            answered = False
            while True:
                reply = await receive_frame(socket, ANSWER_TIMEOUT)
                if reply["type"] == "bot":
                    answered = True
                    if "referensnummer är " in reply["text"]:
                        outcome.reference = reply["text"].split("referensnummer är ")[1].split()[0]
                elif reply["type"] == "error":
                    outcome.errors.append(reply["text"][:60])
                    break
                elif reply["type"] == "typing" and not reply["on"] and answered:
                    break
            outcome.latencies.append(time.perf_counter() - started)
            pacing.answered()
    return outcome


def records_by_session(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT conversation_id, COUNT(*) AS n FROM iop_initiatives "
                "GROUP BY conversation_id"
            )
        ).all()
    engine.dispose()
    return {r.conversation_id: r.n for r in rows}
