"""Origins, response headers and CSRF checks shared by the widget socket and the console."""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable
from functools import lru_cache
from urllib.parse import urlsplit

from aiohttp import web

from bot.web.app_keys import SETTINGS
from bot.web.proxies import forwarded_scheme

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# The console and the demo page load nothing from elsewhere; sockets go back to this server
# ('self' covers ws:/wss: to the same host in CSP 3) or to the kommun's own widget origins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


@lru_cache(maxsize=8)
def content_security_policy(allowed_origins: tuple[str, ...] = ()) -> str:
    """The gateway's own pages: connect-src is 'self' plus the ws/wss form of each allowed
    origin, never any host (`ws: wss:`). The widget on a kommun page runs under that page's
    policy, not this one."""
    sources = ["'self'"]
    for origin in allowed_origins:
        parts = urlsplit(origin)
        if parts.scheme in ("http", "https") and _HOST.fullmatch(parts.netloc):
            sources.append(f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}")
    return CONTENT_SECURITY_POLICY.format(connect=" ".join(dict.fromkeys(sources)))


def own_origin(request: web.Request) -> str:
    """This server's origin as the browser sees it: https behind the kommun's TLS proxy."""
    return f"{forwarded_scheme(request)}://{request.host}"


def origin_allowed(request: web.Request, allowed: tuple[str, ...]) -> bool:
    """Browsers always send Origin on WebSocket and cross-site requests; check it when present."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == own_origin(request) or origin in allowed


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/widget/"):
        # The widget's files are embedded in the kommun's pages; everything else is ours alone.
        settings = request.app.get(SETTINGS)
        origins = tuple(getattr(settings, "allowed_origins", ()))
        response.headers.setdefault("Content-Security-Policy", content_security_policy(origins))
        response.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/handlaggare"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
