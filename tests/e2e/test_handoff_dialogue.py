"""Asking for a person over Rasa's REST channel, with the real servers and database, when
nobody is online (the shared Mora stack): a callback request, one question at a time, stored
once. With a caseworker online: tests/e2e/test_live_handoff.py."""

from __future__ import annotations

from bot.intake_queue.handoffs import Kind
from bot.privacy import MASK
from bot.profile import load_profile
from tests.e2e import texts
from tests.e2e.intake_dialogue import handoffs_for, nobody_available, start_checklist_and_answer_two
from tests.e2e.intake_dialogue import say as response_text

MORA = load_profile("mora")
CONTACT = MORA.kommun.contact


def test_nobody_online_mid_checklist_leads_to_one_stored_callback_and_the_answers_survive(
    stack, sender
):
    start_checklist_and_answer_two(stack, sender)

    first = stack.texts(sender, "jag vill prata med en handläggare")
    assert len(first) == 2 and first[0] in nobody_available()
    assert CONTACT.phone in first[0] and CONTACT.email in first[0]
    assert first[1] == response_text("utter_ask_callback_name")

    assert stack.texts(sender, "Anna Andersson") == [response_text("utter_ask_callback_contact")]
    assert stack.texts(sender, "det vet jag inte") == [
        response_text("utter_callback_invalid_contact"),
        response_text("utter_ask_callback_contact"),
    ]
    assert stack.texts(sender, "anna.andersson@exempel.se") == [
        response_text("utter_ask_callback_question")
    ]
    sent = stack.texts(
        sender,
        "Hur lång tid tar det innan vi får svar? Mitt personnummer är 19850312-1234.",
    )
    assert sent == [
        response_text(
            "utter_callback_sent",
            callback_promise=MORA.callback_promise,
            opening_hours=CONTACT.opening_hours,
        ),
        response_text("utter_human_contact_checklist_paused"),
    ]

    [callback] = handoffs_for(stack.database_url, sender)
    assert callback.kind is Kind.CALLBACK
    assert callback.contact == {
        "name": "Anna Andersson",
        "email": "anna.andersson@exempel.se",
        "phone": None,
    }
    assert callback.question == (
        f"Hur lång tid tar det innan vi får svar? Mitt personnummer är {MASK}."
    )
    ids = [c.id for c in MORA.criteria]
    assert callback.collected == {"checklist": {ids[0]: "ja", ids[1]: "nej"}}
    assert "19850312-1234" not in str(callback.transcript)

    # Asking again does not make a second request.
    again = stack.texts(sender, "jag vill prata med en handläggare")
    assert again[0] == response_text(
        "utter_callback_already_sent", callback_promise=MORA.callback_promise
    )
    assert len(handoffs_for(stack.database_url, sender)) == 1

    assert stack.texts(sender, "fortsätt") == [
        response_text("utter_checklist_resume"),
        texts.question(MORA, 3),
    ]


def test_stop_in_the_callback_form_sends_nothing(stack, sender):
    stack.texts(sender, "kan någon ringa mig?")
    stack.texts(sender, "Anna Andersson")
    assert stack.texts(sender, "avbryt") == [response_text("utter_callback_cancelled")]
    assert handoffs_for(stack.database_url, sender) == []
    # The bot answers normally again.
    assert stack.texts(sender, "vad är IOP?")[0] == response_text("utter_answer_what_is_iop")
