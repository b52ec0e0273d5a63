"""The console's live socket: pings that keep a caseworker online, and the live handoff chat.

Only a signed-in caseworker on this site's own pages gets in: the session cookie, the session's
CSRF token in the URL and an Origin of this very server are all required, so another site cannot
open the socket in a caseworker's name.

The session is checked again before every frame and at least every SESSION_CHECK_SECONDS while
the socket is quiet: a caseworker who logs out or is blocked (here, or with the CLI in another
process) loses the socket at once, with a Swedish message, and never counts as online. `join`
lets a page follow only an open live handoff that is waiting or is this caseworker's own. Every
handoff page sends a join (callbacks, closed ones, a colleague's chat too), so a refused join is
silent: the page simply gets no live frames for it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import WSMsgType, web
from sqlalchemy.exc import SQLAlchemyError

from bot.intake_queue.console_sessions import ConsoleSessions, token_hash
from bot.intake_queue.handoffs import HandoffStatus, Kind
from bot.intake_queue.repository import CaseNotFound
from bot.web.app_keys import CONSOLE_SESSIONS, CONVERSATIONS, HANDOFFS, HUB
from bot.web.console.auth import signed_in
from bot.web.conversation import Conversations
from bot.web.frames import parse_frame
from bot.web.hub import ConsoleConnection, Hub
from bot.web.live_handoff import Caseworker, HandoffConflict
from bot.web.rasa_client import RasaUnavailable
from bot.web.security import own_origin, same_token
from bot.web.texts import LOG_IN_AGAIN, NOT_DELIVERED, UNKNOWN_FRAME

log = logging.getLogger(__name__)

SESSION_CHECK_SECONDS = 30.0  # a quiet socket's session is re-checked this often (at most 60)


async def console_socket(request: web.Request) -> web.StreamResponse:
    who = await signed_in(request)
    if who is None or not same_token(request.query.get("csrf"), who.session.csrf_token):
        raise web.HTTPForbidden(text=LOG_IN_AGAIN)
    if request.headers.get("Origin") not in (None, own_origin(request)):
        raise web.HTTPForbidden(text="Origin not allowed")
    socket = web.WebSocketResponse(heartbeat=30, max_msg_size=16 * 1024)
    await socket.prepare(request)
    hub: Hub = request.app[HUB]
    sessions: ConsoleSessions = request.app[CONSOLE_SESSIONS]
    hub.watch(sessions)
    connection = ConsoleConnection(
        socket,
        who.caseworker.username,
        who.caseworker.display_name,
        session=token_hash(who.token),
    )
    caseworker = Caseworker(who.caseworker.username, who.caseworker.display_name)
    hub.add_console(connection)
    watchdog = asyncio.create_task(_recheck_while_open(sessions, who.token, hub, connection))
    try:
        await asyncio.to_thread(sessions.touch, who.token)
        async for message in socket:
            if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                continue
            if not await _still_signed_in(sessions, who.token):
                await hub.sign_out(connection)
                break
            if message.type == WSMsgType.BINARY:  # the console page only sends JSON text
                await socket.send_json({"type": "error", "text": UNKNOWN_FRAME})
                continue
            frame = parse_frame(message.data)
            reply = await _handle(request, who.token, connection, caseworker, frame)
            if reply is not None:
                await socket.send_json(reply)
    finally:
        watchdog.cancel()
        hub.remove_console(connection)
        if connection.closing is not None:  # signed out: let the close frame go out first
            await connection.closing
    return socket


async def _still_signed_in(sessions: ConsoleSessions, token: str) -> bool:
    """Session not ended or expired, account not blocked: one query (console_sessions.find)."""
    return await asyncio.to_thread(sessions.find, token) is not None


async def _recheck_while_open(
    sessions: ConsoleSessions, token: str, hub: Hub, connection: ConsoleConnection
) -> None:
    """A block made in another process (the CLI) reaches a quiet socket within the interval."""
    while not connection.socket.closed:
        await asyncio.sleep(SESSION_CHECK_SECONDS)
        try:
            valid = await _still_signed_in(sessions, token)
        except SQLAlchemyError as error:  # the database is away: try again next round
            log.warning("Console session re-check failed: %s", type(error).__name__)
            continue
        if not valid:
            await hub.sign_out(connection)
            return


async def _handle(
    request: web.Request,
    token: str,
    connection: ConsoleConnection,
    caseworker: Caseworker,
    frame: dict[str, Any],
) -> dict[str, Any] | None:
    kind = frame.get("type")
    conversations: Conversations = request.app[CONVERSATIONS]
    if kind == "ping":
        await asyncio.to_thread(request.app[CONSOLE_SESSIONS].touch, token)
        return None
    handoff_id = frame.get("handoff")
    if not isinstance(handoff_id, int) or isinstance(handoff_id, bool):
        return {"type": "error", "text": UNKNOWN_FRAME}
    if kind == "join":
        if await _may_follow(request, handoff_id, caseworker):
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
    return {"type": "error", "text": UNKNOWN_FRAME}


async def _may_follow(request: web.Request, handoff_id: int, caseworker: Caseworker) -> bool:
    """An open live handoff that nobody has taken yet or that this caseworker has."""
    try:
        handoff = await asyncio.to_thread(request.app[HANDOFFS].get, handoff_id)
    except CaseNotFound:
        return False
    if handoff.kind is not Kind.LIVE or handoff.status is HandoffStatus.CLOSED:
        return False
    return handoff.claimed_by in (None, caseworker.username)
