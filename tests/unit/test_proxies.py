"""X-Forwarded-* are believed only from the trusted proxy (loopback unless configured)."""

from __future__ import annotations

from types import SimpleNamespace
from unittest.mock import Mock

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from bot.web.app_keys import SETTINGS
from bot.web.proxies import client_address, forwarded_scheme
from bot.web.security import own_origin


def request_from(remote: str, headers: dict[str, str], trusted: object = None) -> web.Request:
    transport = Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (remote, 50000) if name == "peername" else default
    )
    app = web.Application()
    app[SETTINGS] = SimpleNamespace(trusted_proxies=trusted)
    return make_mocked_request(
        "GET", "/handlaggare/ws", headers={"Host": "iop.mora.se", **headers},
        transport=transport, app=app,
    )  # fmt: skip


def test_the_local_proxy_says_https() -> None:
    request = request_from("127.0.0.1", {"X-Forwarded-Proto": "https"})
    assert forwarded_scheme(request) == "https"
    assert own_origin(request) == "https://iop.mora.se"


def test_anyone_else_cannot_claim_https_or_another_address() -> None:
    spoofed = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.9.9.9"}
    request = request_from("203.0.113.5", spoofed)
    assert own_origin(request) == "http://iop.mora.se"
    assert client_address(request) == "203.0.113.5"


def test_a_configured_proxy_is_trusted_and_nonsense_is_ignored() -> None:
    request = request_from("10.0.0.2", {"X-Forwarded-Proto": "https"}, trusted="10.0.0.0/24")
    assert forwarded_scheme(request) == "https"
    odd = request_from("127.0.0.1", {"X-Forwarded-Proto": "gopher"})
    assert forwarded_scheme(odd) == "http"
