"""The gateway's calls to the Rasa server: the REST channel for user messages, the HTTP API
(loopback, token) for reading a conversation, pausing rules and a caseworker's messages.

Every failure becomes RasaUnavailable, so the gateway can tell the user plainly that nothing was
sent instead of leaving them waiting. Its text names the call and the status only: never the URL,
which holds the conversation reference and the API token, so neither reaches a log. A user message
waits at most RASA_SLOT_WAIT for one of Rasa's slots (RasaBusy), and every call at most
REQUEST_TIMEOUT for Rasa's answer (bot/web/limits.py).

Every call about a conversation carries its id in CONVERSATION_HEADER, so a load balancer in front
of several Rasa servers can keep a conversation on one of them (nginx: `hash
$http_x_iop_conversation consistent`) without reading the body. That is an optimisation only:
the tracker store and Redis lock store are shared, so any server can take any message.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.web.limits import RASA_SLOT_WAIT, REQUEST_TIMEOUT

__all__ = ["REQUEST_TIMEOUT", "RasaBusy", "RasaClient", "RasaUnavailable"]

CONVERSATION_HEADER = "X-Iop-Conversation"


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or answered with an error."""


class RasaBusy(RasaUnavailable):
    """The message waited RASA_SLOT_WAIT for a slot in Rasa and was not sent."""


class RasaClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        token: str | None,
        concurrent_messages: int = 0,
        slot_wait: float = RASA_SLOT_WAIT,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.token = token
        # asyncio.Semaphore wakes waiters in order: first come, first served.
        self._gate: asyncio.Semaphore | None = (
            asyncio.Semaphore(concurrent_messages) if concurrent_messages > 0 else None
        )
        self.slot_wait = slot_wait

    def gate_state(self) -> str:
        """How many more user messages Rasa may take now, and how many wait: for diagnostics."""
        return repr(self._gate) if self._gate is not None else "no limit"

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        """One of Rasa's slots, waited for at most `slot_wait` seconds."""
        if self._gate is None:
            yield
            return
        try:
            # On a timeout wait_for has given the slot up; when it returns, the slot is ours.
            await asyncio.wait_for(self._gate.acquire(), self.slot_wait)
        except asyncio.TimeoutError:
            raise RasaBusy("No slot in Rasa in time; the message was not sent") from None
        try:
            yield
        finally:
            self._gate.release()

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """One user message over the REST channel; the bot's replies (none while paused)."""
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        async with self._slot():
            return await self._call("POST", "/webhooks/rest/webhook", sender, json=body, api=False)

    async def tracker(self, sender: str, events: str = "ALL") -> dict[str, Any]:
        """The conversation's state; `events`: ALL, or AFTER_RESTART when the newest will do."""
        return await self._call(
            "GET",
            f"/conversations/{quote(sender, safe='')}/tracker",
            sender,
            params={"include_events": events},
        )

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        await self._call(
            "POST",
            f"/conversations/{quote(sender, safe='')}/tracker/events",
            sender,
            json=events,
            params={"include_events": "NONE"},
        )

    async def trigger_intent(self, sender: str, intent: str) -> list[dict[str, Any]]:
        """Run an intent as if the user had sent it; the bot's replies."""
        result = await self._call(
            "POST",
            f"/conversations/{quote(sender, safe='')}/trigger_intent",
            sender,
            json={"name": intent},
            params={"include_events": "NONE"},
        )
        return list(result.get("messages") or [])

    async def say_as_caseworker(self, sender: str, text: str, name: str, username: str) -> None:
        """A caseworker's message goes into the conversation's own history, marked as theirs."""
        await self.append_events(
            sender,
            [
                {
                    "event": "bot",
                    "text": text,
                    "timestamp": time.time(),
                    "metadata": {"caseworker": name, "username": username},
                }
            ],
        )

    async def resume(self, sender: str) -> None:
        await self.append_events(sender, [{"event": "resume", "timestamp": time.time()}])

    async def healthy(self) -> bool:
        try:
            async with self.session.get(f"{self.base_url}/", timeout=REQUEST_TIMEOUT) as response:
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def _call(
        self,
        method: str,
        path: str,
        conversation: str,
        json: Any = None,
        params: dict[str, str] | None = None,
        api: bool = True,
    ) -> Any:
        what = f"{method} {path.rsplit('/', 1)[-1]}"  # e.g. "GET tracker": no id, no token
        query = dict(params or {})
        if api and self.token:
            query["token"] = self.token
        try:
            async with self.session.request(
                method,
                f"{self.base_url}{path}",
                json=json,
                params=query,
                headers={CONVERSATION_HEADER: conversation},
                timeout=REQUEST_TIMEOUT,
            ) as response:
                if response.status >= 400:
                    raise RasaUnavailable(f"Rasa answered {response.status} to {what}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            # `from None`: the client error's own text and traceback carry the URL.
            kind = "no answer in time" if isinstance(error, asyncio.TimeoutError) else "no answer"
            raise RasaUnavailable(f"Rasa gave {kind} to {what} ({type(error).__name__})") from None
