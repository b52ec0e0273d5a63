"""The gateway's calls to Rasa (issue 13, items 2 and 10): a message waits only so long for a
slot, and an error names the call and the status, never the URL with its id and token."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from bot.web.rasa_client import RasaBusy, RasaClient, RasaUnavailable
from tests.aiohttp_app import serve
from tests.e2e.servers import free_port

SENDER = "s" + "0123456789abcdef" * 2
TOKEN = "rasa-token-9c1e"


async def slow_rasa() -> tuple[web.AppRunner, str]:
    async def webhook(request: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.json_response([{"text": "ok"}])

    async def failing(request: web.Request) -> web.Response:
        return web.json_response({"message": f"failed {request.url}"}, status=500)

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/conversations/{sender}/tracker", failing)
    return await serve(app)


async def test_a_message_that_waits_too_long_for_a_slot_is_not_sent() -> None:
    runner, url = await slow_rasa()
    try:
        async with aiohttp.ClientSession() as session:
            rasa = RasaClient(session, url, None, concurrent_messages=1, slot_wait=0.1)
            first = asyncio.create_task(rasa.send("a", "först"))
            await asyncio.sleep(0.05)
            with pytest.raises(RasaBusy):
                await rasa.send("b", "sedan")
            assert await first == [{"text": "ok"}]
            assert await rasa.send("c", "nu finns plats") == [{"text": "ok"}]  # slot given back
    finally:
        await runner.cleanup()


async def test_errors_name_the_call_and_status_only() -> None:
    runner, url = await slow_rasa()
    try:
        async with aiohttp.ClientSession() as session:
            rasa = RasaClient(session, url, TOKEN)
            with pytest.raises(RasaUnavailable) as answered:
                await rasa.tracker(SENDER)
            gone = RasaClient(session, f"http://127.0.0.1:{free_port()}", TOKEN)
            with pytest.raises(RasaUnavailable) as refused:
                await gone.tracker(SENDER)
    finally:
        await runner.cleanup()
    assert str(answered.value) == "Rasa answered 500 to GET tracker"
    for error in (answered.value, refused.value):
        # No chained client error, whose text and traceback have the URL.
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__
        text = str(error)
        for leak in (SENDER, TOKEN, "http", "127.0.0.1"):
            assert leak not in text
