"""Safe defaults (issue 13, items 1 and 9): the trusted proxy is a setting that is checked at
start, a missing token stops the gateway or the action server with a clear message, the CSP lets
the gateway's pages open sockets only to themselves and the kommun's own origins, and the
compose example publishes only the gateway."""

from __future__ import annotations

import sys
from pathlib import Path
from unittest.mock import Mock

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from bot.web.app_keys import SETTINGS
from bot.web.proxies import client_address, forwarded_scheme
from bot.web.security import content_security_policy
from bot.web.settings import LOOPBACK_PROXIES, GatewaySettings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A gateway environment with its token and nothing about proxies."""
    for name in ("IOP_TRUSTED_PROXIES", "IOP_ALLOWED_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RASA_TOKEN", "a-long-random-token")
    return monkeypatch


def request_from(remote: str, headers: dict[str, str], settings: GatewaySettings) -> web.Request:
    transport = Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (remote, 50000) if name == "peername" else default
    )
    app = web.Application()
    app[SETTINGS] = settings
    return make_mocked_request(
        "GET", "/handlaggare/ws", headers={"Host": "iop.mora.se", **headers},
        transport=transport, app=app,
    )  # fmt: skip


# -- IOP_TRUSTED_PROXIES ---------------------------------------------------------------------------


def test_the_trusted_proxy_is_loopback_unless_configured(environment) -> None:
    assert GatewaySettings.from_environment().trusted_proxies == LOOPBACK_PROXIES
    environment.setenv("IOP_TRUSTED_PROXIES", " 10.0.4.7, 192.168.10.0/24 ,::1 ")
    settings = GatewaySettings.from_environment()
    assert settings.trusted_proxies == ("10.0.4.7", "192.168.10.0/24", "::1")


def test_a_configured_proxy_is_believed_and_loopback_then_is_not(environment) -> None:
    environment.setenv("IOP_TRUSTED_PROXIES", "10.0.4.7")
    settings = GatewaySettings.from_environment()
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    via_proxy = request_from("10.0.4.7", proxied, settings)
    assert forwarded_scheme(via_proxy) == "https"
    assert client_address(via_proxy) == "198.51.100.7"
    # Only the configured proxy: a process on the gateway's own host is not trusted now.
    local = request_from("127.0.0.1", proxied, settings)
    assert forwarded_scheme(local) == "http" and client_address(local) == "127.0.0.1"


@pytest.mark.parametrize("entry", ["10.0.4", "nginx.kommun.se", "10.0.0.0/33", "127.0.0.1;"])
def test_a_malformed_proxy_entry_stops_the_start(environment, entry: str) -> None:
    environment.setenv("IOP_TRUSTED_PROXIES", f"127.0.0.1,{entry}")
    with pytest.raises(SettingsError) as refused:
        GatewaySettings.from_environment()
    assert "IOP_TRUSTED_PROXIES" in str(refused.value) and repr(entry) in str(refused.value)


# -- tokens --------------------------------------------------------------------------------------


def test_the_gateway_does_not_start_without_rasa_token(environment) -> None:
    from bot.web import serve

    environment.delenv("RASA_TOKEN")
    environment.setattr(sys, "argv", ["bot.web.serve"])
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    message = str(stopped.value.code)
    assert "RASA_TOKEN" in message and "--auth-token" in message


def test_the_gateway_refuses_a_malformed_proxy_setting_at_start(environment) -> None:
    from bot.web import serve

    environment.setenv("IOP_TRUSTED_PROXIES", "localhost")
    environment.setattr(sys, "argv", ["bot.web.serve"])
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    assert "IOP_TRUSTED_PROXIES" in str(stopped.value.code)


@pytest.mark.parametrize("token", [None, "", "   "])
def test_the_action_server_does_not_start_without_its_token(
    monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    from actions import serve

    if token is None:
        monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    else:
        monkeypatch.setenv("ACTION_SERVER_TOKEN", token)
    monkeypatch.setattr(sys, "argv", ["actions.serve", "--port", "5055"])
    started = Mock()
    monkeypatch.setattr(serve, "create_app", started)
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    assert "ACTION_SERVER_TOKEN" in str(stopped.value.code)
    started.assert_not_called()  # refused before the actions are even loaded


def test_the_action_server_always_checks_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from actions import serve

    monkeypatch.setenv("ACTION_SERVER_TOKEN", "s3cret")
    monkeypatch.setattr(sys, "argv", ["actions.serve"])
    app = Mock()
    monkeypatch.setattr(serve, "create_app", Mock(return_value=app))
    serve.main()
    app.register_middleware.assert_called_once()
    app.run.assert_called_once_with("127.0.0.1", 5055, workers=1, access_log=False)


def test_no_endpoints_file_without_the_action_server_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    from devstack import endpoints as write_endpoints

    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    out = tmp_path / "endpoints.yml"
    monkeypatch.setattr(sys, "argv", ["write_endpoints.py", str(out)])
    assert write_endpoints.main() == 2
    assert not out.exists() and "ACTION_SERVER_TOKEN" in capsys.readouterr().err


def test_run_script_gives_every_server_its_token() -> None:
    run = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    before_actions = run.split("-m actions.serve")[0]
    before_gateway = run.split("-m bot.web.serve")[0]
    assert "export ACTION_SERVER_TOKEN=" in before_actions
    assert "export RASA_TOKEN=" in before_gateway


# -- Content-Security-Policy ---------------------------------------------------------------------


def connect_src(policy: str) -> list[str]:
    [directive] = [d.strip() for d in policy.split(";") if d.strip().startswith("connect-src")]
    return directive.split()[1:]


def test_sockets_go_only_to_this_server_and_the_kommuns_own_origins() -> None:
    assert connect_src(content_security_policy(())) == ["'self'"]
    policy = content_security_policy(("https://www.mora.se", "http://localhost:8000"))
    assert connect_src(policy) == ["'self'", "wss://www.mora.se", "ws://localhost:8000"]
    assert "ws:" not in connect_src(policy) and "wss:" not in connect_src(policy)
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy


def test_a_strange_origin_setting_cannot_add_to_the_policy() -> None:
    odd = ("https://x.se; script-src *", "javascript:alert(1)", "https://", "*")
    assert connect_src(content_security_policy(odd)) == ["'self'"]


# -- deploy/compose.yml --------------------------------------------------------------------------


def test_compose_publishes_only_the_gateway_and_only_on_loopback() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    published = {name: s["ports"] for name, s in services.items() if s.get("ports")}
    assert list(published) == ["web"]
    assert all(str(port).startswith("127.0.0.1:") for port in published["web"])
    assert not any(s.get("network_mode") == "host" for s in services.values())
    # The gateway believes X-Forwarded-* only from the compose network's gateway address, where
    # the host's nginx arrives through the published port.
    network = compose["networks"]["default"]["ipam"]["config"][0]
    assert services["web"]["environment"]["IOP_TRUSTED_PROXIES"] == network["gateway"]
