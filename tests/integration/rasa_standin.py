"""A stand-in for Rasa's REST channel and HTTP API, as the gateway uses them, over real HTTP.

It keeps each conversation's events in memory the way Rasa's tracker store does (a bot reply's
buttons under `data.buttons`, an intent triggered from outside as "EXTERNAL: …" with
`is_external` metadata), records every request it gets, serves like Rasa (at most `concurrency`
requests at once, each taking `delay` seconds) and can be told to fail.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.intake_queue.handoffs import HandoffRequest, Handoffs, Kind
from bot.intake_queue.transcripts import EXTERNAL_PREFIX, IS_EXTERNAL

QUESTION = "Passar er idé för IOP?"
BUTTONS = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str


@dataclass
class StandInRasa:
    delay: float = 0.0
    concurrency: int = 0  # 0: no limit
    handoffs: Handoffs | None = None  # `/request_human` opens a live handoff, as the action does
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    failing: dict[str, int] = field(default_factory=dict)  # call → how many more times to fail
    _gate: asyncio.Semaphore | None = None

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._serve], client_max_size=1024 * 1024)
        app.add_routes(
            [
                web.get("/", self.root),
                web.post("/webhooks/rest/webhook", self.webhook),
                web.get("/conversations/{sender}/tracker", self.tracker),
                web.post("/conversations/{sender}/tracker/events", self.append),
                web.post("/conversations/{sender}/trigger_intent", self.trigger),
            ]
        )
        return app

    def senders(self) -> set[str]:
        return {r.headers.get("X-Iop-Conversation", "") for r in self.requests}

    def user_texts(self, sender: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (e["text"], e.get("metadata") or {})
            for e in self.events.get(sender, [])
            if e["event"] == "user"
        ]

    @web.middleware
    async def _serve(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append(
            Request(
                request.method,
                request.path,
                request.query_string,
                dict(request.headers),
                await request.text(),
            )
        )
        if self._gate is None and self.concurrency:
            self._gate = asyncio.Semaphore(self.concurrency)
        if self._gate is None:
            return await self._answer(request, handler)
        async with self._gate:
            return await self._answer(request, handler)

    async def _answer(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if self.delay:
            await asyncio.sleep(self.delay)
        call = request.path.rsplit("/", 1)[-1]
        if self.failing.get(call, 0) > 0:
            self.failing[call] -= 1
            return web.json_response({"message": "failed", "path": request.path}, status=500)
        return await handler(request)

    async def root(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6 (stand-in)")

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, message = str(body["sender"]), str(body["message"])
        events = self.events.setdefault(sender, [])
        events.append(
            {
                "event": "user",
                "text": message,
                "timestamp": time.time(),
                "metadata": body.get("metadata") or {},
            }
        )
        if self.handoffs is not None:
            handoff = self.handoffs.open_for(sender)
            if handoff is not None and handoff.is_live:
                return web.json_response([])  # paused
            if message == "/request_human":
                self.handoffs.request(HandoffRequest(sender, Kind.LIVE, transcript=[]))
                events.append({"event": "pause", "timestamp": time.time()})
                return web.json_response([])
        events.append(
            {
                "event": "bot",
                "text": QUESTION,
                "timestamp": time.time(),
                "data": {"buttons": BUTTONS},
            }
        )
        return web.json_response([{"recipient_id": sender, "text": QUESTION, "buttons": BUTTONS}])

    async def tracker(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        return web.json_response({"sender_id": sender, "events": self.events.get(sender, [])})

    async def append(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        self.events.setdefault(sender, []).extend(await request.json())
        return web.json_response({"sender_id": sender})

    async def trigger(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        name = (await request.json())["name"]
        self.events.setdefault(sender, []).append(
            {
                "event": "user",
                "text": f"{EXTERNAL_PREFIX}{name}",
                "timestamp": time.time(),
                "metadata": {IS_EXTERNAL: True},
            }
        )
        return web.json_response({"messages": [{"text": "Då fortsätter vi.", "buttons": []}]})
