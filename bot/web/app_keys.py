"""The gateway's shared objects, each under one typed `web.AppKey` (aiohttp's typed app state).

`create_app` (bot/web/app.py) stores them; handlers read `request.app[KEY]` and get the type
back, and aiohttp gives no NotAppKeyWarning. RASA and CONVERSATIONS exist only while the app
runs (they need the app's HTTP client session).
"""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.intake_queue.console_sessions import ConsoleSessions
from bot.intake_queue.handoffs import Handoffs
from bot.intake_queue.repository import IntakeQueue
from bot.web.console.throttle import LoginThrottle
from bot.web.conversation import Conversations
from bot.web.hub import Hub
from bot.web.rasa_client import RasaClient
from bot.web.rate_limits import ChatLimiter
from bot.web.settings import GatewaySettings

SETTINGS = web.AppKey("settings", GatewaySettings)
QUEUE = web.AppKey("queue", IntakeQueue)
ENGINE = web.AppKey("engine", Engine)
HANDOFFS = web.AppKey("handoffs", Handoffs)
CONSOLE_SESSIONS = web.AppKey("console_sessions", ConsoleSessions)
LOGIN_THROTTLE = web.AppKey("login_throttle", LoginThrottle)
HUB = web.AppKey("hub", Hub)
CHAT_LIMITER = web.AppKey("chat_limiter", ChatLimiter)
RASA = web.AppKey("rasa", RasaClient)
CONVERSATIONS = web.AppKey("conversations", Conversations)
