"""The web gateway: the widget's files and socket, the demo page and the caseworker console.

One aiohttp application. It talks to Rasa over loopback (REST channel and the token-protected
HTTP API) and to the intake queue's database; nothing else needs to be reachable from outside.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp
from aiohttp import web

from bot.intake_queue.console_sessions import ConsoleSessions
from bot.intake_queue.handoffs import Handoffs
from bot.intake_queue.repository import IntakeQueue
from bot.mail.background import mail_delivery
from bot.profile import active_profile
from bot.web import diagnostics
from bot.web.app_keys import (
    CHAT_LIMITER,
    CONSOLE_SESSIONS,
    CONVERSATIONS,
    ENGINE,
    HANDOFFS,
    HUB,
    LOGIN_THROTTLE,
    QUEUE,
    RASA,
    SETTINGS,
)
from bot.web.chat import chat_socket
from bot.web.console import pages
from bot.web.console.auth import LoginThrottle
from bot.web.console.live import console_socket
from bot.web.conversation import Conversations
from bot.web.hub import Hub
from bot.web.rasa_client import RasaClient
from bot.web.rate_limits import ChatLimiter
from bot.web.security import origin_allowed, security_headers
from bot.web.settings import GatewaySettings

STATIC = Path(__file__).parent / "static"


async def demo_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "demo" / "index.html")


async def widget_config(request: web.Request) -> web.Response:
    """What the widget's privacy notice states: whose service it is and how long chats are kept."""
    profile = active_profile()
    response = web.json_response(
        {
            "kommun": profile.kommun.name,
            "retention_days": profile.retention_days,
            "privacy_contact": profile.kommun.contact.email,
        }
    )
    origin = request.headers.get("Origin")
    if origin and origin_allowed(request, request.app[SETTINGS].allowed_origins):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


async def health(request: web.Request) -> web.Response:
    rasa_ok = await request.app[RASA].healthy()
    return web.json_response({"gateway": "ok", "rasa": "ok" if rasa_ok else "unavailable"})


def create_app(settings: GatewaySettings, queue: IntakeQueue | None = None) -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app[QUEUE] = queue or IntakeQueue.open(settings.database_url)
    app[ENGINE] = app[QUEUE].engine
    app[HANDOFFS] = Handoffs(app[ENGINE])
    app[CONSOLE_SESSIONS] = ConsoleSessions(app[ENGINE])
    app[LOGIN_THROTTLE] = LoginThrottle()
    app[HUB] = Hub()
    app[CHAT_LIMITER] = ChatLimiter()  # the widget socket's rate limits (bot/web/limits.py)
    app.cleanup_ctx.append(_rasa_connection)
    app.cleanup_ctx.append(mail_delivery)  # the outbox: registration and receipt e-mail
    app.on_startup.append(diagnostics.install)
    app.on_shutdown.append(_close_sockets)
    app.add_routes(
        [
            web.get("/", demo_page),
            web.get("/health", health),
            web.get("/chat/ws", chat_socket),
            web.get("/chat/config", widget_config),
            web.get("/handlaggare/ws", console_socket),
            web.static("/widget", STATIC / "widget"),
            web.static("/demo", STATIC / "demo"),
            web.static("/handlaggare/static", STATIC / "console"),
            *pages.routes(),
        ]
    )
    return app


async def _rasa_connection(app: web.Application):  # type: ignore[no-untyped-def]
    """One HTTP client for the app's lifetime (connection pooling to Rasa)."""
    settings: GatewaySettings = app[SETTINGS]
    async with aiohttp.ClientSession() as session:
        app[RASA] = RasaClient(
            session, settings.rasa_url, settings.rasa_token, settings.rasa_concurrency
        )
        app[CONVERSATIONS] = Conversations(app[RASA], app[ENGINE], app[HUB])
        yield


async def _close_sockets(app: web.Application) -> None:
    await app[HUB].close_all()
