"""Personal identity numbers are masked before Rasa stores a message, except the organisationsnummer
answer a sole trader gives when the intake asks for it."""

from __future__ import annotations

from bot.intake.flow import apply_reply
from bot.intake.parsing import Reply
from bot.intake.state import IntakeState
from bot.intake.steps import Kind, next_step
from bot.privacy import MASK, mask_personal_numbers
from bot.profile import load_profile
from bot.web.masking import depends_on_the_question, mask_for_storage, mask_payload

MORA = load_profile("mora")
PERSONNUMMER = "811228-9874"  # Luhn-valid: a sole trader's organisationsnummer looks like this


def tracker_at_organisation_number() -> dict:
    state = IntakeState(key="k1")
    step = next_step(MORA, state)
    assert step is not None and step.id == "org_name"
    apply_reply(MORA, state, step, Reply("Eva Lunds snickeri"))
    assert next_step(MORA, state).id == "org_number"
    return {"active_loop": {"name": "intake_form"}, "slots": {"intake": state.to_slot()}}


def test_at_the_organisation_number_question_only_an_organisation_number_is_kept() -> None:
    # The parser rejects a personnummer there (bot/intake/parsing.py, reason "personnummer"), so
    # storing it unmasked served nothing: only a valid organisationsnummer is stored as written.
    tracker = tracker_at_organisation_number()
    assert mask_for_storage("802424-4413", tracker, MORA) == "802424-4413"
    assert mask_for_storage(PERSONNUMMER, tracker, MORA) == MASK
    assert mask_for_storage("811228–9874", tracker, MORA) == MASK
    assert mask_for_storage("orgnr 802424-4413, min pnr 811228-9874", tracker, MORA) == (
        f"orgnr 802424-4413, min pnr {MASK}"
    )


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


BORN_2001 = "0112893722"  # a personal number of someone born 2001 (day 89: samordningsnummer)


def tracker_at_phone_number() -> dict:
    """The intake with the organisation and the contact's name, role and e-mail given."""
    state = IntakeState(key="k2")
    answers = iter(
        ["Föreningen Gemenskap i Mora", "802424-4413", "ideell förening", "ungefär 340",
         "hoppa över", "nej", "Anna Berg", "ordförande", "anna.berg@gemenskapmora.se"]
    )  # fmt: skip
    while (step := next_step(MORA, state)).kind != Kind.PHONE:
        apply_reply(MORA, state, step, Reply(next(answers)))
    return {"active_loop": {"name": "intake_form"}, "slots": {"intake": state.to_slot()}}


def test_ten_digits_from_0_are_masked_where_no_phone_number_is_asked_for() -> None:
    assert mask_for_storage(f"pnr {BORN_2001}", None, MORA) == f"pnr {MASK}"
    checklist = {"active_loop": {"name": "checklist_form"}, "slots": {}}
    assert mask_for_storage(BORN_2001, checklist, MORA) == MASK
    assert mask_for_storage("0112893721", None, MORA) == "0112893721"  # Luhn fails: kept


def test_a_phone_number_answer_is_kept() -> None:
    assert mask_for_storage(BORN_2001, tracker_at_phone_number(), MORA) == BORN_2001
    callback = {
        "active_loop": {"name": "callback_form"},
        "slots": {"requested_slot": "callback_contact"},
    }
    assert mask_for_storage(f"ring {BORN_2001}", callback, MORA) == f"ring {BORN_2001}"
    # …but a personal number written as one is still masked there
    assert mask_for_storage("811228-9874", callback, MORA) == MASK


def test_six_digits_a_space_and_four_is_a_personal_number_not_a_phone_number() -> None:
    assert mask_personal_numbers("011289 3722") == MASK
    assert mask_personal_numbers("070-123 45 67") == "070-123 45 67"


def test_a_payload_is_masked() -> None:
    assert mask_payload('/inform{"pnr": "811228–9874"}') == f'/inform{{"pnr": "{MASK}"}}'
    assert mask_payload("/affirm") == "/affirm"
    assert mask_payload(None) is None


def test_only_a_phone_like_personal_number_makes_the_open_question_matter() -> None:
    assert depends_on_the_question(f"ring {BORN_2001}")
    for text in ("mitt personnummer är 811228-9874", "070-123 45 67", "Hej!", "0112893721"):
        assert not depends_on_the_question(text), text
        # Wherever the conversation stands, such a text is stored the same way.
        for tracker in (None, tracker_at_phone_number(), tracker_at_organisation_number()):
            assert mask_for_storage(text, tracker, MORA) == mask_for_storage(text, None, MORA)
