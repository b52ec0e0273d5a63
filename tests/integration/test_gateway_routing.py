"""The gateway's routing rules with a real handoff table (SQLite) and a recording stand-in for
Rasa: the bot never answers during a live handoff, the caseworker's words reach the widget and
the history, handing back resumes the bot, and failures give the user a clear message.
"""

from __future__ import annotations

import pytest

from bot.intake_queue import audit
from bot.intake_queue.handoffs import CloseReason, HandoffRequest, Handoffs, HandoffStatus, Kind
from bot.web.conversation import MAX_MESSAGE_LENGTH, NOT_SENT, HandoffConflict
from tests.integration.recording_rasa import ANNA, BO, CONVERSATION, open_live

BUTTONS = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]


async def test_a_message_goes_to_the_bot_and_its_answer_to_every_tab(
    conversations, rasa, widget
) -> None:
    assert await conversations.user_message(CONVERSATION, "  Hej!  ") is None
    assert rasa.calls == [("send", ("Hej!", None))]
    kinds = [f["type"] for f in widget.frames]
    assert kinds == ["user", "typing", "bot", "typing"]  # "not typing" comes after the answers
    assert widget.of_type("bot")[0]["text"] == "Svar från boten"


async def test_a_button_is_sent_as_its_payload_with_its_title(conversations, rasa) -> None:
    rasa.events = [{"event": "bot", "text": "Passar det?", "data": {"buttons": BUTTONS}}]
    await conversations.user_message(CONVERSATION, "Ja", payload="/affirm")
    assert rasa.calls == [("send", ("/affirm", {"button_title": "Ja"}))]


async def test_a_payload_that_is_not_an_intent_is_treated_as_text(conversations, rasa) -> None:
    await conversations.user_message(CONVERSATION, "Ja", payload="javascript:alert(1)")
    assert rasa.calls == [("send", ("Ja", None))]


async def test_empty_and_too_long_messages_are_not_sent(conversations, rasa) -> None:
    assert await conversations.user_message(CONVERSATION, "   ") is None
    error = await conversations.user_message(CONVERSATION, "x" * (MAX_MESSAGE_LENGTH + 1))
    assert error is not None and error["type"] == "error" and "för långt" in error["text"]
    assert rasa.calls == []


async def test_rasa_down_means_a_clear_not_sent(conversations, rasa, widget) -> None:
    rasa.down = True
    assert await conversations.user_message(CONVERSATION, "Hej") == {
        "type": "error",
        "text": NOT_SENT,
    }
    assert widget.frames[-1] == {"type": "typing", "on": False}


async def test_no_answer_from_rasa_is_never_silence(conversations, rasa, widget) -> None:
    rasa.replies = []  # what Rasa's REST channel returns when the action server is down
    error = await conversations.user_message(CONVERSATION, "Skicka in")
    assert error is not None and "Skicka ditt meddelande igen" in error["text"]
    assert widget.frames[-1] == {"type": "typing", "on": False}


@pytest.mark.parametrize("claimed", [False, True])
async def test_during_a_live_handoff_the_bot_never_answers(
    conversations, gateway_queue, rasa, widget, console, claimed: bool
) -> None:
    handoff_id = open_live(gateway_queue)
    if claimed:
        await conversations.claim(handoff_id, ANNA)
    rasa.replies = [{"text": "Boten försöker svara", "buttons": []}]  # as if Rasa had not paused
    await conversations.user_message(CONVERSATION, "Är någon där?")
    assert rasa.kinds() == ["send"]  # recorded in the conversation's history...
    assert widget.of_type("bot") == []  # ...but nothing from the bot reaches the user
    to_console = console.of_type("user")
    assert [(f["text"], f["handoff"]) for f in to_console] == [("Är någon där?", handoff_id)]


async def test_caseworker_takes_over_writes_and_hands_back(
    conversations, gateway_queue, rasa, widget, console
) -> None:
    handoff_id = open_live(gateway_queue)
    await conversations.claim(handoff_id, ANNA)
    assert widget.of_type("handoff")[-1] == {
        "type": "handoff",
        "state": "active",
        "name": "Anna Berg",
    }
    await conversations.caseworker_says(handoff_id, ANNA, "Hej, jag heter Anna.")
    assert ("caseworker", ("Hej, jag heter Anna.", "Anna Berg")) in rasa.calls
    assert widget.of_type("agent") == [
        {"type": "agent", "text": "Hej, jag heter Anna.", "name": "Anna Berg"}
    ]
    assert console.of_type("agent")[0]["text"] == "Hej, jag heter Anna."

    with pytest.raises(HandoffConflict):
        await conversations.caseworker_says(handoff_id, BO, "Jag med")

    await conversations.hand_back(handoff_id, ANNA)
    handoff = Handoffs(gateway_queue.engine).get(handoff_id)
    assert handoff.status is HandoffStatus.CLOSED
    hand_backs = [
        e for e in audit.entries(gateway_queue.engine) if e.action == "overlamning_hand_back"
    ]
    assert [e.actor for e in hand_backs] == [ANNA.username]
    assert handoff.closed_reason is CloseReason.RESUMED
    assert rasa.kinds()[-2:] == ["resume", "trigger"]
    assert widget.of_type("handoff")[-1]["state"] == "ended"
    assert widget.of_type("bot")[-1]["text"].startswith("Nu är jag tillbaka")

    # The bot answers again.
    rasa.replies = [{"text": "Fråga 4 av 8", "buttons": []}]
    await conversations.user_message(CONVERSATION, "ja")
    assert widget.of_type("bot")[-1]["text"] == "Fråga 4 av 8"


async def test_someone_elses_handoff_cannot_be_taken_or_closed(
    conversations, gateway_queue
) -> None:
    handoff_id = open_live(gateway_queue)
    await conversations.claim(handoff_id, ANNA)
    with pytest.raises(HandoffConflict):
        await conversations.claim(handoff_id, BO)
    with pytest.raises(HandoffConflict):
        await conversations.close(handoff_id, BO)
    assert Handoffs(gateway_queue.engine).get(handoff_id).claimed_by == "anna"


async def test_closing_resumes_rasa_without_a_new_bot_message(
    conversations, gateway_queue, rasa, widget
) -> None:
    handoff_id = open_live(gateway_queue)
    await conversations.claim(handoff_id, ANNA)
    await conversations.close(handoff_id, ANNA)
    assert rasa.kinds()[-1] == "resume"
    assert widget.of_type("handoff")[-1]["state"] == "closed"
    assert widget.of_type("bot") == []
    with pytest.raises(HandoffConflict):
        await conversations.close(handoff_id, ANNA)


async def test_the_user_can_stop_waiting(conversations, gateway_queue, rasa, widget) -> None:
    handoff_id = open_live(gateway_queue)
    assert await conversations.cancel_handoff(CONVERSATION) is None  # nothing for the tab alone
    handoff = Handoffs(gateway_queue.engine).get(handoff_id)
    assert handoff.closed_reason is CloseReason.CANCELLED
    assert rasa.kinds() == ["resume", "trigger"]
    assert widget.of_type("handoff")[-1]["state"] == "ended"


async def test_asking_twice_for_a_person_keeps_one_handoff(
    conversations, gateway_queue, rasa
) -> None:
    open_live(gateway_queue)
    await conversations.request_human(CONVERSATION)
    assert rasa.calls == []  # already waiting: the bot is not asked again
    assert len(Handoffs(gateway_queue.engine).waiting()) == 1


async def test_a_callback_does_not_pause_the_bot(
    conversations, gateway_queue, rasa, widget, console
) -> None:
    Handoffs(gateway_queue.engine).request(
        HandoffRequest(CONVERSATION, Kind.CALLBACK, transcript=[])
    )
    await conversations.user_message(CONVERSATION, "Vad är IOP?")
    assert widget.of_type("bot")[0]["text"] == "Svar från boten"
    assert console.of_type("queue") == []  # the callback was there before: nothing new to show


async def test_session_frame_has_no_history_when_rasa_is_down(
    conversations, rasa, gateway_queue
) -> None:
    rasa.down = True
    open_live(gateway_queue)
    frame = await conversations.session_frame(CONVERSATION, "the-widgets-secret")
    assert frame["history"] == [] and frame["handoff"] == "waiting"
    assert frame["id"] == "the-widgets-secret"


async def test_personal_numbers_never_reach_rasa(
    conversations, rasa, widget, gateway_queue
) -> None:
    await conversations.user_message(CONVERSATION, "Jag heter Eva, 811228-9874")
    assert rasa.calls[0] == ("send", ("Jag heter Eva, ÅÅMMDD-XXXX", None))
    assert widget.of_type("user")[0]["text"] == "Jag heter Eva, ÅÅMMDD-XXXX"
    open_live(gateway_queue)
    await conversations.user_message(CONVERSATION, "Mitt nummer är 19811228-9874")
    assert rasa.calls[-1] == ("send", ("Mitt nummer är ÅÅMMDD-XXXX", None))
