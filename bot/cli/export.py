"""`exportera`: one case as JSON, HTML or PDF, checked against the record's schema first; each
export is in the audit log with who made it (--som)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import actor, normal, open_queue
from bot.cli.parser import add_actor, add_reference, command
from bot.intake_queue import use_cases
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
    add_actor(export, "vem som exporterar")


def _export(args: argparse.Namespace) -> int:
    """Check, render and write a temporary file in the unit of work that writes the audit
    line; the file gets its name only once the line is committed, so a failed export leaves
    neither a line nor a file, and an exported file always has its line."""
    name = actor(args)
    path = None if args.ut == "-" else _target(normal(args.ref), args.format, args.ut)
    staged = path.with_name(f".{path.name}.{os.getpid()}.tmp") if path else None
    try:
        with open_queue(args) as queue:
            content = use_cases.export_case(
                queue.engine,
                args.ref,
                name,
                f"exportera_{args.format}",
                lambda record: _prepare(record, args.format, staged, path),
            )
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    if path is None or staged is None:
        _to_screen(content)
        return 0
    os.replace(staged, path)
    print(f"Sparade {path}")
    return 0


def _target(reference: str, format_: str, given: str | None) -> Path:
    return Path(given) if given else Path.cwd() / f"{reference}.{format_}"


def _prepare(
    record: dict[str, Any], format_: str, staged: Path | None, path: Path | None
) -> str | bytes:
    """The rendered export, written to the temporary file if there is one; a failed write
    names the file the caseworker asked for, not the temporary one."""
    # Every format, not only JSON: the file a caseworker files must match the contract.
    validate_record(record)
    content = _render(record, format_)
    if staged is None:
        return content
    try:
        if isinstance(content, bytes):
            staged.write_bytes(content)
        else:
            staged.write_text(content, encoding="utf-8")
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error
    return content


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
