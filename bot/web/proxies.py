"""Which requests came through the kommun's own proxy, and what that proxy says about them.

Behind nginx every connection comes from the proxy, so the client's address and the scheme the
browser used (https) are only in X-Forwarded-For and X-Forwarded-Proto. Those headers are
believed only from a trusted proxy: the gateway setting `trusted_proxies` (IOP_TRUSTED_PROXIES,
bot/web/settings.py), loopback by default (nginx on the same host, as in deploy/nginx/). A
header sent by anyone else is ignored, so it cannot be used to spoof an address or an origin.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from aiohttp import web

from bot.web.app_keys import SETTINGS
from bot.web.texts import UNKNOWN_ADDRESS

LOOPBACK = ("127.0.0.0/8", "::1/128")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def from_trusted_proxy(request: web.Request) -> bool:
    return _in(request.remote or "", _trusted_networks(request))


def forwarded_scheme(request: web.Request) -> str:
    """ "https" when the trusted proxy says the browser used it; else the connection's own."""
    if from_trusted_proxy(request):
        claimed = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        if claimed in ("http", "https"):
            return claimed
    return request.scheme


def client_address(request: web.Request) -> str:
    """The client's address: X-Forwarded-For is believed only from a trusted proxy."""
    remote = request.remote or ""
    trusted = _trusted_networks(request)
    if not _in(remote, trusted):
        return remote or UNKNOWN_ADDRESS
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _in(hop, trusted):
            return hop[:64]
    return remote or UNKNOWN_ADDRESS


def _trusted_networks(request: web.Request) -> tuple[Network, ...]:
    configured = getattr(request.app.get(SETTINGS), "trusted_proxies", None)
    if isinstance(configured, str):
        configured = configured.split(",")
    return _networks(LOOPBACK if configured is None else tuple(configured))


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Parsed once per setting; GatewaySettings.from_environment has already refused nonsense."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _in(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in networks)
