"""The intake questions, in order, one at a time.

The list is data-driven: the kommun profile decides which documents are asked for and which
fields may be skipped, and earlier answers decide the follow-ups for each document (a year only
for a document that exists, a link only when it is sent as a link).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.intake.state import IntakeState
from bot.profile import Profile


class Kind(str, Enum):
    """How an answer is read and validated (see bot/intake/parsing.py)."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    ORGNR = "orgnr"
    LEGAL_FORM = "legal_form"
    COUNT = "count"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    PARTNERS = "partners"  # other organisations behind the initiative, by name, or "nej"
    DOC_EXISTING = "doc_existing"  # which of the listed documents exist
    DOC_LATER = "doc_later"  # which of the others come later; the rest are missing
    DECLARATION = "declaration"
    SUMMARY = "summary"


class Section(str, Enum):
    ORGANISATION = "organisation"
    CONTACT = "contact"
    INITIATIVE = "initiative"
    DOCUMENTS = "documents"
    DECLARATION = "declaration"
    SUMMARY = "summary"


SECTION_ORDER = tuple(Section)


@dataclass(frozen=True)
class Field:
    id: str
    section: Section
    kind: Kind
    # Words a user may use to name the field in "ändra e-post" (folded: no å/ä/ö).
    aliases: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field(
        "org_name",
        Section.ORGANISATION,
        Kind.TEXT,
        (
            "organisationens namn",
            "foreningens namn",
            "organisationsnamn",
            "foreningsnamn",
            "organisation",
            "organisationen",
        ),
    ),
    Field(
        "org_number",
        Section.ORGANISATION,
        Kind.ORGNR,
        ("organisationsnummer", "orgnr", "org nr", "orgnummer", "org nummer"),
    ),
    Field(
        "org_legal_form",
        Section.ORGANISATION,
        Kind.LEGAL_FORM,
        ("organisationsform", "juridisk form", "foreningsform", "form"),
    ),
    Field("org_members", Section.ORGANISATION, Kind.COUNT, ("medlemsantal", "medlemmar")),
    Field(
        "org_website", Section.ORGANISATION, Kind.URL, ("webbplats", "hemsida", "webbsida", "webb")
    ),
    Field(
        "partners",
        Section.ORGANISATION,
        Kind.PARTNERS,
        (
            "fler organisationer",
            "samarbetspartner",
            "samarbetspartners",
            "partner",
            "partners",
            "andra organisationer",
        ),
    ),
    Field("contact_name", Section.CONTACT, Kind.TEXT, ("mitt namn", "kontaktperson", "namn")),
    Field("contact_role", Section.CONTACT, Kind.TEXT, ("min roll", "roll", "titel")),
    Field(
        "contact_email",
        Section.CONTACT,
        Kind.EMAIL,
        ("e-postadress", "e-post", "epost", "mejladress", "mejl", "mail", "mailadress"),
    ),
    Field(
        "contact_phone",
        Section.CONTACT,
        Kind.PHONE,
        ("telefonnummer", "telefon", "mobilnummer", "mobil", "nummer"),
    ),
    Field(
        "challenge",
        Section.INITIATIVE,
        Kind.LONG_TEXT,
        ("samhallsutmaning", "samhallsutmaningen", "utmaningen", "utmaning", "problemet"),
    ),
    Field("purpose", Section.INITIATIVE, Kind.LONG_TEXT, ("syftet", "syfte")),
    Field("target_group", Section.INITIATIVE, Kind.LONG_TEXT, ("malgruppen", "malgrupp")),
    Field("goals", Section.INITIATIVE, Kind.LONG_TEXT, ("malen", "mal")),
    Field(
        "contribution",
        Section.INITIATIVE,
        Kind.LONG_TEXT,
        ("vart bidrag", "vara insatser", "insatser", "insats", "bidrar med", "bidrag"),
    ),
    Field(
        "ask_of_kommun",
        Section.INITIATIVE,
        Kind.LONG_TEXT,
        (
            "kommunens del",
            "kommunens insats",
            "kommunen bidrar med",
            "vad kommunen bidrar med",
            "vad vi ber om",
            "onskemal",
            "forvantningar",
        ),
    ),
    Field(
        "wished_start",
        Section.INITIATIVE,
        Kind.TEXT,
        ("startdatum", "starten", "start", "nar vi vill borja"),
    ),
    Field("duration", Section.INITIATIVE, Kind.TEXT, ("langd", "varaktighet", "hur lange")),
    Field(
        "concerned_units",
        Section.INITIATIVE,
        Kind.LONG_TEXT,
        ("forvaltningar", "forvaltning", "namnder", "namnd", "bolag"),
    ),
    Field("signatory_name", Section.DECLARATION, Kind.TEXT, ("undertecknare", "underskrift")),
    Field("signatory_role", Section.DECLARATION, Kind.TEXT, ("undertecknarens roll",)),
    Field(
        "declaration",
        Section.DECLARATION,
        Kind.DECLARATION,
        ("intyget", "intyg", "vardegrund", "vardegrunden", "demokrativillkor"),
    ),
)

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


def _field_step(field: Field, profile: Profile) -> Step:
    return Step(field.id, field.section, field.kind, optional=field.id in profile.intake_optional)


def _asked(field: Field, profile: Profile, state: IntakeState) -> bool:
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
        rest = tuple(o for o in offered if state.documents.get(o[1], {}).get("status") != "finns")
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
