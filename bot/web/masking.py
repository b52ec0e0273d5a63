"""Personal identity numbers are masked before a message reaches Rasa, so they never land in the
tracker store, the logs or the exports.

One exception, because the intake needs it: a sole trader's organisationsnummer is their
personnummer, so when the bot has just asked for the organisationsnummer, the answer goes
through as written. Which question is open is read from the conversation's own state.
"""

from __future__ import annotations

from typing import Any

from bot.intake.state import IntakeState
from bot.intake.steps import next_step
from bot.privacy import mask_personal_numbers
from bot.profile import Profile

INTAKE_FORM = "intake_form"
ORGANISATION_NUMBER_STEP = "org_number"


def asked_for_organisation_number(tracker: dict[str, Any], profile: Profile) -> bool:
    """Is the intake's open question the organisationsnummer?"""
    if (tracker.get("active_loop") or {}).get("name") != INTAKE_FORM:
        return False
    state = IntakeState.from_slot((tracker.get("slots") or {}).get("intake"))
    if state is None:
        return False
    step = next_step(profile, state)
    return step is not None and step.id == ORGANISATION_NUMBER_STEP


def mask_for_storage(text: str, tracker: dict[str, Any] | None, profile: Profile) -> str:
    """The text as it may be stored: masked, unless it answers the organisationsnummer question."""
    masked = mask_personal_numbers(text)
    if masked == text or tracker is None:
        return masked
    return text if asked_for_organisation_number(tracker, profile) else masked
