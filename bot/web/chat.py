"""The widget's WebSocket: one per open tab, speaking docs/widget-protocol.md.

A tab proves nothing but the secret it holds; secrets are 256-bit random values issued here, so
holding one is what makes a conversation yours. The secret stays between the browser and this
handler: everything behind it (Rasa, the hub, the database, logs) gets the conversation reference
derived from it (bot/web/session_keys.py). Anything else a client sends is answered with a
friendly error, never a stack trace, and the socket stays open. So are frames over the rate
limits (bot/web/rate_limits.py): a person never meets them, a flood gets a polite "wait".
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any

from aiohttp import WSMsgType, web

from bot.web.app_keys import CHAT_LIMITER, CONVERSATIONS, HUB, SETTINGS
from bot.web.conversation import Conversations
from bot.web.frames import parse_frame
from bot.web.hub import Hub
from bot.web.limits import LIMITED_PAUSE, MAX_CONNECT_WAIT
from bot.web.proxies import client_address
from bot.web.rasa_client import REQUEST_TIMEOUT
from bot.web.rate_limits import ChatLimiter
from bot.web.security import origin_allowed
from bot.web.session_keys import conversation_reference, new_secret, valid_secret
from bot.web.texts import BUSY_HELLO, NOT_UNDERSTOOD, TOO_FAST

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 16 * 1024
# Frames that cost Rasa something; the rest (garbage, unknown types) cost a parse and an answer.
COSTLY = ("message", "human", "cancel_handoff")


async def chat_socket(request: web.Request) -> web.StreamResponse:
    app = request.app
    if not origin_allowed(request, app[SETTINGS].allowed_origins):
        raise web.HTTPForbidden(text="Origin not allowed")
    # While a message is with Rasa this handler reads nothing, so pongs wait: the heartbeat must
    # outlast Rasa's timeout, or the socket closes before the user hears "not sent".
    limiter: ChatLimiter = app[CHAT_LIMITER]
    address = client_address(request)
    wait = limiter.connect_wait(address, MAX_CONNECT_WAIT)
    if wait:  # many new sockets from this address: this one waits its turn
        await asyncio.sleep(wait)
    socket = web.WebSocketResponse(
        heartbeat=(REQUEST_TIMEOUT.total or 60) + 30, max_msg_size=MAX_FRAME_BYTES
    )
    await socket.prepare(request)
    conversations: Conversations = app[CONVERSATIONS]
    limits = limiter.connection(address)
    hub = app[HUB]
    conversation_id: str | None = None  # the reference; the secret is never kept beyond hello
    try:
        async for message in socket:
            if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                continue
            wait = limiter.allow_frame(limits)
            if wait:
                await _limited(socket, TOO_FAST, limits.pause(wait, LIMITED_PAUSE))
                continue
            if message.type == WSMsgType.BINARY:  # the widget only sends JSON text
                await socket.send_json({"type": "error", "text": NOT_UNDERSTOOD})
                continue
            frame = parse_frame(message.data)
            kind = frame.get("type")
            if kind in ("hello", "restart"):
                wait = limiter.allow_hello(limits)
                if wait:
                    await _limited(socket, BUSY_HELLO, limits.pause(wait, LIMITED_PAUSE))
                    continue
                conversation_id = await _hello(socket, conversations, hub, frame, conversation_id)
                continue
            if conversation_id is None:
                await socket.send_json({"type": "error", "text": NOT_UNDERSTOOD})
                continue
            if kind in COSTLY:
                wait = limiter.allow_message(limits)
                if wait:
                    await _limited(socket, TOO_FAST, limits.pause(wait, LIMITED_PAUSE))
                    continue
            reply = await _handle(conversations, conversation_id, kind, frame)
            if reply is not None:
                await socket.send_json(reply)
    finally:
        if conversation_id is not None:
            hub.remove_widget(conversation_id, socket)
    return socket


async def _hello(
    socket: web.WebSocketResponse,
    conversations: Conversations,
    hub: Hub,
    frame: dict[str, Any],
    previous: str | None,
) -> str:
    """A hello (with the secret the tab kept, if any) or a restart (a new secret, and any
    waiting for a person cancelled): the socket now follows that conversation, whose reference
    is returned."""
    kind = frame.get("type")
    if previous is not None:
        hub.remove_widget(previous, socket)
        if kind == "restart":
            await conversations.cancel_handoff(previous)
    requested = frame.get("session") if kind == "hello" else None
    new = not valid_secret(requested)
    secret = new_secret() if new else requested
    conversation_id = conversation_reference(secret)
    hub.add_widget(conversation_id, socket)
    await socket.send_json(await conversations.session_frame(conversation_id, secret, new=new))
    return conversation_id


async def _limited(socket: web.WebSocketResponse, text: str, pause: float) -> None:
    """The polite answer to a frame over a limit (`retry_after` in seconds, for the widget),
    then a pause before this socket is read again: a flooding client waits for its answers,
    so it slows to the limits instead of keeping the gateway busy."""
    await socket.send_json({"type": "error", "text": text, "retry_after": math.ceil(pause)})
    await asyncio.sleep(pause)


async def _handle(
    conversations: Conversations, conversation_id: str, kind: Any, frame: dict[str, Any]
) -> dict[str, Any] | None:
    if kind == "message":
        text = frame.get("text")
        payload = frame.get("payload")
        button = isinstance(payload, str) and payload.startswith("/")
        if not isinstance(text, str) and not button:
            return {"type": "error", "text": NOT_UNDERSTOOD}  # not what the widget sends
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
