"""A case's record downloaded as JSON or PDF (bot/export); each download is audited."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.export.json_export import export_json
from bot.export.pdf_export import render_pdf
from bot.intake_queue.repository import CaseNotFound
from bot.web.app_keys import QUEUE
from bot.web.console.auth import SignedIn, login_required
from bot.web.console.pages.common import record_action


async def _record(request: web.Request) -> dict[str, Any]:
    try:
        return await asyncio.to_thread(request.app[QUEUE].get, request.match_info["reference"])
    except CaseNotFound as error:
        raise web.HTTPNotFound(text=str(error)) from error


@login_required
async def export_case_json(request: web.Request, who: SignedIn) -> web.Response:
    record = await _record(request)
    await record_action(request, who.caseworker.username, "exportera_json", record["reference"])
    return web.Response(
        text=export_json(record),
        content_type="application/json",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{record["reference"]}.json"'},
    )


@login_required
async def export_case_pdf(request: web.Request, who: SignedIn) -> web.Response:
    record = await _record(request)
    pdf = await asyncio.to_thread(render_pdf, record)
    await record_action(request, who.caseworker.username, "exportera_pdf", record["reference"])
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{record["reference"]}.pdf"'},
    )
