"""The record as plain text for `iop-handlaggare visa`: the facts a caseworker needs at a glance.

The full transcript is left out on purpose (it can run to hundreds of lines); the HTML and PDF
exports have it.
"""

from __future__ import annotations

import textwrap
from typing import Any

from bot.export.labels import LOOK_AT_FIRST, SELF_ASSESSMENT
from bot.export.view import RecordView, Section, build_view

WIDTH = 100
LABEL_WIDTH = 30


def render_text(record: dict[str, Any]) -> str:
    view = build_view(record)
    parts = [
        f"{view.reference}  {view.organisation_name}\nStatus: {view.status}",
        *(_section(section) for section in view.sections()),
        _checklist(view),
        _documents(view),
        _section(view.declaration),
        _history(view),
        f"Samtalet: {len(view.transcript)} meddelanden. Hela samtalet finns i exporten:\n"
        f"  iop-handlaggare exportera {view.reference} --format pdf",
    ]
    return "\n\n".join(parts) + "\n"


def _title(text: str) -> str:
    return f"{text}\n{'=' * len(text)}"


def _field(label: str, value: str) -> str:
    """`Label:` in a fixed column, the value wrapped beside it; the value's own line breaks stay."""
    indent = " " * (LABEL_WIDTH + 1)
    lines = []
    for paragraph in value.splitlines() or [""]:
        lines += textwrap.wrap(
            paragraph, WIDTH - len(indent), break_long_words=True, break_on_hyphens=False
        ) or [""]
    head = f"{label + ':':<{LABEL_WIDTH}} {lines[0]}"
    return "\n".join([head, *(indent + line for line in lines[1:])]).rstrip()


def _section(section: Section) -> str:
    return "\n".join([_title(section.title), *(_field(f.label, f.value) for f in section.fields)])


def _checklist(view: RecordView) -> str:
    lines = [_title("Checklistan"), _field(SELF_ASSESSMENT, view.verdict)]
    if view.look_at_first:
        lines.append(f"{LOOK_AT_FIRST}:")
        lines += [
            textwrap.fill(s, WIDTH, initial_indent="  • ", subsequent_indent="    ")
            for s in view.look_at_first
        ]
    lines += [
        textwrap.fill(
            f"[{row.answer}] {row.statement}", WIDTH, initial_indent="  ", subsequent_indent="    "
        )
        for row in view.checklist
    ]
    return "\n".join(lines)


def _documents(view: RecordView) -> str:
    lines = [_title("Handlingar")]
    lines += [f"  {d.status:<14} {d.name}" for d in view.documents]
    if view.missing_documents:
        lines.append("Saknas eller kommer senare:")
        lines += [f"  - {name}" for name in view.missing_documents]
    return "\n".join(lines)


def _history(view: RecordView) -> str:
    lines = [_title("Statushistorik")]
    for entry in view.history:
        change = (
            entry.to_status
            if entry.from_status in ("–", entry.to_status)
            else f"{entry.from_status} → {entry.to_status}"
        )
        note = f" – {entry.note}" if entry.note else ""
        lines.append(f"  {entry.at}  {change} ({entry.actor}){note}")
    return "\n".join(lines)
