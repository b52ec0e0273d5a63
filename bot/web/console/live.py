"""The console's live socket: pings that keep a caseworker online, and the live handoff chat.

Only a signed-in caseworker on this site's own pages gets in: the session cookie, the session's
CSRF token in the URL and an Origin of this very server are all required, so another site cannot
open the socket in a caseworker's name.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import WSMsgType, web

from bot.intake_queue.repository import CaseNotFound
from bot.web.console.auth import signed_in
from bot.web.conversation import Caseworker, Conversations, HandoffConflict
from bot.web.frames import parse_frame
from bot.web.hub import ConsoleConnection, Hub
from bot.web.rasa_client import RasaUnavailable
from bot.web.security import own_origin, same_token

log = logging.getLogger(__name__)

NOT_DELIVERED = "Meddelandet kom inte fram till användaren. Försök igen."


async def console_socket(request: web.Request) -> web.StreamResponse:
    who = await signed_in(request)
    if who is None or not same_token(request.query.get("csrf"), who.session.csrf_token):
        raise web.HTTPForbidden(text="Logga in igen.")
    if request.headers.get("Origin") not in (None, own_origin(request)):
        raise web.HTTPForbidden(text="Origin not allowed")
    socket = web.WebSocketResponse(heartbeat=30, max_msg_size=16 * 1024)
    await socket.prepare(request)
    hub: Hub = request.app["hub"]
    sessions = request.app["console_sessions"]
    connection = ConsoleConnection(socket, who.caseworker.username, who.caseworker.display_name)
    caseworker = Caseworker(who.caseworker.username, who.caseworker.display_name)
    hub.add_console(connection)
    await asyncio.to_thread(sessions.touch, who.token)
    try:
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            frame = parse_frame(message.data)
            reply = await _handle(request, who.token, connection, caseworker, frame)
            if reply is not None:
                await socket.send_json(reply)
    finally:
        hub.remove_console(connection)
    return socket


async def _handle(
    request: web.Request,
    token: str,
    connection: ConsoleConnection,
    caseworker: Caseworker,
    frame: dict[str, Any],
) -> dict[str, Any] | None:
    kind = frame.get("type")
    conversations: Conversations = request.app["conversations"]
    if kind == "ping":
        await asyncio.to_thread(request.app["console_sessions"].touch, token)
        return None
    handoff_id = frame.get("handoff")
    if not isinstance(handoff_id, int):
        return {"type": "error", "text": "Okänt meddelande."}
    if kind == "join":
        connection.joined.add(handoff_id)
        return None
    if kind == "say":
        text = frame.get("text")
        try:
            await conversations.caseworker_says(
                handoff_id, caseworker, text if isinstance(text, str) else ""
            )
        except (HandoffConflict, CaseNotFound) as error:
            return {"type": "error", "text": str(error)}
        except RasaUnavailable as error:
            log.warning("Caseworker message not delivered: %s", error)
            return {"type": "error", "text": NOT_DELIVERED}
        return None
    return {"type": "error", "text": "Okänt meddelande."}
