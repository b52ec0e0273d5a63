"""`kill -USR1 <gateway pid>` logs where every open task of the gateway is waiting.

Code locations only (file, line, function), never data, so an operator can see what a stuck
gateway waits for without a debugger and without any message text reaching the log.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from types import FrameType
from typing import Any

from aiohttp import web

from bot.web.app_keys import RASA

log = logging.getLogger(__name__)


def _frames(awaitable: Any) -> list[FrameType]:
    """The chain of frames a task is suspended in, outermost first."""
    frames = []
    while awaitable is not None:
        frame = getattr(awaitable, "cr_frame", None) or getattr(awaitable, "gi_frame", None)
        if frame is None:
            frame = getattr(awaitable, "ag_frame", None)
        if frame is not None:
            frames.append(frame)
        awaitable = (
            getattr(awaitable, "cr_await", None)
            or getattr(awaitable, "gi_yieldfrom", None)
            or getattr(awaitable, "ag_await", None)
        )
    return frames


def where_tasks_wait() -> list[str]:
    lines = []
    for task in asyncio.all_tasks():
        chain = " > ".join(
            f"{Path(f.f_code.co_filename).name}:{f.f_lineno} {f.f_code.co_name}"
            for f in _frames(task.get_coro())
        )
        lines.append(f"{task.get_name()}: {chain}")
    return sorted(lines)


def log_tasks(app: web.Application) -> None:
    rasa = app.get(RASA)
    log.warning("Rasa gate: %s", rasa.gate_state() if rasa is not None else "not connected")
    for line in where_tasks_wait():
        log.warning("Task %s", line)


async def install(app: web.Application) -> None:
    """on_startup: SIGUSR1 logs the tasks (where the platform has signals in the event loop)."""
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, log_tasks, app)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals
        log.info("No SIGUSR1 task dump here")
