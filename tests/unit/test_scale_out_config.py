"""The scale-out pieces that need no running servers: the Redis lock store settings Rasa gets,
the nginx configuration rendered from the template, reading nginx's access log, and the
gateway's sticky header (tests/e2e/test_scale_out.py runs the whole set-up)."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.web.rasa_client import CONVERSATION_HEADER, RasaClient
from devstack.endpoints import endpoints, redis_lock_store_config
from devstack.scale_out import NginxServer, read_access_log
from tests.aiohttp_app import serve


def test_redis_url_becomes_rasa_lock_store_settings() -> None:
    assert redis_lock_store_config("redis://:p%40ss@10.0.0.5:6380/2") == {
        "type": "redis",
        "url": "10.0.0.5",
        "port": 6380,
        "db": 2,
        "key_prefix": "iop",
        "password": "p@ss",
    }
    assert redis_lock_store_config("rediss://cache.kommun.se")["use_ssl"] is True
    assert redis_lock_store_config("redis://127.0.0.1")["db"] == 1  # Rasa's default
    with pytest.raises(ValueError):
        redis_lock_store_config("http://127.0.0.1:6379")


def test_lock_store_only_with_redis() -> None:
    single = endpoints("http://127.0.0.1:5055/webhook", "sqlite:///x.db")
    assert "lock_store" not in single  # one Rasa server: its in-memory lock store is right
    several = endpoints("http://a/webhook", "sqlite:///x.db", "t", "redis://127.0.0.1:6379/1")
    assert several["lock_store"]["type"] == "redis"


def test_nginx_config_hashes_on_the_conversation_and_logs_no_paths(tmp_path: Path) -> None:
    config = NginxServer(tmp_path, ["127.0.0.1:5006", "127.0.0.1:5007"]).config()
    assert not re.search(r"@[A-Z_]+@", config)  # every placeholder filled in
    assert "hash $http_x_iop_conversation consistent;" in config
    assert "server 127.0.0.1:5006 max_fails=1" in config
    assert "server 127.0.0.1:5007 max_fails=1" in config
    log_format = config[config.index("log_format") : config.index("access_log")]
    assert "$request " not in log_format and "$uri" not in log_format and "$args" not in log_format
    assert all(line.strip().startswith("listen 127.0.0.1:") for line in _lines(config, "listen"))


def _lines(text: str, directive: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip().startswith(directive + " ")]


def test_access_log_shows_which_server_answered(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(
        'time=t route=webhook method=POST status=200 upstream="127.0.0.1:5006" '
        'upstream_status="200" seconds=0.1\n'
        'time=t route=webhook method=POST status=200 upstream="127.0.0.1:5006, 127.0.0.1:5007" '
        'upstream_status="502, 200" seconds=0.2\n'
        'time=t route=other method=GET status=404 upstream="-" upstream_status="-" seconds=0\n',
        encoding="utf-8",
    )
    first, failover, local = read_access_log(log)
    assert first.served_by == "127.0.0.1:5006"
    assert failover.tried == ("127.0.0.1:5006", "127.0.0.1:5007")
    assert failover.served_by == "127.0.0.1:5007"
    assert local.tried == () and local.status == 404


async def test_every_call_about_a_conversation_names_it_in_a_header() -> None:
    seen: list[tuple[str, str | None]] = []

    async def record(request: web.Request) -> web.Response:
        seen.append((request.path, request.headers.get(CONVERSATION_HEADER)))
        return web.json_response({"events": [], "messages": []})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner, url = await serve(app)
    try:
        async with aiohttp.ClientSession() as session:
            rasa = RasaClient(session, url, "token")
            await rasa.send("abc", "Hej")
            await rasa.tracker("abc")
            await rasa.resume("abc")
            await rasa.trigger_intent("abc", "greet")
            assert await rasa.healthy()
    finally:
        await runner.cleanup()
    assert [header for path, header in seen if path != "/"] == ["abc"] * 4
