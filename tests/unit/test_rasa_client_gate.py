"""The gateway lets only a few user messages into Rasa at once, first come first served."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from bot.web.rasa_client import RasaClient
from tests.aiohttp_app import serve


async def fake_rasa(log: dict) -> tuple[web.AppRunner, str]:
    """A REST channel that takes a while per message and records how many it held at once."""

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        log["arrived"].append(body["message"])
        log["now"] += 1
        log["most"] = max(log["most"], log["now"])
        await asyncio.sleep(0.05)
        log["now"] -= 1
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    return await serve(app)


async def send_all(limit: int, count: int) -> dict:
    log: dict = {"arrived": [], "now": 0, "most": 0}
    runner, url = await fake_rasa(log)
    try:
        async with aiohttp.ClientSession() as session:
            rasa = RasaClient(session, url, None, concurrent_messages=limit)
            tasks = []
            for number in range(count):
                tasks.append(asyncio.create_task(rasa.send(f"c{number}", str(number))))
                await asyncio.sleep(0.002)  # they arrive in this order
            replies = await asyncio.gather(*tasks)
    finally:
        await runner.cleanup()
    for number, reply in enumerate(replies):
        assert reply == [{"recipient_id": f"c{number}", "text": "ok"}]
    return log


async def test_at_most_the_limit_is_in_rasa_and_in_arrival_order() -> None:
    log = await send_all(limit=2, count=8)
    assert log["most"] == 2
    assert log["arrived"] == [str(n) for n in range(8)]


async def test_no_limit_lets_everything_in() -> None:
    log = await send_all(limit=0, count=8)
    assert log["most"] > 2
