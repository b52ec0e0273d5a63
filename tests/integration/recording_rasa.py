"""A recording stand-in for the gateway's Rasa client (no HTTP) and a fake socket, for the
routing tests that drive bot/web/conversation.py directly (fixtures in conftest.py)."""

from __future__ import annotations

from typing import Any

from bot.intake_queue.handoffs import HandoffRequest, Handoffs, Kind
from bot.intake_queue.repository import IntakeQueue
from bot.web.conversation import Caseworker
from bot.web.rasa_client import RasaUnavailable

CONVERSATION = "s" + "c" * 32  # a conversation reference (bot/web/session_keys.py)
ANNA = Caseworker("anna", "Anna Berg")
BO = Caseworker("bo", "Bo Ek")


class RecordingRasa:
    """Answers like Rasa's REST channel and records every call the gateway makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.replies: list[dict[str, Any]] = [{"text": "Svar från boten", "buttons": []}]
        self.events: list[dict[str, Any]] = []  # what the tracker holds
        self.down = False
        self.resume_failures = 0  # how many resumes fail before one works
        self.tracker_reads = 0

    async def send(self, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        self._check()
        self.calls.append(("send", (text, metadata)))
        return list(self.replies)

    async def tracker(self, sender: str, events: str = "ALL") -> dict:
        self._check()
        self.tracker_reads += 1
        return {"events": list(self.events)}

    async def say_as_caseworker(self, sender: str, text: str, name: str, username: str) -> None:
        self._check()
        self.calls.append(("caseworker", (text, name)))

    async def resume(self, sender: str) -> None:
        self._check()
        self.calls.append(("resume", sender))
        if self.resume_failures > 0:
            self.resume_failures -= 1
            raise RasaUnavailable("Rasa answered 503 to POST events")

    async def trigger_intent(self, sender: str, intent: str) -> list[dict]:
        self._check()
        self.calls.append(("trigger", intent))
        return [{"text": "Nu är jag tillbaka. Fråga 3 av 8", "buttons": []}]

    def _check(self) -> None:
        if self.down:
            raise RasaUnavailable("down")

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.calls]


class FakeSocket:
    closed = False

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    async def send_json(self, frame: dict[str, Any]) -> None:
        self.frames.append(frame)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == kind]


def open_live(queue: IntakeQueue) -> int:
    """Opens the first live handoff for CONVERSATION, as the handoff action does."""
    handoff = Handoffs(queue.engine).request(HandoffRequest(CONVERSATION, Kind.LIVE, transcript=[]))
    assert handoff.id == 1
    return handoff.id
