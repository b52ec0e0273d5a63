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
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.intake_queue.accounts import create_account
from bot.intake_queue.repository import IntakeQueue
from bot.web.app import create_app
from bot.web.settings import GatewaySettings
from tests.e2e.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "nginx" / "iop-lotsen.conf"
NGINX = Path("/usr/sbin/nginx")
PASSWORD = "ett långt och bra lösenord 42"


def public_server_block(port: int, cert: Path, key: Path, gateway: int) -> str:
    """The example's TLS server block and its upgrade map, pointed at this test's processes."""
    text = EXAMPLE.read_text(encoding="utf-8")
    upgrade_map = re.search(r"map \$http_upgrade \$iop_connection_upgrade \{.*?\n\}", text, re.S)
    server = re.search(r"server \{\n    listen 443 ssl http2;.*?\n\}", text, re.S)
    assert upgrade_map and server, "deploy/nginx/iop-lotsen.conf changed shape"
    block = server.group(0)
    block = block.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;")
    block = re.sub(r"\n    listen \[::\]:443 ssl http2;", "", block)
    block = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", block)
    block = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", block)
    block = re.sub(r"access_log [^;]+;", "access_log off;", block)
    block = re.sub(r"ssl_session_cache [^;]+;", "", block)
    block = block.replace("http://127.0.0.1:8080", f"http://127.0.0.1:{gateway}")
    return upgrade_map.group(0) + "\n" + block


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, made here (no network, no openssl binary)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


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
