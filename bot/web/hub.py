"""Live delivery inside one gateway process: frames to every open widget tab of a conversation
and to every open console page.

One process holds the sockets, so a plain in-memory registry is enough here; several gateway
processes behind a load balancer would need a shared channel (e.g. Redis pub/sub) as well.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)


@dataclass(eq=False)
class ConsoleConnection:
    socket: web.WebSocketResponse
    username: str
    display_name: str
    joined: set[int] = field(default_factory=set)  # handoffs whose live chat this page shows


class Hub:
    def __init__(self) -> None:
        self._widgets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        self._consoles: set[ConsoleConnection] = set()

    def add_widget(self, conversation_id: str, socket: web.WebSocketResponse) -> None:
        self._widgets[conversation_id].add(socket)

    def remove_widget(self, conversation_id: str, socket: web.WebSocketResponse) -> None:
        sockets = self._widgets.get(conversation_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._widgets[conversation_id]

    def add_console(self, connection: ConsoleConnection) -> None:
        self._consoles.add(connection)

    def remove_console(self, connection: ConsoleConnection) -> None:
        self._consoles.discard(connection)

    async def to_widgets(self, conversation_id: str, frame: dict[str, Any]) -> None:
        await _send_all(list(self._widgets.get(conversation_id, ())), frame)

    async def to_consoles(self, frame: dict[str, Any], handoff_id: int | None = None) -> None:
        """To the pages showing this handoff; with no handoff, to every console page."""
        targets = [c.socket for c in self._consoles if handoff_id is None or handoff_id in c.joined]
        await _send_all(targets, frame)

    async def close_all(self) -> None:
        sockets = [s for group in self._widgets.values() for s in group]
        sockets += [c.socket for c in self._consoles]
        await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)


async def _send_all(sockets: list[web.WebSocketResponse], frame: dict[str, Any]) -> None:
    async def send(socket: web.WebSocketResponse) -> None:
        try:
            if not socket.closed:
                await socket.send_json(frame)
        except (ConnectionError, RuntimeError) as error:
            log.info("Dropped a frame to a closing socket: %s", type(error).__name__)

    await asyncio.gather(*(send(s) for s in sockets))
