"""Issue 13, item 2: the id the browser holds is a secret that never leaves the gateway; Rasa,
the database and the logs see only the conversation reference derived from it, and a reference
read in an export or on the console opens nothing.

The real gateway in front of a stand-in Rasa over HTTP, driven through /chat/ws.
"""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import inspect, text

from bot.web.session_keys import REFERENCE, conversation_reference, valid_secret
from tests.integration.gateway_world import RASA_TOKEN, answered, receive, running_gateway
from tests.integration.rasa_standin import StandInRasa


async def test_rasa_the_database_and_the_logs_never_see_the_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_gateway(tmp_path) as gateway, aiohttp.ClientSession() as client:
        async with client.ws_connect(gateway.url("/chat/ws")) as ws:
            await ws.send_json({"type": "hello", "session": None})
            session = await receive(ws)
            secret = session["id"]
            assert valid_secret(secret)
            await ws.send_json({"type": "message", "text": "Hej"})
            await answered(ws)
            await ws.send_json({"type": "human"})  # a handoff row in the database
            await answered(ws)
        reference = conversation_reference(secret)
        assert REFERENCE.match(reference) and reference != secret
        # Rasa knows the conversation by its reference only.
        assert gateway.rasa.senders() == {reference}
        assert reference in gateway.rasa.events
        for request in gateway.rasa.requests:
            seen = " ".join([request.path, request.query, request.body, *request.headers.values()])
            assert secret not in seen
        # The handoff is stored under the reference; the secret is nowhere in the database.
        with gateway.queue.engine.connect() as connection:
            dump = []
            for table in inspect(connection).get_table_names():
                dump += [str(tuple(r)) for r in connection.execute(text(f"SELECT * FROM {table}"))]
        everything = "\n".join(dump)
        assert reference in everything
        assert secret not in everything
    assert all(secret not in r.getMessage() for r in caplog.records)


async def test_a_reference_from_an_export_starts_a_new_conversation(tmp_path: Path) -> None:
    async with running_gateway(tmp_path) as gateway, aiohttp.ClientSession() as client:
        async with client.ws_connect(gateway.url("/chat/ws")) as ws:
            await ws.send_json({"type": "hello", "session": None})
            secret = (await receive(ws))["id"]
            await ws.send_json({"type": "message", "text": "Min e-post är eva@example.se"})
            await answered(ws)
        reference = conversation_reference(secret)  # what the console and exports show
        before = len(gateway.rasa.requests)

        async with client.ws_connect(gateway.url("/chat/ws")) as intruder:
            await intruder.send_json({"type": "hello", "session": reference})
            session = await receive(intruder)
        assert session["history"] == []
        assert session["id"] not in (reference, secret) and valid_secret(session["id"])
        # Not even a read of the real conversation happened.
        assert reference not in {
            r.headers.get("X-Iop-Conversation") for r in gateway.rasa.requests[before:]
        }

        async with client.ws_connect(gateway.url("/chat/ws")) as owner:
            await owner.send_json({"type": "hello", "session": secret})
            again = await receive(owner)
        assert again["id"] == secret
        assert again["history"][0]["text"] == "Min e-post är eva@example.se"


async def test_rasa_errors_are_logged_without_urls_ids_or_token(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rasa = StandInRasa()
    rasa.failing = {"tracker": 1, "webhook": 1}
    async with (
        running_gateway(tmp_path, rasa) as gateway,
        aiohttp.ClientSession() as client,
        client.ws_connect(gateway.url("/chat/ws")) as ws,
    ):
        await ws.send_json({"type": "hello", "session": None})
        secret = (await receive(ws))["id"]
        # Reconnecting with the kept secret reads the tracker (a new conversation reads nothing).
        await ws.send_json({"type": "hello", "session": secret})
        assert (await receive(ws))["history"] == []
        await ws.send_json({"type": "message", "text": "Hej"})
        error = (await answered(ws))[-1]
        assert error["type"] == "error"
    reference = conversation_reference(secret)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert "Rasa answered 500 to GET tracker" in logged
    assert "Rasa answered 500 to POST webhook" in logged
    for leak in (reference, secret, RASA_TOKEN, "http://", "/conversations/"):
        assert leak not in logged


async def test_a_new_conversation_asks_rasa_nothing_until_its_first_message(
    tmp_path: Path,
) -> None:
    """Opening the widget creates no conversation in Rasa's tracker store; writing does."""
    async with running_gateway(tmp_path) as gateway, aiohttp.ClientSession() as client:
        async with client.ws_connect(gateway.url("/chat/ws")) as ws:
            await ws.send_json({"type": "hello", "session": None})
            session = await receive(ws)
            assert session["history"] == [] and session["progress"] is None
            assert session["handoff"] is None and valid_secret(session["id"])
            assert gateway.rasa.requests == []
            await ws.send_json({"type": "message", "text": "Vad är IOP?"})
            await answered(ws)
        assert gateway.rasa.senders() == {conversation_reference(session["id"])}
