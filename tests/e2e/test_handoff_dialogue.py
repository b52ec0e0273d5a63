"""Asking for a person over Rasa's REST channel, with the real servers and database.

Nobody online (the shared Mora stack): a callback request, one question at a time, stored once.
A caseworker online (a stack of its own with a profile whose chat is always open): a live handoff
is stored with the conversation so far, and the bot stays silent until the gateway resumes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from bot.intake_queue.accounts import create_account
from bot.intake_queue.console_sessions import ConsoleSessions
from bot.intake_queue.handoffs import Handoffs, Kind
from bot.intake_queue.repository import IntakeQueue
from bot.privacy import MASK
from bot.profile import load_profile
from tests.conftest import PROJECT_ROOT
from tests.e2e import texts
from tests.e2e.intake_dialogue import nobody_available

MORA = load_profile("mora")
ALWAYS_OPEN_PATH = PROJECT_ROOT / "tests" / "fixtures" / "mora_chat_always_open.yml"
ALWAYS_OPEN = load_profile(str(ALWAYS_OPEN_PATH))
CONTACT = MORA.kommun.contact


def said(stack, sender: str, message: str) -> list[str]:
    """The bot's texts; the checklist's progress comes as separate `custom` messages."""
    return [m["text"] for m in stack.say(sender, message) if "text" in m]


def response_text(name: str, **values) -> str:
    return texts.response_text(MORA, name, **values)


def start_checklist_and_answer_two(stack, sender) -> None:
    said(stack, sender, "jag vill testa om vår idé passar för IOP")
    said(stack, sender, "ja")
    assert said(stack, sender, "nej") == [texts.question(MORA, 3)]


def handoffs_for(database_url: str, sender: str) -> list:
    engine = IntakeQueue.open(database_url).engine
    try:
        return [h for h in Handoffs(engine).recent() if h.conversation_id == sender]
    finally:
        engine.dispose()


def test_nobody_online_mid_checklist_leads_to_one_stored_callback_and_the_answers_survive(
    stack, sender
):
    start_checklist_and_answer_two(stack, sender)

    first = said(stack, sender, "jag vill prata med en handläggare")
    assert len(first) == 2 and first[0] in nobody_available()
    assert CONTACT.phone in first[0] and CONTACT.email in first[0]
    assert first[1] == response_text("utter_ask_callback_name")

    assert said(stack, sender, "Anna Andersson") == [response_text("utter_ask_callback_contact")]
    assert said(stack, sender, "det vet jag inte") == [
        response_text("utter_callback_invalid_contact"),
        response_text("utter_ask_callback_contact"),
    ]
    assert said(stack, sender, "anna.andersson@exempel.se") == [
        response_text("utter_ask_callback_question")
    ]
    sent = said(
        stack,
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
    again = said(stack, sender, "jag vill prata med en handläggare")
    assert again[0] == response_text(
        "utter_callback_already_sent", callback_promise=MORA.callback_promise
    )
    assert len(handoffs_for(stack.database_url, sender)) == 1

    assert said(stack, sender, "fortsätt") == [
        response_text("utter_checklist_resume"),
        texts.question(MORA, 3),
    ]


def test_stop_in_the_callback_form_sends_nothing(stack, sender):
    said(stack, sender, "kan någon ringa mig?")
    said(stack, sender, "Anna Andersson")
    assert said(stack, sender, "avbryt") == [response_text("utter_callback_cancelled")]
    assert handoffs_for(stack.database_url, sender) == []
    # The bot answers normally again.
    assert said(stack, sender, "vad är IOP?")[0] == response_text("utter_answer_what_is_iop")


@pytest.fixture
def open_stack(site):
    """The session's stack whose live chat is open around the clock (tests/fixtures)."""
    return site.stack


@pytest.fixture
def caseworker_online(open_stack) -> Iterator[None]:
    """A caseworker logged in to the console and taking live chats, for this test only: the
    stack is the session's, and a caseworker left online would take other tests' conversations."""
    engine = IntakeQueue.open(open_stack.database_url).engine  # migrated, as the console has it
    username = f"karin.{uuid.uuid4().hex[:8]}"
    try:
        create_account(engine, username, "Karin Andersson", "ett långt lösenord")
        ConsoleSessions(engine).start(username)
        yield
        ConsoleSessions(engine).end_all_for(username)
    finally:
        engine.dispose()


def test_caseworker_online_gets_a_live_handoff_and_the_paused_bot_stays_silent(
    open_stack, sender, request
):
    start_checklist_and_answer_two(open_stack, sender)
    request.getfixturevalue("caseworker_online")  # only now: the checklist ran with nobody online

    assert said(open_stack, sender, "jag vill prata med en handläggare") == [
        texts.response_text(ALWAYS_OPEN, "utter_handoff_live_waiting")
    ]

    [live] = handoffs_for(open_stack.database_url, sender)
    assert live.kind is Kind.LIVE
    ids = [c.id for c in ALWAYS_OPEN.criteria]
    assert live.collected == {"checklist": {ids[0]: "ja", ids[1]: "nej"}}
    transcript = [(entry["sender"], entry["text"]) for entry in live.transcript]
    assert ("user", "jag vill testa om vår idé passar för IOP") in transcript
    assert ("bot", texts.question(ALWAYS_OPEN, 2)) in transcript

    # Paused: whatever the user writes now waits for the caseworker, the bot says nothing.
    assert open_stack.say(sender, "hallå, är det någon där?") == []
    assert open_stack.say(sender, "ja") == []
    assert len(handoffs_for(open_stack.database_url, sender)) == 1
