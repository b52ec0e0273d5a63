"""Through the gateway (issue 13, item 3): every written form of a personal identity number is
masked before Rasa sees it, in the text and in a button's payload, and on the live handoff too.
Uses the recording stand-in for Rasa (recording_rasa.py, fixtures in conftest.py)."""

from __future__ import annotations

import pytest

from bot.privacy import MASK
from tests.integration.recording_rasa import CONVERSATION, open_live

FORMS = [
    "811228–9874",
    "811228\u20119874",
    "811228 - 9874",
    "1981-12-28-9874",
    "81 12 28-9874",
    "811228.9874",
    "pnr-811228-9874",
    "８１１２２８－９８７４",
    "198112289874",
]


@pytest.mark.parametrize("written", FORMS)
async def test_no_written_form_reaches_rasa_or_the_widget(conversations, rasa, widget, written):
    await conversations.user_message(CONVERSATION, f"mitt personnummer är {written}")
    sent, _ = rasa.calls[0][1]
    assert MASK in sent and "9874" not in sent and "９８７４" not in sent
    assert "9874" not in widget.of_type("user")[0]["text"]


async def test_a_made_up_payload_never_reaches_rasa(conversations, rasa, widget) -> None:
    """Only the newest bot message's own buttons count (item 7), so a crafted payload with a
    number is not sent at all; the typed text that comes with it is masked like any text."""
    error = await conversations.user_message(
        CONVERSATION, "", payload='/inform{"pnr": "811228–9874"}'
    )
    assert error is not None and error["type"] == "error"
    await conversations.user_message(CONVERSATION, "nr 811228–9874", payload="/inform")
    assert rasa.calls == [("send", (f"nr {MASK}", None))]
    assert "9874" not in str(widget.frames)


async def test_during_a_live_handoff_too(conversations, rasa, console, gateway_queue) -> None:
    open_live(gateway_queue)
    await conversations.user_message(CONVERSATION, "nr 81 12 28–9874")
    assert rasa.calls[-1][1][0] == f"nr {MASK}"
    assert "9874" not in str(console.frames)


async def test_the_conversation_is_read_only_when_its_question_decides(conversations, rasa):
    """A personal number is masked wherever the conversation stands: no tracker read. Ten digits
    from 0 may be a phone number answering the phone question: then the state is read."""
    await conversations.user_message(CONVERSATION, "mitt personnummer är 811228-9874")
    assert rasa.tracker_reads == 0 and rasa.calls[-1][1][0] == f"mitt personnummer är {MASK}"
    await conversations.user_message(CONVERSATION, "ring 0112893722")
    assert rasa.tracker_reads == 1
