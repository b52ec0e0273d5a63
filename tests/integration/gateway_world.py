"""The real gateway (aiohttp test server, SQLite queue) in front of the stand-in Rasa, for tests
that drive the widget's socket the way a browser does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.intake_queue.handoffs import Handoffs
from bot.intake_queue.repository import IntakeQueue
from bot.web.app import create_app
from bot.web.settings import GatewaySettings
from tests.integration.rasa_standin import StandInRasa

RASA_TOKEN = "stand-in-rasa-token-7f3a"


@dataclass
class Gateway:
    server: TestServer
    rasa: StandInRasa
    queue: IntakeQueue

    def url(self, path: str = "") -> str:
        return str(self.server.make_url(path))

    @property
    def app(self) -> Any:
        return self.server.app


@asynccontextmanager
async def running_gateway(
    tmp_path: Path, rasa: StandInRasa | None = None, rasa_concurrency: int = 2
) -> AsyncIterator[Gateway]:
    queue = IntakeQueue.open(f"sqlite:///{tmp_path / 'gateway.db'}")
    rasa = rasa or StandInRasa()
    rasa.handoffs = Handoffs(queue.engine)
    rasa_server = TestServer(rasa.app(), host="127.0.0.1")
    await rasa_server.start_server()
    settings = GatewaySettings(
        rasa_url=str(rasa_server.make_url("")).rstrip("/"),
        rasa_token=RASA_TOKEN,
        database_url=str(queue.engine.url),
        allowed_origins=(),
        secure_cookies=False,
        rasa_concurrency=rasa_concurrency,
    )
    gateway = TestServer(create_app(settings, queue), host="127.0.0.1")
    await gateway.start_server()
    try:
        yield Gateway(gateway, rasa, queue)
    finally:
        await gateway.close()
        await rasa_server.close()
        queue.engine.dispose()


async def receive(socket: aiohttp.ClientWebSocketResponse, timeout: float = 10) -> dict[str, Any]:
    return await socket.receive_json(timeout=timeout)


async def answered(
    socket: aiohttp.ClientWebSocketResponse, timeout: float = 10
) -> list[dict[str, Any]]:
    """Frames until the bot has answered (typing off, then a moment for an error that follows
    it: the gateway sends the sender's error after "not typing") or an error came."""
    frames: list[dict[str, Any]] = []
    while True:
        frame = await receive(socket, timeout)
        frames.append(frame)
        if frame["type"] == "error":
            return frames
        if frame["type"] == "typing" and not frame["on"]:
            return frames + await quiet(socket, 0.05)


async def quiet(socket: aiohttp.ClientWebSocketResponse, seconds: float = 0.2) -> list[dict]:
    """Whatever arrives within `seconds`."""
    frames = []
    try:
        while True:
            frames.append(await socket.receive_json(timeout=seconds))
    except asyncio.TimeoutError:
        return frames
