"""Personal identity numbers are masked before Rasa stores a message, except the organisationsnummer
answer a sole trader gives when the intake asks for it."""

from __future__ import annotations

from bot.intake.flow import apply_reply
from bot.intake.parsing import Reply
from bot.intake.state import IntakeState
from bot.intake.steps import next_step
from bot.privacy import MASK
from bot.profile import load_profile
from bot.web.masking import mask_for_storage

MORA = load_profile("mora")
PERSONNUMMER = "811228-9874"  # Luhn-valid: a sole trader's organisationsnummer looks like this


def tracker_at_organisation_number() -> dict:
    state = IntakeState(key="k1")
    step = next_step(MORA, state)
    assert step is not None and step.id == "org_name"
    apply_reply(MORA, state, step, Reply("Eva Lunds snickeri"))
    assert next_step(MORA, state).id == "org_number"
    return {"active_loop": {"name": "intake_form"}, "slots": {"intake": state.to_slot()}}


def test_the_organisation_number_answer_is_kept() -> None:
    assert mask_for_storage(PERSONNUMMER, tracker_at_organisation_number(), MORA) == PERSONNUMMER


def test_everywhere_else_it_is_masked() -> None:
    text = f"Mitt personnummer är {PERSONNUMMER}"
    assert mask_for_storage(text, None, MORA) == f"Mitt personnummer är {MASK}"
    checklist = {"active_loop": {"name": "checklist_form"}, "slots": {}}
    assert mask_for_storage(text, checklist, MORA) == f"Mitt personnummer är {MASK}"
    no_intake = {"active_loop": {"name": "intake_form"}, "slots": {"intake": None}}
    assert mask_for_storage(text, no_intake, MORA) == f"Mitt personnummer är {MASK}"


def test_samordningsnummer_and_long_forms_are_masked() -> None:
    for number in ("19811288-9871", "811288-9871", "198112289874", "8112289874"):
        masked = mask_for_storage(f"nr {number}", None, MORA)
        assert number not in masked and MASK in masked, number
