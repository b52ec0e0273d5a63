"""The intake questions, in order, one at a time.

The list is data-driven: the kommun profile decides which documents are asked for and which
fields may be skipped, and earlier answers decide the follow-ups for each document (a year only
for a document that exists, a link only when it is sent as a link). The fields themselves are
declared once, in bot/intake/fields.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.intake.fields import FIELDS, SECTION_ORDER, IntakeField, Kind, Section
from bot.intake.state import IntakeState
from bot.intake.statuses import DocumentStatus
from bot.profile import Profile

__all__ = ["FIELDS", "SECTION_ORDER", "Kind", "Section", "Step", "all_steps", "next_step"]

SUMMARY = "summary"
DOC_PREFIX = "doc"


@dataclass(frozen=True)
class Step:
    """One question: a field, the documents (all in one answer), or the summary (which submits)."""

    id: str
    section: Section
    kind: Kind
    optional: bool = False
    # For the document steps: (number shown, document id, name shown), in the kommun's order.
    offered: tuple[tuple[int, str, str], ...] = ()


PARTNER_PREFIX = "partner"
DOCUMENTS_EXISTING = f"{DOC_PREFIX}:existing"
DOCUMENTS_LATER = f"{DOC_PREFIX}:later"


def _field_step(field: IntakeField, profile: Profile) -> Step:
    return Step(field.id, field.section, field.kind, optional=field.id in profile.intake_optional)


def _asked(field: IntakeField, profile: Profile, state: IntakeState) -> bool:
    """Members are asked only of legal forms that have members (not a stiftelse or a bolag)."""
    if field.id == "org_members":
        return profile.rule_for(state.values.get("org_legal_form")).ask_members
    return True


def partner_step_id(index: int, part: str) -> str:
    return f"{PARTNER_PREFIX}:{index}:{part}"


def _partner_steps(state: IntakeState) -> list[Step]:
    """Organisationsnummer and legal form for each partner organisation the user named."""
    steps = []
    for index, _ in enumerate(state.values.get("partners") or []):
        steps += [
            Step(partner_step_id(index, "orgnr"), Section.ORGANISATION, Kind.ORGNR),
            Step(partner_step_id(index, "legal_form"), Section.ORGANISATION, Kind.LEGAL_FORM),
        ]
    return steps


def _document_steps(profile: Profile, state: IntakeState) -> list[Step]:
    documents = profile.documents_for(state.values.get("org_legal_form"))
    offered = tuple((n, d.id, d.name) for n, d in enumerate(documents, start=1))
    steps = [Step(DOCUMENTS_EXISTING, Section.DOCUMENTS, Kind.DOC_EXISTING, offered=offered)]
    if state.is_answered(DOCUMENTS_EXISTING):
        exists = DocumentStatus.EXISTS
        rest = tuple(o for o in offered if state.documents.get(o[1], {}).get("status") != exists)
        if rest:
            steps.append(Step(DOCUMENTS_LATER, Section.DOCUMENTS, Kind.DOC_LATER, offered=rest))
    return steps


def all_steps(profile: Profile, state: IntakeState) -> list[Step]:
    """Every question for this intake, in the order they are asked."""
    by_section = {
        section: [
            _field_step(f, profile)
            for f in FIELDS
            if f.section is section and _asked(f, profile, state)
        ]
        for section in Section
    }
    return [
        *by_section[Section.ORGANISATION],
        *_partner_steps(state),
        *by_section[Section.CONTACT],
        *by_section[Section.INITIATIVE],
        *_document_steps(profile, state),
        *by_section[Section.DECLARATION],
        Step(SUMMARY, Section.SUMMARY, Kind.SUMMARY),
    ]


def next_step(profile: Profile, state: IntakeState) -> Step | None:
    """The question to ask now: a field the user asked to change, else the first unanswered."""
    steps = all_steps(profile, state)
    if state.override:
        wanted = next((s for s in steps if s.id == state.override), None)
        if wanted is not None:
            return wanted
    return next((s for s in steps if not state.is_answered(s.id)), None)
