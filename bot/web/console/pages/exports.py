"""A case's record downloaded as JSON or PDF (bot/export); each download is audited in the same
transaction that read the record."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.export.json_export import export_json
from bot.export.pdf_export import render_pdf
from bot.intake_queue import use_cases
from bot.intake_queue.repository import CaseNotFound
from bot.web.app_keys import ENGINE
from bot.web.console.auth import SignedIn, login_required


async def _export(
    request: web.Request, who: SignedIn, action: str, render: Callable[[dict[str, Any]], bytes]
) -> tuple[str, bytes]:
    """The record, rendered, with its audit line written in the same transaction: a download
    that could not be made leaves no line. Returns the reference and what was rendered."""

    def deliver(record: dict[str, Any]) -> tuple[str, bytes]:
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


def _download(
    action: str,
    render: Callable[[dict[str, Any]], bytes],
    extension: str,
    content_type: str,
    charset: str | None = None,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The handler of one download format: the same audit, file name and answer for each."""

    @login_required
    async def download(request: web.Request, who: SignedIn) -> web.Response:
        reference, body = await _export(request, who, action, render)
        return web.Response(
            body=body,
            content_type=content_type,
            charset=charset,
            headers={"Content-Disposition": f'attachment; filename="{reference}.{extension}"'},
        )

    return download


def _json_bytes(record: dict[str, Any]) -> bytes:
    return export_json(record).encode("utf-8")


export_case_json = _download("exportera_json", _json_bytes, "json", "application/json", "utf-8")
export_case_pdf = _download("exportera_pdf", render_pdf, "pdf", "application/pdf")
