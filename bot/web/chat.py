"""The widget's WebSocket: one per open tab, speaking docs/widget-protocol.md.

A tab proves nothing but the session id it holds; ids are 256-bit random values issued here, so
holding one is what makes a conversation yours. Anything else a client sends is answered with a
friendly error, never a stack trace, and the socket stays open.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import WSMsgType, web

from bot.web.conversation import Conversations, new_session_id, valid_session_id
from bot.web.frames import parse_frame
from bot.web.rasa_client import REQUEST_TIMEOUT
from bot.web.security import origin_allowed

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 16 * 1024
NOT_UNDERSTOOD = "Det där kunde jag inte ta emot. Ladda om sidan och försök igen."


async def chat_socket(request: web.Request) -> web.StreamResponse:
    app = request.app
    if not origin_allowed(request, app["settings"].allowed_origins):
        raise web.HTTPForbidden(text="Origin not allowed")
    # While a message is with Rasa this handler reads nothing, so pongs wait: the heartbeat must
    # outlast Rasa's timeout, or the socket closes before the user hears "not sent".
    socket = web.WebSocketResponse(
        heartbeat=REQUEST_TIMEOUT.total + 30, max_msg_size=MAX_FRAME_BYTES
    )
    await socket.prepare(request)
    conversations: Conversations = app["conversations"]
    hub = app["hub"]
    conversation_id: str | None = None
    try:
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            frame = parse_frame(message.data)
            kind = frame.get("type")
            if kind in ("hello", "restart"):
                if conversation_id is not None:
                    hub.remove_widget(conversation_id, socket)
                    if kind == "restart":
                        await conversations.cancel_handoff(conversation_id)
                requested = frame.get("session") if kind == "hello" else None
                conversation_id = requested if valid_session_id(requested) else new_session_id()
                hub.add_widget(conversation_id, socket)
                await socket.send_json(await conversations.session_frame(conversation_id))
                continue
            if conversation_id is None:
                await socket.send_json({"type": "error", "text": NOT_UNDERSTOOD})
                continue
            reply = await _handle(conversations, conversation_id, kind, frame)
            if reply is not None:
                await socket.send_json(reply)
    finally:
        if conversation_id is not None:
            hub.remove_widget(conversation_id, socket)
    return socket


async def _handle(
    conversations: Conversations, conversation_id: str, kind: Any, frame: dict[str, Any]
) -> dict[str, Any] | None:
    if kind == "message":
        text = frame.get("text")
        payload = frame.get("payload")
        return await conversations.user_message(
            conversation_id,
            text if isinstance(text, str) else "",
            payload if isinstance(payload, str) else None,
        )
    if kind == "human":
        return await conversations.request_human(conversation_id)
    if kind == "cancel_handoff":
        return await conversations.cancel_handoff(conversation_id)
    return {"type": "error", "text": NOT_UNDERSTOOD}
