"""Live delivery inside one gateway process: frames to every open widget tab of a conversation
and to every open console page.

One process holds the sockets, so a plain in-memory registry is enough here; several gateway
processes behind a load balancer would need a shared channel (e.g. Redis pub/sub) as well.

A console socket whose session ends (logout, a blocked account) is closed here at once: the hub
listens to the console sessions (`watch`), and the socket's own re-check (bot/web/console/live.py)
catches what happens in other processes, such as a block made with the CLI.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.intake_queue.console_sessions import ConsoleSessions, Ended
from bot.web.texts import SIGNED_OUT

log = logging.getLogger(__name__)

SIGNED_OUT_CODE = 4401  # WebSocket close code: the session is no longer valid


@dataclass(eq=False)
class ConsoleConnection:
    socket: web.WebSocketResponse
    username: str
    display_name: str
    joined: set[int] = field(default_factory=set)  # handoffs whose live chat this page shows
    session: str = ""  # the session's token hash (console_sessions.token_hash)
    closing: asyncio.Task[None] | None = None  # set when the hub signs this page out


class Hub:
    def __init__(self) -> None:
        self._widgets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        self._consoles: set[ConsoleConnection] = set()
        self._watched: set[int] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def watch(self, sessions: ConsoleSessions) -> None:
        """Close console sockets as soon as their session ends in this process (idempotent)."""
        self._loop = asyncio.get_running_loop()
        if id(sessions) not in self._watched:
            self._watched.add(id(sessions))
            sessions.subscribe(self._session_ended)

    def _session_ended(self, ended: Ended) -> None:
        """From any thread (logout runs the database call on a worker thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self.sign_out_where(ended)))

    async def sign_out_where(self, ended: Ended) -> None:
        doomed = [
            c
            for c in self._consoles
            if (ended.token_hash is not None and c.session == ended.token_hash)
            or (ended.username is not None and c.username == ended.username)
        ]
        await asyncio.gather(*(self.sign_out(c) for c in doomed), return_exceptions=True)

    async def sign_out(self, connection: ConsoleConnection) -> None:
        """No more frames to this page: say why, in Swedish, and close its socket.

        The closing runs as a task of its own that the socket's handler awaits before it
        returns (bot/web/console/live.py), so the close frame with its code is always sent,
        whichever task noticed the ended session."""
        self._consoles.discard(connection)
        if connection.closing is None:
            connection.closing = asyncio.ensure_future(_signed_out(connection.socket))
        await asyncio.shield(connection.closing)

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


async def _signed_out(socket: web.WebSocketResponse) -> None:
    if socket.closed:
        return
    with contextlib.suppress(ConnectionError, RuntimeError):
        await socket.send_json({"type": "error", "text": SIGNED_OUT, "signed_out": True})
    await socket.close(code=SIGNED_OUT_CODE, message=b"signed out")


async def _send_all(sockets: list[web.WebSocketResponse], frame: dict[str, Any]) -> None:
    async def send(socket: web.WebSocketResponse) -> None:
        try:
            if not socket.closed:
                await socket.send_json(frame)
        except (ConnectionError, RuntimeError) as error:
            log.info("Dropped a frame to a closing socket: %s", type(error).__name__)

    await asyncio.gather(*(send(s) for s in sockets))
