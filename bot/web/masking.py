"""Personal identity numbers are masked before a message reaches Rasa, so they never land in the
tracker store, the logs or the exports.

One exception, because the intake needs it: a sole trader's organisationsnummer is their
personnummer, so when the bot has just asked for the organisationsnummer, the answer goes
through as written. And ten digits starting with 0 are masked when they could be a personal
number (date and Luhn check fit), except when the bot has just asked for a phone number (the
intake's phone question, the callback form's contact question). Which question is open is read
from the conversation's own state.
"""

from __future__ import annotations

from typing import Any

from bot.intake.state import IntakeState
from bot.intake.steps import Kind, Step, next_step
from bot.names import Slot
from bot.privacy import mask_personal_numbers
from bot.profile import Profile

INTAKE_FORM = "intake_form"
CALLBACK_FORM = "callback_form"
ORGANISATION_NUMBER_STEP = "org_number"


def _open_intake_step(tracker: dict[str, Any], profile: Profile) -> Step | None:
    if (tracker.get("active_loop") or {}).get("name") != INTAKE_FORM:
        return None
    state = IntakeState.from_slot((tracker.get("slots") or {}).get("intake"))
    return None if state is None else next_step(profile, state)


def asked_for_organisation_number(tracker: dict[str, Any], profile: Profile) -> bool:
    """Is the intake's open question the organisationsnummer?"""
    step = _open_intake_step(tracker, profile)
    return step is not None and step.id == ORGANISATION_NUMBER_STEP


def asked_for_phone_number(tracker: dict[str, Any], profile: Profile) -> bool:
    """Is the open question one that a phone number answers?"""
    slots = tracker.get("slots") or {}
    if (tracker.get("active_loop") or {}).get("name") == CALLBACK_FORM:
        return slots.get(Slot.REQUESTED_SLOT) == Slot.CALLBACK_CONTACT
    step = _open_intake_step(tracker, profile)
    return step is not None and step.kind == Kind.PHONE


def mask_for_storage(text: str, tracker: dict[str, Any] | None, profile: Profile) -> str:
    """The text as it may be stored: masked, unless it answers the organisationsnummer question
    (kept as written) or the phone question (phone-like numbers kept)."""
    masked = mask_personal_numbers(text, keep_phone_numbers=False)
    if masked == text or tracker is None:
        return masked
    if asked_for_organisation_number(tracker, profile):
        return text
    if asked_for_phone_number(tracker, profile):
        return mask_personal_numbers(text, keep_phone_numbers=True)
    return masked
