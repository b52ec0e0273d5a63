"""Kommun profile: the data that makes IOP-lotsen one kommun's bot.

A kommun changes its checklist, documents or value declaration by editing YAML, not code, so the
profile is validated strictly at start-up and every error names the field that is wrong.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, validator

from bot.clock import KOMMUN_TIME_ZONE
from bot.holidays import is_closed_day
from bot.intake.fields import optional_by_default, skippable_fields

PROFILE_DIR = Path(__file__).parent / "profiles"
PROFILE_ENV_VAR = "IOP_PROFILE"
DEFAULT_PROFILE = "mora"


# Intake fields a kommun may let organisations skip, and those it skips unless it says otherwise;
# everything else is always asked for. Both come from the fields' one declaration.
SKIPPABLE_INTAKE_FIELDS = skippable_fields()
DEFAULT_INTAKE_OPTIONAL = optional_by_default()


class ProfileError(Exception):
    """Raised when a kommun profile is missing or invalid; the message is for an operator."""


class _Strict(BaseModel):
    class Config:
        extra = "forbid"
        anystr_strip_whitespace = True
        allow_mutation = False


class Contact(_Strict):
    unit: str = Field(..., min_length=1, description="The office that receives initiatives.")
    email: str = Field(..., regex=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    phone: str = Field(..., min_length=5)
    opening_hours: str = Field(..., min_length=1)
    web: str | None = None


class Kommun(_Strict):
    name: str = Field(..., min_length=2, description="Full name, e.g. 'Mora kommun'.")
    contact: Contact


_EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"


class Registration(_Strict):
    """Who registers what the kommun receives, and how long it is kept.

    An initiative is an allmän handling once received (offentlighetsprincipen, arkivlagen): the
    kommun's registrator gets it, and it may only be gallrad under a decision the kommun has taken.
    """

    registrator_email: str = Field(..., regex=_EMAIL, description="Gets every initiative.")
    documents_email: str = Field(..., regex=_EMAIL, description="Where documents are sent.")
    controller: str = Field(
        ..., min_length=5, description="Personuppgiftsansvarig, e.g. 'Kommunstyrelsen i Mora'."
    )
    data_protection_officer: str = Field(
        ..., regex=_EMAIL, description="How to reach the kommun's dataskyddsombud."
    )
    gallring_decision: str | None = Field(
        None,
        min_length=5,
        description="The kommun's decision that lets received initiatives be gallrade "
        "(e.g. a dokumenthanteringsplan with its dnr); none means they are kept.",
    )


_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def _minutes(clock: str) -> int:
    """'08:30' -> 510; '24:00' (end of the day) -> 1440."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class LiveChat(_Strict):
    """When caseworkers answer in the chat: ISO weekdays and one opening span, Swedish time.

    Closed on Swedish public holidays and the eves kommuner close on (bot/holidays.py) unless
    `closed_on_holidays` is false. A span across midnight is not supported; 00:00–24:00 means the
    whole day.
    """

    days: list[int] = Field(..., min_items=1, description="ISO weekdays, 1 = Monday.")
    opens: str = Field(..., description="'HH:MM', Europe/Stockholm time.")
    closes: str = Field(..., description="'HH:MM' or '24:00', Europe/Stockholm time.")
    hours_text: str = Field(
        ..., min_length=3, description="The same hours in words, e.g. 'vardagar 8–16'."
    )
    closed_on_holidays: bool = Field(
        True, description="Closed on röda dagar and on påsk-, midsommar-, jul- and nyårsafton."
    )

    @validator("days")
    def _iso_weekdays(cls, days: list[int]) -> list[int]:
        wrong = sorted({d for d in days if not 1 <= d <= 7})
        if wrong:
            raise ValueError(f"weekdays are 1 (Monday) to 7 (Sunday), not {wrong}")
        return sorted(set(days))

    @validator("opens", "closes")
    def _clock_time(cls, clock: str) -> str:
        if not _CLOCK.match(clock):
            raise ValueError(f"'{clock}' is not a time written as HH:MM (00:00–24:00)")
        return clock

    @validator("closes")
    def _closes_after_opening(cls, closes: str, values: dict) -> str:
        opens = values.get("opens")
        if opens is not None and _minutes(closes) <= _minutes(opens):
            raise ValueError(f"closes ({closes}) must be later than opens ({opens})")
        return closes

    @property
    def hours_said(self) -> str:
        """The hours as the bot says them: a weekday holiday must not look like an open day."""
        # Påsk-, midsommar-, jul- and nyårsafton are not röda dagar, so "helgaftnar" says it.
        if self.closed_on_holidays:
            return f"{self.hours_text} utom helgdagar och helgaftnar"
        return self.hours_text

    def is_open(self, moment: datetime) -> bool:
        """Is the live chat staffed at this moment? `moment` must be timezone-aware."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("is_open needs an aware datetime (with a time zone)")
        local = moment.astimezone(KOMMUN_TIME_ZONE)
        if self.closed_on_holidays and is_closed_day(local.date()):
            return False
        minute = local.hour * 60 + local.minute
        return local.isoweekday() in self.days and _minutes(self.opens) <= minute < _minutes(
            self.closes
        )


class Criterion(_Strict):
    """One checklist criterion: the formal statement and how the bot talks about it."""

    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    statement: str = Field(..., min_length=10)
    question: str = Field(..., min_length=10)
    explanation: str = Field(..., min_length=10)
    if_no: str = Field(..., min_length=10, description="Why a 'no' matters for IOP.")
    alternative: str = Field(..., min_length=10, description="What could fit instead.")


class Document(_Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    name: str = Field(..., min_length=3)
    why: str = Field(..., min_length=10)
    answered_by: str | None = Field(
        None,
        description="An intake field that already gives this (e.g. org_members for the "
        "member count): the document is then not asked for, so nothing is asked twice.",
    )


class LegalFormRule(_Strict):
    """What the kommun asks of one legal form: a stiftelse has no årsmöte and no members."""

    skip_documents: list[str] = Field(default_factory=list)
    ask_members: bool = True
    # Another name for a document in this form, e.g. stadgar -> "Stiftelseförordnande".
    document_names: dict[str, str] = Field(default_factory=dict)


class ValueDeclaration(_Strict):
    version: str = Field(..., min_length=1)
    summary: str = Field(..., min_length=10)
    text: str = Field(..., min_length=50)

    def for_organisation(self, organisation: str) -> str:
        """The text as shown to (and signed by) one organisation."""
        return self.text.replace("{organisation}", organisation).strip()

    @property
    def sha256(self) -> str:
        """Fingerprint of the exact text shown, so a signature points at one wording."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class Profile(_Strict):
    schema_version: int = Field(..., ge=1, le=1)
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    version: str = Field(..., min_length=1)
    source: str = Field(..., min_length=5, description="The decision the checklist comes from.")
    kommun: Kommun
    registration: Registration
    checklist_source: str = Field(..., min_length=3)
    criteria: list[Criterion] = Field(..., min_items=1)
    documents: list[Document] = Field(..., min_items=1)
    value_declaration: ValueDeclaration
    legal_forms: dict[str, LegalFormRule] = Field(
        default_factory=dict, description="Rules per legal form id (bot/intake/choices.py)."
    )
    next_steps: str = Field(..., min_length=10)
    examples: str = Field(..., min_length=10)
    retention_days: int = Field(..., ge=1, le=3650)
    intake_optional: tuple[str, ...] = Field(
        DEFAULT_INTAKE_OPTIONAL, description="Intake fields the kommun does not require."
    )
    privacy_notice_version: str = Field("1", min_length=1)
    live_chat: LiveChat
    callback_promise: str = Field(
        ...,
        min_length=3,
        description="When a caseworker answers a callback request, e.g. 'inom två arbetsdagar'.",
    )

    @validator("intake_optional")
    def _only_skippable_fields(cls, fields: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(fields) - SKIPPABLE_INTAKE_FIELDS)
        if unknown:
            allowed = ", ".join(sorted(SKIPPABLE_INTAKE_FIELDS))
            raise ValueError(f"cannot be optional: {', '.join(unknown)} (allowed: {allowed})")
        return fields

    @validator("criteria")
    def _unique_criterion_ids(cls, criteria: list[Criterion]) -> list[Criterion]:
        _require_unique([c.id for c in criteria], "criteria")
        return criteria

    @validator("documents")
    def _unique_document_ids(cls, documents: list[Document]) -> list[Document]:
        _require_unique([d.id for d in documents], "documents")
        return documents

    @validator("legal_forms")
    def _known_forms_and_documents(
        cls, rules: dict[str, LegalFormRule], values: dict
    ) -> dict[str, LegalFormRule]:
        from bot.intake.choices import LEGAL_FORMS  # the ids stored in records

        unknown = sorted(set(rules) - {choice.id for choice in LEGAL_FORMS})
        if unknown:
            raise ValueError(f"unknown legal forms: {', '.join(unknown)}")
        documents = {d.id for d in values.get("documents") or []}
        for form, rule in rules.items():
            named = set(rule.skip_documents) | set(rule.document_names)
            if documents and named - documents:
                missing = ", ".join(sorted(named - documents))
                raise ValueError(f"{form} names documents that do not exist: {missing}")
        return rules

    def rule_for(self, legal_form: str | None) -> LegalFormRule:
        return self.legal_forms.get(legal_form or "", LegalFormRule())

    def documents_for(self, legal_form: str | None) -> list[Document]:
        """The documents asked of this legal form, under the names it knows them by."""
        rule = self.rule_for(legal_form)
        return [
            d.copy(update={"name": rule.document_names.get(d.id, d.name)})
            for d in self.documents
            if d.answered_by is None and d.id not in rule.skip_documents
        ]

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def document(self, document_id: str) -> Document:
        for document in self.documents:
            if document.id == document_id:
                return document
        raise KeyError(document_id)

    def position(self, criterion_id: str) -> int:
        """1-based position, as the user sees it ("Fråga 3 av 9")."""
        return [c.id for c in self.criteria].index(criterion_id) + 1


def _require_unique(ids: list[str], what: str) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{what} has duplicate ids: {', '.join(duplicates)}")


def profile_path(name_or_path: str) -> Path:
    """A bare name means a bundled profile; anything with a slash or .yml is a file path."""
    if "/" in name_or_path or name_or_path.endswith((".yml", ".yaml")):
        return Path(name_or_path)
    return PROFILE_DIR / f"{name_or_path}.yml"


def load_profile(name_or_path: str) -> Profile:
    """Load and validate one profile; raise ProfileError with every problem listed."""
    path = profile_path(name_or_path)
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in PROFILE_DIR.glob("*.yml")))
        raise ProfileError(
            f"Kommun profile '{name_or_path}' not found at {path}. Bundled profiles: {available}."
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ProfileError(f"Kommun profile {path} is not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ProfileError(f"Kommun profile {path} must be a YAML mapping at the top level.")
    try:
        return Profile.parse_obj(raw)
    except ValidationError as error:
        problems = "\n".join(
            f"  - {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise ProfileError(f"Kommun profile {path} is invalid:\n{problems}") from error


@cache
def active_profile() -> Profile:
    """The profile chosen by the one setting IOP_PROFILE (default: Mora's guideline)."""
    return load_profile(os.environ.get(PROFILE_ENV_VAR, DEFAULT_PROFILE))
