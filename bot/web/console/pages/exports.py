"""A case's record downloaded as JSON or PDF (bot/export); each download is audited in the same
transaction that read the record."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from bot.export.json_export import export_json
from bot.export.pdf_export import render_pdf
from bot.intake_queue import use_cases
from bot.intake_queue.repository import CaseNotFound
from bot.web.app_keys import ENGINE
from bot.web.console.auth import SignedIn, login_required

T = TypeVar("T")


async def _export(
    request: web.Request, who: SignedIn, action: str, render: Callable[[dict[str, Any]], T]
) -> tuple[str, T]:
    """The record, rendered, with its audit line written in the same transaction: a download
    that could not be made leaves no line. Returns the reference and what was rendered."""

    def deliver(record: dict[str, Any]) -> tuple[str, T]:
        return record["reference"], render(record)

    try:
        return await asyncio.to_thread(
            use_cases.export_case,
            request.app[ENGINE],
            request.match_info["reference"],
            who.caseworker.username,
            action,
            deliver,
        )
    except CaseNotFound as error:
        raise web.HTTPNotFound(text=str(error)) from error


@login_required
async def export_case_json(request: web.Request, who: SignedIn) -> web.Response:
    reference, text = await _export(request, who, "exportera_json", export_json)
    return web.Response(
        text=text,
        content_type="application/json",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{reference}.json"'},
    )


@login_required
async def export_case_pdf(request: web.Request, who: SignedIn) -> web.Response:
    reference, pdf = await _export(request, who, "exportera_pdf", render_pdf)
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{reference}.pdf"'},
    )
