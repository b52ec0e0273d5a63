"""A console tab whose session ends stops working (issue 13, item 5): the real aiohttp app, a
real console socket and the queue on SQLite and on a real PostgreSQL server.

Logging out closes that tab's socket at once; blocking an account (the CLI, another process)
closes it on its next frame or on the socket's own regular re-check; a blocked or logged-out
caseworker never counts as online; a page follows only a live handoff it may see.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.intake_queue.accounts import create_account, set_active
from bot.intake_queue.console_sessions import caseworkers_available
from bot.intake_queue.handoffs import HandoffRequest, Handoffs, Kind
from bot.intake_queue.repository import IntakeQueue
from bot.web.app import create_app
from bot.web.app_keys import HUB
from bot.web.console import live
from bot.web.hub import SIGNED_OUT, SIGNED_OUT_CODE
from bot.web.settings import GatewaySettings
from tests.e2e.servers import free_port
from tests.integration.console_login import PASSWORD, log_in, login_token
from tests.postgres import fresh_database

# Only a guard against a test hanging for ever when a socket is wrongly left open; nothing
# here measures time.
NO_HANG = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[IntakeQueue]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sessions.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = fresh_database(server, f"sess_{uuid.uuid4().hex[:10]}")
    queue = IntakeQueue.open(url)
    create_account(queue.engine, "anna", "Anna Berg", PASSWORD)
    create_account(queue.engine, "bo", "Bo Ek", PASSWORD)
    yield queue
    queue.engine.dispose()


def _settings(queue: IntakeQueue) -> GatewaySettings:
    return GatewaySettings(
        rasa_url=f"http://127.0.0.1:{free_port()}",  # Rasa is not needed here
        rasa_token="t",
        database_url=str(queue.engine.url),
        allowed_origins=(),
        secure_cookies=False,
    )


@pytest.fixture
async def server(queue: IntakeQueue) -> AsyncIterator[TestServer]:
    server = TestServer(create_app(_settings(queue), queue))
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def client(server: TestServer) -> AsyncIterator[TestClient]:
    async with TestClient(server) as test_client:
        yield test_client


@pytest.fixture
async def other_tab(server: TestServer) -> AsyncIterator[TestClient]:
    """A second browser: its own cookie jar, so its own session."""
    async with TestClient(server) as test_client:
        yield test_client


async def open_console(client: TestClient) -> tuple[str, aiohttp.ClientWebSocketResponse]:
    csrf = await log_in(client)
    socket = await client.ws_connect(f"/handlaggare/ws?csrf={csrf}")
    await socket.send_json({"type": "ping"})  # the console's first ping: online from now on
    return csrf, socket


def block_in_the_database(queue: IntakeQueue, username: str) -> None:
    with queue.engine.begin() as connection:
        connection.execute(
            text("UPDATE iop_caseworkers SET active = false WHERE username = :u"), {"u": username}
        )


async def assert_signed_out(socket: aiohttp.ClientWebSocketResponse) -> None:
    """The page is told in Swedish, then the socket is closed with the 'signed out' code."""
    frame = await socket.receive_json(timeout=NO_HANG)
    assert frame == {"type": "error", "text": SIGNED_OUT, "signed_out": True}
    closing = await socket.receive(timeout=NO_HANG)
    assert (closing.type, closing.data) == (WSMsgType.CLOSE, SIGNED_OUT_CODE)


async def test_logging_out_closes_the_open_console_socket_at_once(
    client: TestClient, queue: IntakeQueue
) -> None:
    csrf, socket = await open_console(client)
    assert caseworkers_available(queue.engine)
    response = await client.post(
        "/handlaggare/logga-ut", data={"csrf_token": csrf}, allow_redirects=False
    )
    assert response.status == 303
    await assert_signed_out(socket)  # without sending anything: the hub closed it
    assert not caseworkers_available(queue.engine)
    again = await client.get(f"/handlaggare/ws?csrf={csrf}")
    assert again.status == 403


async def test_logging_out_in_one_tab_leaves_another_session_alone(
    client: TestClient, other_tab: TestClient
) -> None:
    csrf, mine = await open_console(client)
    _, theirs = await open_console(other_tab)  # anna in a second browser
    await client.post("/handlaggare/logga-ut", data={"csrf_token": csrf})
    await assert_signed_out(mine)
    await theirs.send_json({"type": "say", "handoff": 424242, "text": "hej"})
    assert (await theirs.receive_json(timeout=NO_HANG))["type"] == "error"  # answered: still open
    assert not theirs.closed
    await theirs.close()


async def test_a_blocked_account_loses_its_socket_on_the_next_frame(
    client: TestClient, queue: IntakeQueue
) -> None:
    _, socket = await open_console(client)
    set_active(queue.engine, "anna", False)  # as `iop-handlaggare konto spärra anna` does
    assert not caseworkers_available(queue.engine)
    await socket.send_json({"type": "ping"})
    await assert_signed_out(socket)


async def test_a_quiet_socket_of_a_blocked_account_is_closed_by_its_own_recheck(
    client: TestClient, queue: IntakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 0 < live.SESSION_CHECK_SECONDS <= 60  # the real re-check: at least every minute
    monkeypatch.setattr(live, "SESSION_CHECK_SECONDS", 0.2)
    _, socket = await open_console(client)
    # Blocked directly in the database, as an older version or another tool would: the session
    # row is not even ended, yet the account's state alone takes the socket away.
    block_in_the_database(queue, "anna")
    await assert_signed_out(socket)  # no frame sent: the socket's own re-check found it


async def test_a_blocked_account_never_counts_as_online(
    client: TestClient, queue: IntakeQueue
) -> None:
    _, socket = await open_console(client)
    assert caseworkers_available(queue.engine)
    block_in_the_database(queue, "anna")  # blocked, but the session row still open
    assert not caseworkers_available(queue.engine)
    set_active(queue.engine, "anna", False)  # blocked as the CLI does: the sessions end too
    set_active(queue.engine, "anna", True)  # unblocked: the old tab does not come back online
    assert not caseworkers_available(queue.engine)
    await socket.send_json({"type": "ping"})
    await assert_signed_out(socket)


async def test_a_page_follows_only_a_live_handoff_it_may_see(
    client: TestClient, queue: IntakeQueue
) -> None:
    handoffs = Handoffs(queue.engine)
    waiting = handoffs.request(HandoffRequest("conv-wait", Kind.LIVE, []))
    bos = handoffs.request(HandoffRequest("conv-bo", Kind.LIVE, []))
    handoffs.claim(bos.id, "bo")
    callback = handoffs.request(
        HandoffRequest("conv-cb", Kind.CALLBACK, [], contact={"phone": "070-1"})
    )
    closed = handoffs.request(HandoffRequest("conv-closed", Kind.LIVE, []))
    handoffs.close(closed.id)
    _, socket = await open_console(client)
    refused = (bos.id, callback.id, closed.id, 999999)
    for handoff_id in (*refused, waiting.id):
        await socket.send_json({"type": "join", "handoff": handoff_id})
    # Frames are handled in order: once this one is answered, every join above is done.
    await socket.send_json({"type": "say", "handoff": 999999, "text": "hej"})
    assert (await socket.receive_json(timeout=NO_HANG))["type"] == "error"
    # What the hub sends about the others never reaches Anna's page; her waiting one does, and
    # it was sent last, so anything wrongly delivered would have come first.
    hub = client.server.app[HUB]
    for handoff_id in refused:
        await hub.to_consoles(
            {"type": "user", "text": "hemligt", "handoff": handoff_id}, handoff_id
        )
    await hub.to_consoles({"type": "user", "text": "väntar", "handoff": waiting.id}, waiting.id)
    assert (await socket.receive_json(timeout=NO_HANG))["text"] == "väntar"
    await socket.close()


async def test_a_failed_login_leaves_no_unknown_username_in_the_audit_log(
    client: TestClient, queue: IntakeQueue
) -> None:
    from bot.intake_queue import audit

    for username in ("eva.lund@mora.se", "anna"):
        token = await login_token(client)
        response = await client.post(
            "/handlaggare/logga-in",
            data={"username": username, "password": "fel-lösenord-123", "csrf_token": token},
        )
        assert response.status == 401
    failed = [e.actor for e in audit.entries(queue.engine) if e.action == audit.FAILED_LOGIN]
    assert failed[0] == "anna"
    assert failed[1].startswith(audit.UNKNOWN_USERNAME) and "eva" not in failed[1]


async def test_an_unreadable_form_is_a_polite_400(client: TestClient) -> None:
    """Bytes that are not UTF-8 in a signed-in form post: refused, never a server error."""
    await log_in(client)
    response = await client.post(
        "/handlaggare/tillganglig",
        data=b"available=\xf0\x28\x8c\x28&csrf_token=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 400
    assert "Formuläret gick inte att läsa" in await response.text()
