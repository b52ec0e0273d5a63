"""The gateway behind real nginx with TLS, configured as deploy/nginx/iop-lotsen.conf says.

The public server block is taken from the production example itself (only the port, the
certificate and the gateway's address are filled in), so the example and the code cannot drift
apart: a logged-in caseworker's console socket opened from an https page is accepted, and a
foreign origin is still refused. Needs Debian's nginx (scripts/ensure_scale_out.sh).
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.intake_queue.accounts import create_account
from bot.intake_queue.repository import IntakeQueue
from bot.web.app import create_app
from bot.web.settings import GatewaySettings
from tests.e2e.servers import free_port
from tests.tls_certificates import make_certificate, public_server_block

NGINX = Path("/usr/sbin/nginx")
PASSWORD = "ett långt och bra lösenord 42"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, made here (no network, no openssl binary)."""
    return make_certificate(tmp_path)


@pytest.fixture
def queue(tmp_path: Path) -> IntakeQueue:
    queue = IntakeQueue.open(f"sqlite:///{tmp_path / 'tls.db'}")
    create_account(queue.engine, "anna", "Anna Berg", PASSWORD)
    return queue


@pytest.fixture
async def gateway(queue: IntakeQueue) -> AsyncIterator[TestServer]:
    settings = GatewaySettings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="t",
        database_url=str(queue.engine.url),
        allowed_origins=(),
        secure_cookies=True,  # the browser only ever sees https
    )
    server = TestServer(create_app(settings, queue), host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
def nginx(tmp_path: Path, certificate: tuple[Path, Path], gateway: TestServer) -> Iterator[int]:
    if not NGINX.exists():
        pytest.fail("nginx is missing: run `bash scripts/ensure_scale_out.sh`")
    port = free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"{user}\nworker_processes 1;\ndaemon off;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n{temp}\n    uwsgi_temp_path {prefix / 'uwsgi'};\n"
        f"    scgi_temp_path {prefix / 'scgi'};\n"
        f"{public_server_block(port, *certificate, gateway.port)}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", "stderr"])
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _wait_until_up(session: aiohttp.ClientSession, url: str) -> None:
    for _ in range(100):
        try:
            async with session.get(url):
                return
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"nginx did not answer on {url}")


async def test_the_console_socket_works_from_an_https_page_behind_nginx(nginx: int) -> None:
    base = f"https://localhost:{nginx}"
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    connector = aiohttp.TCPConnector(ssl=insecure)
    async with aiohttp.ClientSession(connector=connector) as session:
        await _wait_until_up(session, f"{base}/handlaggare/logga-in")
        page = await (await session.get(f"{base}/handlaggare/logga-in")).text()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token, page[:300]
        logged_in = await session.post(
            f"{base}/handlaggare/logga-in",
            data={"username": "anna", "password": PASSWORD, "csrf_token": token.group(1)},
            allow_redirects=False,
        )
        assert logged_in.status == 303
        queue_page = await (await session.get(f"{base}/handlaggare/")).text()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', queue_page)
        assert csrf
        socket_url = f"{base}/handlaggare/ws?csrf={csrf.group(1)}"
        socket = await session.ws_connect(socket_url, headers={"Origin": base})
        await socket.send_json({"type": "ping"})
        await socket.close()
        foreign = await session.get(socket_url, headers={"Origin": "https://evil.example"})
        assert foreign.status == 403
        widget = await session.ws_connect(f"{base}/chat/ws", headers={"Origin": base})
        await widget.close()
