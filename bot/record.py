"""The initiative record: what the kommun receives, built from one finished intake.

Independent of Rasa and of the database. The JSON Schema in bot/schemas is the contract with the
kommun's registration (diarium); every record is validated against it before it is stored and
again when it is exported.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from bot.assessment import Answer, assess
from bot.intake.choices import CONTRIBUTION_KINDS, mentioned
from bot.intake.fields import in_record_group, required_fields
from bot.intake.state import IntakeState
from bot.intake.statuses import DeclarationStatus, DocumentStatus
from bot.profile import Document, Profile

# Version 2 (2026-12): no consent (the legal basis is GDPR art. 6.1 e), the information notice
# shown instead, the criteria to look at first, and how the declaration was given. Records stored
# under version 1 are still validated against version 1.
SCHEMA_VERSION = 2
SCHEMA_DIR = Path(__file__).parent / "schemas"
SCHEMA_PATH = SCHEMA_DIR / f"initiative-record.v{SCHEMA_VERSION}.json"
DECLARATION_METHOD = "intygat_i_chatten"
INITIAL_STATUS = "inkommen"


class RecordError(ValueError):
    """A record that does not match the schema; the message lists every problem by path."""


@cache
def schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    path = SCHEMA_DIR / f"initiative-record.v{version}.json"
    if not path.is_file():
        raise RecordError(f"No schema for record version {version!r}.")
    return json.loads(path.read_text(encoding="utf-8"))


def problems(record: dict[str, Any]) -> list[str]:
    version = record.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int):
        return [f"schema_version: {version!r} is not a version number"]
    validator = Draft202012Validator(schema(version), format_checker=FormatChecker())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(record)'}: {error.message}"
        for error in sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
    ]


def validate_record(record: dict[str, Any]) -> dict[str, Any]:
    found = problems(record)
    if found:
        raise RecordError("Initiative record is invalid:\n  - " + "\n  - ".join(found))
    return record


def missing_for_submission(profile: Profile, state: IntakeState) -> list[str]:
    """Required values still missing; a record is only built when this is empty."""
    missing = [key for key in required_fields() if not state.values.get(key)]
    legal_form = state.values.get("org_legal_form")
    missing += [
        f"doc:{d.id}" for d in profile.documents_for(legal_form) if d.id not in state.documents
    ]
    for index, partner in enumerate(state.values.get("partners") or []):
        missing += [
            f"partner:{index}:{part}" for part in ("orgnr", "legal_form") if not partner.get(part)
        ]
    if not state.declaration:
        missing.append("declaration")
    return missing


def build_record(
    profile: Profile,
    state: IntakeState,
    checklist_answers: dict[str, Answer],
    conversation_id: str,
    reference: str,
    submitted_at: str,
) -> dict[str, Any]:
    """Assemble and validate the record; raises RecordError if anything required is missing."""
    missing = missing_for_submission(profile, state)
    if missing:
        raise RecordError(f"Intake is not complete: {', '.join(missing)}")
    values = state.values
    documents = [
        document_entry(d, state.documents.get(d.id, {}))
        for d in profile.documents_for(values.get("org_legal_form"))
    ]
    assessment = assess(profile.criteria, checklist_answers)
    record = {
        "schema_version": SCHEMA_VERSION,
        "reference": reference,
        "intake_key": state.key,
        "kommun": {"id": profile.id, "name": profile.kommun.name},
        "profile_version": profile.version,
        "created_at": state.started_at,
        "submitted_at": submitted_at,
        "conversation_id": conversation_id,
        "status": INITIAL_STATUS,
        "assigned_to": None,
        "checklist": {
            "source": profile.checklist_source,
            # The organisation's own first self-assessment; the kommun makes its own.
            "verdict": assessment.outcome.value,
            "look_at_first": [c.id for c in (*assessment.failed, *assessment.unsure)],
            "answers": [
                {
                    "criterion_id": c.id,
                    "statement": c.statement,
                    "answer": checklist_answers[c.id].value if c.id in checklist_answers else None,
                }
                for c in profile.criteria
            ],
        },
        "organisation": _group("organisation", values),
        # Other organisations behind the initiative, each with its own number and legal form.
        "partners": [
            {"name": p["name"], "orgnr": p["orgnr"], "legal_form": p["legal_form"]}
            for p in values.get("partners") or []
        ],
        "contact": _group("contact", values),
        "initiative": {
            **_group("initiative", values),
            "contribution_kinds": mentioned(values["contribution"], CONTRIBUTION_KINDS),
        },
        "documents": documents,
        "missing_documents": [d["id"] for d in documents if d["status"] != DocumentStatus.EXISTS],
        "declaration": _declaration(state),
        "privacy_notice": state.privacy_notice,
    }
    return validate_record(record)


def _group(group: str, values: dict[str, Any]) -> dict[str, Any]:
    """One of the record's objects, filled from the fields the declaration puts there; a skipped
    or unasked field is None (the schema lists every key, so none is left out)."""
    return {f.record_key: values.get(f.id) for f in in_record_group(group)}


def document_entry(document: Document, detail: dict[str, Any]) -> dict[str, Any]:
    """One document as asked of this legal form. Documents are sent to the kommun's address with
    the reference, so year, delivery and link are only kept from intakes made before that."""
    status = detail.get("status", DocumentStatus.MISSING.value)
    delivers = status in (DocumentStatus.EXISTS, DocumentStatus.LATER)
    return {
        "id": document.id,
        "name": document.name,
        "status": status,
        "year": detail.get("year") if status == DocumentStatus.EXISTS else None,
        "delivery": detail.get("delivery") if delivers else None,
        "link": detail.get("link") if delivers and detail.get("delivery") == "lank" else None,
    }


def _declaration(state: IntakeState) -> dict[str, Any]:
    declaration = dict(state.declaration or {})
    signed = declaration.get("status") == DeclarationStatus.SIGNED
    # A click in the chat by a contact person nobody has verified: an attestation, not a
    # signature. The caseworker records separately when a signed copy arrives.
    declaration["method"] = DECLARATION_METHOD
    declaration["signatory"] = (
        {
            "name": state.values.get("signatory_name") or state.values["contact_name"],
            "role": state.values.get("signatory_role"),
            "organisation": state.values["org_name"],
        }
        if signed
        else None
    )
    return declaration
