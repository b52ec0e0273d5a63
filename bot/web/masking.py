"""Personal identity numbers are masked before a message reaches Rasa, so they never land in the
tracker store, the logs or the exports.

At the organisationsnummer question nothing is let through either: the parser accepts only
numbers whose third digit is 2 or more (bot/intake/parsing.py rejects a personnummer there,
because the kommun does not need a sole trader's personal number), and masking never changes
those, so a valid organisationsnummer is stored as written and a personnummer is masked. Ten
digits starting with 0 are masked when they could be a personal number (date and Luhn check
fit), except when the bot has just asked for a phone number (the intake's phone question, the
callback form's contact question). Which question is open is read from the conversation's own
state, and only for a text whose storing it decides. A button's payload is masked as well: the
widget sends it as written, so a crafted one could carry a number.
"""

from __future__ import annotations

from typing import Any

from bot.intake.state import IntakeState
from bot.intake.steps import Kind, Step, next_step
from bot.names import Form, Slot
from bot.privacy import mask_personal_numbers
from bot.profile import Profile

ORGANISATION_NUMBER_STEP = "org_number"


def _open_intake_step(tracker: dict[str, Any], profile: Profile) -> Step | None:
    if (tracker.get("active_loop") or {}).get("name") != Form.INTAKE:
        return None
    state = IntakeState.from_slot((tracker.get("slots") or {}).get(Slot.INTAKE))
    return None if state is None else next_step(profile, state)


def asked_for_organisation_number(tracker: dict[str, Any], profile: Profile) -> bool:
    """Is the intake's open question the organisationsnummer?"""
    step = _open_intake_step(tracker, profile)
    return step is not None and step.id == ORGANISATION_NUMBER_STEP


def asked_for_phone_number(tracker: dict[str, Any], profile: Profile) -> bool:
    """Is the open question one that a phone number answers?"""
    slots = tracker.get("slots") or {}
    if (tracker.get("active_loop") or {}).get("name") == Form.CALLBACK:
        return slots.get(Slot.REQUESTED_SLOT) == Slot.CALLBACK_CONTACT
    step = _open_intake_step(tracker, profile)
    return step is not None and step.kind == Kind.PHONE


def depends_on_the_question(text: str) -> bool:
    """Whether the open question can change how `text` is stored (mask_for_storage): only a
    number that is both phone-like and a possible personal number is kept or masked by it. For
    any other text the conversation's state need not be read."""
    return mask_personal_numbers(text, keep_phone_numbers=True) != mask_personal_numbers(
        text, keep_phone_numbers=False
    )


def mask_for_storage(text: str, tracker: dict[str, Any] | None, profile: Profile) -> str:
    """The text as it may be stored: masked, except phone-like numbers answering the phone
    question. At the organisationsnummer question only a valid organisationsnummer survives
    (masking never touches one); a personnummer, which the parser rejects there, is masked."""
    masked = mask_personal_numbers(text, keep_phone_numbers=False)
    if masked == text or tracker is None:
        return masked
    if asked_for_phone_number(tracker, profile):
        return mask_personal_numbers(text, keep_phone_numbers=True)
    return masked


def mask_payload(payload: str | None) -> str | None:
    """A button's payload ('/intent{"entity": "…"}') as it may be stored: masked, always."""
    if not payload:
        return payload
    return mask_personal_numbers(payload, keep_phone_numbers=False)
