"""SIGUSR1 on the gateway logs where each task waits: code locations, never data."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from bot.web.app_keys import RASA
from bot.web.diagnostics import install, where_tasks_wait
from bot.web.rasa_client import RasaClient

SECRET = "Mitt personnummer är 19850312-1234"


async def inner_wait(event: asyncio.Event, text: str) -> None:
    await event.wait()


async def outer_wait(event: asyncio.Event, text: str) -> None:
    await inner_wait(event, text)


async def test_each_task_is_shown_with_the_chain_of_functions_it_waits_in() -> None:
    event = asyncio.Event()
    task = asyncio.create_task(outer_wait(event, SECRET), name="stuck-one")
    await asyncio.sleep(0)
    [line] = [line for line in where_tasks_wait() if line.startswith("stuck-one:")]
    assert "outer_wait > " in line and "inner_wait > " in line and "wait" in line
    assert "test_web_diagnostics.py:" in line
    assert SECRET not in line
    event.set()
    await task


async def test_sigusr1_logs_the_tasks_and_the_rasa_gate(caplog) -> None:
    app = {RASA: RasaClient(None, "http://127.0.0.1:1", None, concurrent_messages=2)}  # type: ignore[arg-type]
    await install(app)  # type: ignore[arg-type]
    # Without the handler, SIGUSR1 would end the test run itself.
    assert signal.getsignal(signal.SIGUSR1) not in (signal.SIG_DFL, None)
    event = asyncio.Event()
    task = asyncio.create_task(outer_wait(event, SECRET), name="stuck-two")
    try:
        with caplog.at_level(logging.WARNING, logger="bot.web.diagnostics"):
            os.kill(os.getpid(), signal.SIGUSR1)
            for _ in range(50):
                await asyncio.sleep(0.01)
                if any("stuck-two" in r.getMessage() for r in caplog.records):
                    break
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "value:2" in logged
        assert "stuck-two: " in logged and "inner_wait" in logged
        assert SECRET not in logged
    finally:
        asyncio.get_running_loop().remove_signal_handler(signal.SIGUSR1)
        event.set()
        await task
