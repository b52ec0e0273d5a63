"""The gateway's Content-Security-Policy in a real browser (issue 13, item 9): connect-src is
'self' plus the ws/wss form of each allowed origin, never any host.

The widget still connects both on the gateway's own demo page (under the gateway's policy: 'self'
covers the page's own ws: origin) and embedded on an allowed kommun page on another origin
(under that page's policy), while a gateway page cannot open a socket to anywhere else. The
gateway runs for real (aiohttp, SQLite); Rasa is not needed to open a socket. Needs Debian's
chromium (scripts/ensure_chromium.sh).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, WebSocket

from bot.intake_queue.repository import IntakeQueue
from bot.web.app import create_app
from bot.web.settings import GatewaySettings
from tests.e2e.servers import free_port

NO_HANG = 20_000  # ms; only a guard against a hanging test, nothing is timed
GATEWAY = web.AppKey("gateway", str)  # the kommun page's link to the gateway under test

# What a returning visitor has in storage: the privacy notice read, the panel open. So the
# widget opens its socket as the page loads.
RETURNING_VISITOR = """
localStorage.setItem("iop-lotsen-accepted", "1");
sessionStorage.setItem("iop-lotsen-open", "1");
"""


@pytest.fixture
async def kommun_page_server() -> AsyncIterator[TestServer]:
    """The kommun's own site on another origin, embedding the widget from the gateway."""

    async def page(request: web.Request) -> web.Response:
        gateway = request.app[GATEWAY]
        html = (
            '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Mora</title>'
            f'<script src="{gateway}/widget/iop-lotsen.js" data-server="{gateway}" defer>'
            "</script></head><body><main><h1>Föreningsliv</h1></main></body></html>"
        )
        ws = gateway.replace("http://", "ws://")
        policy = f"default-src 'self'; script-src {gateway}; connect-src 'self' {gateway} {ws}"
        return web.Response(
            text=html, content_type="text/html", headers={"Content-Security-Policy": policy}
        )

    app = web.Application()
    app.router.add_get("/", page)
    server = TestServer(app, host="127.0.0.1", port=free_port())
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def gateway(tmp_path: Path, kommun_page_server: TestServer) -> AsyncIterator[TestServer]:
    kommun_origin = f"http://127.0.0.1:{kommun_page_server.port}"
    queue = IntakeQueue.open(f"sqlite:///{tmp_path / 'csp.db'}")
    settings = GatewaySettings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="t",
        database_url=str(queue.engine.url),
        allowed_origins=(kommun_origin,),
        secure_cookies=False,
    )
    # "localhost", not 127.0.0.1: the kommun page's origin must differ from the gateway's.
    server = TestServer(create_app(settings, queue), host="localhost", port=free_port())
    await server.start_server()
    kommun_page_server.app[GATEWAY] = f"http://localhost:{server.port}"
    yield server
    await server.close()
    queue.engine.dispose()


async def widget_socket_opens(page: Page, url: str) -> None:
    """Load the page; the widget's socket to /chat/ws opens: its hello goes out (sent only once
    the gateway has accepted the socket, whatever Rasa is doing)."""
    hello_sent = asyncio.Event()
    sockets: list[WebSocket] = []

    def watch(socket: WebSocket) -> None:
        sockets.append(socket)
        socket.on("framesent", lambda payload: '"hello"' in str(payload) and hello_sent.set())

    page.on("websocket", watch)
    await page.goto(url)
    await asyncio.wait_for(hello_sent.wait(), NO_HANG / 1000)
    assert [s.url.rsplit("/", 2)[-2:] for s in sockets] == [["chat", "ws"]]


async def test_the_widget_connects_on_the_gateways_own_page(
    browser: Browser, gateway: TestServer
) -> None:
    context = await browser.new_context()
    await context.add_init_script(RETURNING_VISITOR)
    page = await context.new_page()
    await widget_socket_opens(page, f"http://localhost:{gateway.port}/")
    await context.close()


async def test_the_widget_connects_from_an_allowed_kommun_page(
    browser: Browser, gateway: TestServer, kommun_page_server: TestServer
) -> None:
    context = await browser.new_context()
    await context.add_init_script(RETURNING_VISITOR)
    page = await context.new_page()
    await widget_socket_opens(page, f"http://127.0.0.1:{kommun_page_server.port}/")
    await context.close()


async def test_a_gateway_page_cannot_open_a_socket_to_another_host(
    browser: Browser, gateway: TestServer
) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"http://localhost:{gateway.port}/")
    elsewhere = f"ws://127.0.0.1:{free_port()}/steal"
    blocked = await page.evaluate(
        """(url) => new Promise((resolve) => {
            document.addEventListener("securitypolicyviolation", (e) =>
                resolve(e.effectiveDirective + " " + e.blockedURI), { once: true });
            try { new WebSocket(url); } catch (e) { resolve("connect-src " + url + " threw"); }
            setTimeout(() => resolve("allowed"), 3000);
        })""",
        elsewhere,
    )
    assert blocked.startswith("connect-src ")
    await context.close()
