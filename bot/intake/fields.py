"""Every intake field, declared once: the flow, the record, the profile, the console and the exports
all read it from here, so a field cannot be asked in one place and forgotten in another.

The field ids are the record's contract and never change, so old records stay valid (the document
and declaration statuses are in bot/intake/statuses.py). Free of Rasa and of the profile, so
bot/profile.py can check its optional fields against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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


class Skippable(Enum):
    """Whether an organisation may skip a field: never, if the kommun's profile says so, or unless
    the profile says otherwise (the profile's `intake_optional` default)."""

    NEVER = "never"
    IF_PROFILE_ALLOWS = "if_profile_allows"
    BY_DEFAULT = "by_default"


class Shown(Enum):
    """Where a collected value is shown to a person."""

    SUMMARY = "summary"  # the summary the organisation confirms in the chat
    CONSOLE = "console"  # what the caseworker sees of an intake handed over mid-way
    EXPORT = "export"  # the record's case file (HTML, PDF, terminal)


EVERYWHERE = frozenset(Shown)
CONSOLE_ONLY = frozenset({Shown.CONSOLE})


@dataclass(frozen=True)
class IntakeField:
    id: str
    label: str  # the one Swedish label a caseworker reads, in the console and in every export
    section: Section
    kind: Kind
    # The record is not built without a value. A field that may be skipped is never required.
    required: bool = False
    skippable: Skippable = Skippable.NEVER
    shown: frozenset[Shown] = EVERYWHERE
    # Where the record keeps the value ("organisation.name"); None: the record shapes it itself.
    record_path: str | None = None
    # Words a user may use to name the field in "ändra e-post" (folded: no å/ä/ö).
    aliases: tuple[str, ...] = ()

    @property
    def record_key(self) -> str | None:
        return self.record_path.rsplit(".", 1)[-1] if self.record_path else None


_ORG, _CONTACT, _IDEA, _DECL = (
    Section.ORGANISATION,
    Section.CONTACT,
    Section.INITIATIVE,
    Section.DECLARATION,
)
_MAY, _DEFAULT = Skippable.IF_PROFILE_ALLOWS, Skippable.BY_DEFAULT

FIELDS: tuple[IntakeField, ...] = (
    IntakeField(
        "org_name",
        "Organisationens namn",
        _ORG,
        Kind.TEXT,
        required=True,
        record_path="organisation.name",
        aliases=(
            "organisationens namn",
            "foreningens namn",
            "organisationsnamn",
            "foreningsnamn",
            "organisation",
            "organisationen",
        ),
    ),
    IntakeField(
        "org_number",
        "Organisationsnummer",
        _ORG,
        Kind.ORGNR,
        required=True,
        record_path="organisation.orgnr",
        aliases=("organisationsnummer", "orgnr", "org nr", "orgnummer", "org nummer"),
    ),
    IntakeField(
        "org_legal_form",
        "Organisationsform",
        _ORG,
        Kind.LEGAL_FORM,
        required=True,
        record_path="organisation.legal_form",
        aliases=("organisationsform", "juridisk form", "foreningsform", "form"),
    ),
    IntakeField(
        "org_members",
        "Antal medlemmar",
        _ORG,
        Kind.COUNT,
        skippable=_DEFAULT,
        record_path="organisation.member_count",
        aliases=("medlemsantal", "medlemmar"),
    ),
    IntakeField(
        "org_website",
        "Webbplats",
        _ORG,
        Kind.URL,
        skippable=_DEFAULT,
        record_path="organisation.website",
        aliases=("webbplats", "hemsida", "webbsida", "webb"),
    ),
    IntakeField(
        "partners",
        "Fler organisationer",
        _ORG,
        Kind.PARTNERS,
        record_path="partners",  # a list of its own, each with orgnr and legal form
        aliases=(
            "fler organisationer",
            "samarbetspartner",
            "samarbetspartners",
            "partner",
            "partners",
            "andra organisationer",
        ),
    ),
    IntakeField(
        "contact_name",
        "Kontaktperson",
        _CONTACT,
        Kind.TEXT,
        required=True,
        record_path="contact.name",
        aliases=("mitt namn", "kontaktperson", "namn"),
    ),
    IntakeField(
        "contact_role",
        "Kontaktpersonens roll",
        _CONTACT,
        Kind.TEXT,
        skippable=_MAY,
        record_path="contact.role",
        aliases=("min roll", "roll", "titel"),
    ),
    IntakeField(
        "contact_email",
        "E-post",
        _CONTACT,
        Kind.EMAIL,
        required=True,
        record_path="contact.email",
        aliases=("e-postadress", "e-post", "epost", "mejladress", "mejl", "mail", "mailadress"),
    ),
    IntakeField(
        "contact_phone",
        "Telefon",
        _CONTACT,
        Kind.PHONE,
        required=True,
        record_path="contact.phone",
        aliases=("telefonnummer", "telefon", "mobilnummer", "mobil", "nummer"),
    ),
    IntakeField(
        "challenge",
        "Samhällsutmaning",
        _IDEA,
        Kind.LONG_TEXT,
        required=True,
        record_path="initiative.challenge",
        aliases=("samhallsutmaning", "samhallsutmaningen", "utmaningen", "utmaning", "problemet"),
    ),
    IntakeField(
        "purpose",
        "Syfte",
        _IDEA,
        Kind.LONG_TEXT,
        required=True,
        record_path="initiative.purpose",
        aliases=("syftet", "syfte"),
    ),
    IntakeField(
        "target_group",
        "Målgrupp",
        _IDEA,
        Kind.LONG_TEXT,
        required=True,
        record_path="initiative.target_group",
        aliases=("malgruppen", "malgrupp"),
    ),
    IntakeField(
        "goals",
        "Mål",
        _IDEA,
        Kind.LONG_TEXT,
        skippable=_MAY,
        record_path="initiative.goals",
        aliases=("malen", "mal"),
    ),
    IntakeField(
        "contribution",
        "Organisationens insats",
        _IDEA,
        Kind.LONG_TEXT,
        required=True,
        record_path="initiative.contribution",
        aliases=("vart bidrag", "vara insatser", "insatser", "insats", "bidrar med", "bidrag"),
    ),
    IntakeField(
        "ask_of_kommun",
        "Vad kommunen ombeds bidra med",
        _IDEA,
        Kind.LONG_TEXT,
        skippable=_MAY,
        record_path="initiative.ask_of_kommun",
        aliases=(
            "kommunens del",
            "kommunens insats",
            "kommunen bidrar med",
            "vad kommunen bidrar med",
            "vad vi ber om",
            "onskemal",
            "forvantningar",
        ),
    ),
    # Always asked and never skippable, so a finished intake always has it. Records stored before
    # it was required may hold null, which the schema allows.
    IntakeField(
        "wished_start",
        "Önskad start",
        _IDEA,
        Kind.TEXT,
        required=True,
        record_path="initiative.wished_start",
        aliases=("startdatum", "starten", "start", "nar vi vill borja"),
    ),
    IntakeField(
        "duration",
        "Tidsperiod",
        _IDEA,
        Kind.TEXT,
        skippable=_MAY,
        record_path="initiative.duration",
        aliases=("langd", "varaktighet", "hur lange"),
    ),
    IntakeField(
        "concerned_units",
        "Berörda förvaltningar",
        _IDEA,
        Kind.LONG_TEXT,
        skippable=_DEFAULT,
        record_path="initiative.concerned_units",
        aliases=("forvaltningar", "forvaltning", "namnder", "namnd", "bolag"),
    ),
    # Who gives the declaration: the record keeps them under declaration.signatory, and only
    # when it was given; the chat summary names them in the declaration's line.
    IntakeField(
        "signatory_name",
        "Intygat av",
        _DECL,
        Kind.TEXT,
        shown=CONSOLE_ONLY,
        aliases=("undertecknare", "underskrift"),
    ),
    IntakeField(
        "signatory_role",
        "Roll för den som intygar",
        _DECL,
        Kind.TEXT,
        shown=CONSOLE_ONLY,
        aliases=("undertecknarens roll",),
    ),
    IntakeField(
        "declaration",
        "Värdegrundsintyg",
        _DECL,
        Kind.DECLARATION,
        shown=CONSOLE_ONLY,
        aliases=("intyget", "intyg", "vardegrund", "vardegrunden", "demokrativillkor"),
    ),
)

FIELDS_BY_ID = {f.id: f for f in FIELDS}


def field(field_id: str) -> IntakeField:
    return FIELDS_BY_ID[field_id]


def label(field_id: str) -> str:
    """The field's label; an id no field has (an old handoff) is shown as is."""
    found = FIELDS_BY_ID.get(field_id)
    return found.label if found else field_id


def required_fields() -> tuple[str, ...]:
    return tuple(f.id for f in FIELDS if f.required)


def skippable_fields() -> frozenset[str]:
    """What a kommun may let organisations skip (a profile's `intake_optional`)."""
    return frozenset(f.id for f in FIELDS if f.skippable is not Skippable.NEVER)


def optional_by_default() -> tuple[str, ...]:
    return tuple(f.id for f in FIELDS if f.skippable is Skippable.BY_DEFAULT)


def shown_in(place: Shown, section: Section | None = None) -> tuple[IntakeField, ...]:
    return tuple(
        f for f in FIELDS if place in f.shown and (section is None or f.section is section)
    )


def in_record_group(group: str) -> tuple[IntakeField, ...]:
    """The fields the record keeps in one of its objects ("organisation", "contact", …)."""
    return tuple(f for f in FIELDS if (f.record_path or "").startswith(f"{group}."))
