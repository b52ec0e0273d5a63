"""Swedish words for the record's stable ids, shared by every export so the formats never disagree.

The record stores ids (`kan_passa`, `kommer_senare`, …); caseworkers read words. Times are stored
in UTC and shown in Swedish time, because that is the clock the kommun works by.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import kommun_time
from bot.intake_queue.statuses import Status
from bot.record import DECLARATION_METHOD

NOT_GIVEN = "Ej angivet"
# The checklist verdict is the organisation's own answers, never the kommun's assessment.
SELF_ASSESSMENT = "Organisationens första bedömning"
LOOK_AT_FIRST = "Titta först på"

VERDICTS = {
    "kan_passa": "Kan passa",
    "kan_passa_med_fragetecken": "Kan passa, med frågetecken",
    "passar_inte": "Passar inte",
    "ej_klar": "Ej klar",
}
ANSWERS = {"ja": "Ja", "nej": "Nej", "vet_inte": "Vet inte"}
# How the declaration was given: a click in the chat by a contact person nobody has verified is an
# attestation, not a signature (a signed copy, when it arrives, is recorded on the case by the
# caseworker). Records of schema version 1 have no method; they were given in the chat too.
DECLARATION_METHODS = {DECLARATION_METHOD: "I chatten (inte underskrivet)"}
LEGAL_BASIS = "Uppgift av allmänt intresse (dataskyddsförordningen artikel 6.1 e)"
SPEAKERS = {"user": "Organisationen", "bot": "IOP-lotsen", "caseworker": "Handläggare"}


def status_label(value: str | None) -> str:
    """The label of a stored status; an unknown value is shown as is rather than hidden."""
    if value is None:
        return "–"
    try:
        return Status(value).label
    except ValueError:
        return value


def verdict_label(value: str) -> str:
    return VERDICTS.get(value, value)


def answer_label(value: str | None) -> str:
    return ANSWERS.get(value, "Ej besvarad") if value else "Ej besvarad"


def text_or_default(value: object) -> str:
    """Optional values are None in the record; the reader should see that nothing was given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_GIVEN
    return str(value)


def swedish_time(moment: datetime | str) -> datetime:
    """A stored moment (ISO text or datetime; naive means UTC) on the Swedish clock."""
    return kommun_time(moment)


def format_time(moment: datetime | str | None) -> str:
    """`2026-03-01 10:00` in Swedish time; minutes are precise enough for a case file."""
    return swedish_time(moment).strftime("%Y-%m-%d %H:%M") if moment else NOT_GIVEN


def format_date(moment: datetime | str | None) -> str:
    return swedish_time(moment).strftime("%Y-%m-%d") if moment else NOT_GIVEN
