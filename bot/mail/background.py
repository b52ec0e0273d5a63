"""The web gateway delivers the outbox itself, every IOP_MAIL_INTERVAL seconds (default 60).

The simplest schedule that works wherever the gateway runs (systemd, compose, scripts/run.sh),
with no extra unit to install. Without IOP_SMTP_HOST it logs once that mail is waiting and
does nothing else. `iop-handlaggare skicka-post` can run beside it (each message goes once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.mail.sender import deliver_pending
from bot.mail.settings import MailSettings, MailSettingsError
from bot.web.app_keys import ENGINE

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 60.0


async def mail_delivery(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: start the loop with the app, stop it with the app."""
    try:
        settings = MailSettings.from_environment()
        settings.check()
    except MailSettingsError as error:
        log.error("Mail is not sent: %s", error)
        yield
        return
    if not settings.configured:
        log.warning(
            "IOP_SMTP_HOST is not set: mail to the registrator and contact persons waits in the "
            "outbox (iop-handlaggare post)"
        )
        yield
        return
    interval = float(os.environ.get("IOP_MAIL_INTERVAL", DEFAULT_INTERVAL))
    task = asyncio.create_task(_deliver_forever(app[ENGINE], settings, interval))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _deliver_forever(engine: Engine, settings: MailSettings, interval: float) -> None:
    while True:
        try:
            report = await asyncio.to_thread(deliver_pending, engine, settings)
            if report.sent or report.failed:
                log.info(
                    "E-post: %d skickade, %d misslyckade", len(report.sent), len(report.failed)
                )
        except Exception:  # a bad round must not stop the next one
            log.exception("Mail delivery failed; next try in %.0f s", interval)
        await asyncio.sleep(interval)
