"""Asking for a person over Rasa's REST channel with a caseworker online (the session's site,
whose profile keeps the chat open around the clock): a live handoff is stored with the
conversation so far, and the bot stays silent until the gateway resumes it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from bot.intake_queue.accounts import create_account
from bot.intake_queue.console_sessions import ConsoleSessions
from bot.intake_queue.handoffs import Kind
from bot.intake_queue.repository import IntakeQueue
from bot.profile import load_profile
from tests.conftest import PROJECT_ROOT
from tests.e2e import texts
from tests.e2e.intake_dialogue import handoffs_for, start_checklist_and_answer_two

ALWAYS_OPEN_PATH = PROJECT_ROOT / "tests" / "fixtures" / "mora_chat_always_open.yml"
ALWAYS_OPEN = load_profile(str(ALWAYS_OPEN_PATH))


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

    assert open_stack.texts(sender, "jag vill prata med en handläggare") == [
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
