"""`exportera`: one case as JSON, HTML or PDF, checked against the record's schema first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import open_queue
from bot.cli.parser import add_reference, command
from bot.record import validate_record

FORMATS = ("json", "html", "pdf")


def register(commands: Any) -> None:
    """Add `exportera`."""
    export = command(
        commands, "exportera", "exportera ett ärende som JSON, HTML eller PDF", _export
    )
    add_reference(export)
    export.add_argument("--format", choices=FORMATS, required=True, help="filformat")
    export.add_argument(
        "--ut", metavar="FIL", help="filen att skriva (standard: REF.format här; - = skärmen)"
    )


def _export(args: argparse.Namespace) -> int:
    with open_queue(args) as queue:
        record = queue.get(args.ref)
    # Every format, not only JSON: the file a caseworker files must match the contract.
    validate_record(record)
    content = _render(record, args.format)
    if args.ut == "-":
        _to_screen(content)
        return 0
    path = Path(args.ut) if args.ut else Path.cwd() / f"{record['reference']}.{args.format}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    print(f"Sparade {path}")
    return 0


def _to_screen(content: str | bytes) -> None:
    """Text as text; a PDF's bytes straight to the binary stream, after any text already out."""
    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)


def _render(record: dict[str, Any], format_: str) -> str | bytes:
    """Imported when used: fpdf2 and Jinja2 are not needed to list cases."""
    if format_ == "json":
        from bot.export.json_export import export_json

        return export_json(record)
    if format_ == "html":
        from bot.export.html_export import render_html

        return render_html(record)
    from bot.export.pdf_export import render_pdf

    return render_pdf(record)
