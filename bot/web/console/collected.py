"""What the bot had collected when a handoff was asked for, as labelled sections for the console.

The handoff stores plain ids (criterion ids, intake field ids, choice ids); the caseworker reads
the checklist statements and Swedish labels, in the order the bot asked.
"""

from __future__ import annotations

from typing import Any

from bot.export.labels import answer_label
from bot.export.view import Field, Section
from bot.intake.choices import LEGAL_FORMS, label_of
from bot.intake.fields import Shown, shown_in
from bot.intake.statuses import DocumentStatus
from bot.profile import Profile
from bot.web.texts import (
    COLLECTED_CHECKLIST,
    COLLECTED_DOCUMENTS,
    COLLECTED_INTAKE,
    COLLECTED_OTHER,
)


def collected_sections(collected: dict[str, Any], profile: Profile) -> list[Section]:
    sections = []
    answers = collected.get("checklist") or {}
    if answers:
        rows = tuple(
            Field(c.statement, answer_label(answers[c.id]))
            for c in profile.criteria
            if c.id in answers
        )
        sections.append(Section(COLLECTED_CHECKLIST, rows))
    intake = collected.get("intake") or {}
    values = intake.get("values") or {}
    if values:
        rows = tuple(
            Field(f.label, _value(f.id, values[f.id]))
            for f in shown_in(Shown.CONSOLE)
            if values.get(f.id) not in (None, "")
        )
        sections.append(Section(COLLECTED_INTAKE, rows))
    documents = intake.get("documents") or {}
    if documents:
        rows = tuple(
            Field(_document_name(profile, doc_id), _document_status(entry))
            for doc_id, entry in documents.items()
        )
        sections.append(Section(COLLECTED_DOCUMENTS, rows))
    known = {"checklist", "intake"}
    other = {k: v for k, v in collected.items() if k not in known and v not in (None, "", {})}
    if other:
        sections.append(
            Section(COLLECTED_OTHER, tuple(Field(str(k), _text(v)) for k, v in other.items()))
        )
    return sections


def _value(field_id: str, value: Any) -> str:
    if field_id == "org_legal_form":
        return label_of(str(value), LEGAL_FORMS)
    return _text(value)


def _document_name(profile: Profile, doc_id: str) -> str:
    try:
        return profile.document(doc_id).name
    except KeyError:
        return doc_id


def _document_status(entry: Any) -> str:
    if isinstance(entry, dict) and entry.get("status"):
        return DocumentStatus.label_for(entry["status"])
    return _text(entry)


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)
