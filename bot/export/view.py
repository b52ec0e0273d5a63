"""The record as a caseworker reads it: Swedish labels and words, in the order of the case file.

HTML, PDF and the terminal all render this one view, so a field added here shows up in every
format and no format can quietly leave something out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from bot.export.labels import (
    DECLARATION_METHODS,
    LEGAL_BASIS,
    NOT_GIVEN,
    SPEAKERS,
    answer_label,
    format_date,
    format_time,
    status_label,
    text_or_default,
    verdict_label,
)
from bot.intake.choices import CONTRIBUTION_KINDS, DELIVERY_METHODS, LEGAL_FORMS, label_of
from bot.intake.fields import (
    IntakeField,
    Kind,
    Shown,
    field,
    shown_in,
)
from bot.intake.fields import Section as IntakeSection
from bot.intake.statuses import DeclarationStatus, DocumentStatus
from bot.record import DECLARATION_METHOD

# The contribution kinds are read out of free text; say so when none could be recognised.
NOT_CLASSIFIED = "Kunde inte avgöras ur svaret"


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    href: str | None = None  # a web or mail link, so HTML and PDF can make it clickable


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class ChecklistRow:
    statement: str
    answer: str


@dataclass(frozen=True)
class DocumentRow:
    name: str
    status: str
    year: str
    delivery: str
    link: str | None


@dataclass(frozen=True)
class HistoryRow:
    at: str
    from_status: str
    to_status: str
    actor: str
    note: str


@dataclass(frozen=True)
class Utterance:
    at: str
    speaker: str
    text: str
    from_user: bool


@dataclass(frozen=True)
class RecordView:
    reference: str
    organisation_name: str
    kommun: str
    status: str
    submitted: str
    case: Section
    organisation: Section
    contact: Section
    initiative: Section
    checklist_source: str
    verdict: str
    # Criteria answered "nej" or "vet inte": what the caseworker should look at first.
    look_at_first: tuple[str, ...]
    checklist: tuple[ChecklistRow, ...]
    documents: tuple[DocumentRow, ...]
    missing_documents: tuple[str, ...]
    declaration: Section
    declaration_text: str
    personal_data: Section
    history: tuple[HistoryRow, ...]
    transcript: tuple[Utterance, ...]

    def sections(self) -> tuple[Section, ...]:
        """The plain label/value sections, in reading order (for simple renderers)."""
        return (self.case, self.organisation, self.contact, self.initiative)


def build_view(record: dict[str, Any]) -> RecordView:
    """Turn a stored record (as `IntakeQueue.get()` returns it) into the caseworker's view."""
    organisation = record["organisation"]
    statements = {a["criterion_id"]: a["statement"] for a in record["checklist"]["answers"]}
    return RecordView(
        reference=record["reference"],
        organisation_name=organisation["name"],
        kommun=record["kommun"]["name"],
        status=status_label(record.get("status")),
        submitted=format_date(record["submitted_at"]),
        case=_case(record),
        organisation=_intake_section("Organisation", IntakeSection.ORGANISATION, record),
        contact=_intake_section("Kontaktperson", IntakeSection.CONTACT, record),
        initiative=_intake_section(
            "Initiativet",
            IntakeSection.INITIATIVE,
            record,
            derived={"contribution": _contribution_kinds(record)},
        ),
        checklist_source=record["checklist"]["source"],
        verdict=verdict_label(record["checklist"]["verdict"]),
        look_at_first=tuple(
            statements.get(c, c) for c in record["checklist"].get("look_at_first", [])
        ),
        checklist=tuple(
            ChecklistRow(a["statement"], answer_label(a["answer"]))
            for a in record["checklist"]["answers"]
        ),
        documents=tuple(_document(d) for d in record["documents"]),
        missing_documents=_missing_documents(record),
        declaration=_declaration(record["declaration"]),
        declaration_text=record["declaration"]["text"],
        personal_data=_personal_data(record),
        history=tuple(_history(h) for h in record.get("status_history", [])),
        transcript=tuple(utterance(u) for u in record.get("transcript", [])),
    )


def _case(record: dict[str, Any]) -> Section:
    return Section(
        "Ärendet",
        (
            Field("Referens", record["reference"]),
            Field("Kommun", record["kommun"]["name"]),
            Field("Status", status_label(record.get("status"))),
            Field("Handläggare", record.get("assigned_to") or "Ingen ännu"),
            Field("Inlämnat", format_time(record["submitted_at"])),
            Field("Samtalet påbörjades", format_time(record["created_at"])),
            Field("Kommunens riktlinje, version", record["profile_version"]),
            Field("Samtalsreferens", record["conversation_id"]),
        ),
    )


def _intake_section(
    title: str,
    section: IntakeSection,
    record: dict[str, Any],
    derived: dict[str, Field] | None = None,
) -> Section:
    """The section's exported fields, in the order asked, under their one declared label; what the
    record derives from an answer (`derived`, by field id) follows that answer."""
    rows = []
    for intake_field in shown_in(Shown.EXPORT, section):
        rows.append(_row(intake_field, record))
        if derived and intake_field.id in derived:
            rows.append(derived[intake_field.id])
    return Section(title, tuple(rows))


def _contribution_kinds(record: dict[str, Any]) -> Field:
    kinds = record["initiative"].get("contribution_kinds", [])
    labels = [label_of(k, CONTRIBUTION_KINDS) for k in kinds]
    return Field("Typ av insats", ", ".join(labels) or NOT_CLASSIFIED)


def _row(intake_field: IntakeField, record: dict[str, Any]) -> Field:
    """One answer as the record keeps it; skipped ones say that nothing was given."""
    label = intake_field.label
    if intake_field.kind is Kind.PARTNERS:
        return Field(label, _partners(record.get("partners", [])))
    group, key = (intake_field.record_path or "").split(".")
    value = record[group].get(key)
    if intake_field.kind is Kind.LEGAL_FORM:
        return Field(label, label_of(value, LEGAL_FORMS))
    if value in (None, ""):
        return Field(label, text_or_default(value))
    links = {Kind.URL: str(value), Kind.EMAIL: f"mailto:{value}", Kind.PHONE: f"tel:{value}"}
    return Field(label, str(value), href=links.get(intake_field.kind))


def _partners(partners: list[dict[str, Any]]) -> str:
    together = "; ".join(
        f"{p['name']} ({p['orgnr']}, {label_of(p['legal_form'], LEGAL_FORMS)})" for p in partners
    )
    return together or "Inga"


def _document(document: dict[str, Any]) -> DocumentRow:
    delivers = document["status"] != DocumentStatus.MISSING
    return DocumentRow(
        name=document["name"],
        status=DocumentStatus.label_for(document["status"]),
        year=document.get("year") or "–",
        delivery=label_of(document.get("delivery"), DELIVERY_METHODS) if delivers else "–",
        link=document.get("link"),
    )


def _missing_documents(record: dict[str, Any]) -> tuple[str, ...]:
    """Names with their status, so the caseworker knows what to ask for and what to wait for."""
    by_id = {d["id"]: d for d in record["documents"]}
    missing = []
    for document_id in record["missing_documents"]:
        document = by_id.get(document_id)
        if document is None:
            missing.append(document_id)
        else:
            status = DocumentStatus.label_for(document["status"]).lower()
            missing.append(f"{document['name']} ({status})")
    return tuple(missing)


def _declaration(declaration: dict[str, Any]) -> Section:
    signatory = declaration.get("signatory")
    fields = [Field("Status", DeclarationStatus.label_for(declaration["status"]))]
    if signatory:
        method = declaration.get("method", DECLARATION_METHOD)  # version 1: also in the chat
        fields += [
            Field("Sätt", DECLARATION_METHODS.get(method, method)),
            Field(field("signatory_name").label, signatory["name"]),
            Field(field("signatory_role").label, text_or_default(signatory.get("role"))),
            Field("Organisation", signatory["organisation"]),
            Field("Intygande", declaration.get("statement") or NOT_GIVEN),
        ]
    fields += [
        Field("Tidpunkt", format_time(declaration["at"])),
        Field("Version av intyget", declaration["version"]),
        Field("SHA-256 för texten", declaration["text_sha256"]),
        Field("Kontroll", _hash_check(declaration)),
    ]
    return Section(field("declaration").label, tuple(fields))


def _hash_check(declaration: dict[str, Any]) -> str:
    """A fingerprint only helps if someone compares it; the export does that for the reader."""
    actual = hashlib.sha256(declaration["text"].encode("utf-8")).hexdigest()
    if actual == declaration["text_sha256"]:
        return "Intygets text stämmer med kontrollsumman."
    return "VARNING: intygets text stämmer inte med kontrollsumman."


def _personal_data(record: dict[str, Any]) -> Section:
    """The information notice shown; records of schema version 1 asked for consent instead."""
    if "consent" in record:
        consent = record["consent"]
        return Section(
            "Personuppgifter",
            (
                Field(
                    "Samtycke (version 1 av posten)",
                    "Lämnat" if consent.get("given") else "Ej lämnat",
                ),
                Field("Tidpunkt", format_time(consent.get("at"))),
                Field("Integritetsinformation, version", consent["privacy_notice_version"]),
            ),
        )
    notice = record.get("privacy_notice") or {}
    return Section(
        "Personuppgifter",
        (
            Field("Rättslig grund", LEGAL_BASIS),
            Field("Information om behandlingen visad", format_time(notice.get("shown_at"))),
            Field("Informationens version", text_or_default(notice.get("version"))),
        ),
    )


def _history(entry: dict[str, Any]) -> HistoryRow:
    return HistoryRow(
        at=format_time(entry["at"]),
        from_status=status_label(entry.get("from_status")),
        to_status=status_label(entry["to_status"]),
        actor=entry["actor"],
        note=entry.get("note") or "",
    )


def _speaker(entry: dict[str, Any]) -> str:
    label = SPEAKERS.get(entry["sender"], entry["sender"])
    return f"{label} {entry['name']}" if entry.get("name") else label


def utterance(entry: dict[str, Any]) -> Utterance:
    return Utterance(
        at=format_time(entry["at"]),
        speaker=_speaker(entry),
        text=entry["text"],
        from_user=entry["sender"] == "user",
    )
