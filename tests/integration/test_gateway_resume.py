"""Issue 13, item 6: after a handoff, Rasa is resumed (retried) before the handoff is closed, so
a conversation is never left paused for good; if Rasa stays away, the handoff stays open and
the caseworker (or the user who stopped waiting) is told.

Uses the recording stand-in for Rasa (recording_rasa.py, fixtures in conftest.py), whose `resume`
can fail.
"""

from __future__ import annotations

import pytest

from bot.intake_queue.handoffs import CloseReason, Handoffs, HandoffStatus
from bot.web.conversation import NotResumed
from bot.web.texts import NOT_CANCELLED, NOT_RESUMED
from tests.integration.recording_rasa import ANNA, CONVERSATION, open_live


async def test_a_failed_resume_is_retried_before_the_handoff_closes(
    conversations, gateway_queue, rasa, widget
) -> None:
    handoff_id = open_live(gateway_queue)
    await conversations.claim(handoff_id, ANNA)
    rasa.resume_failures = 2  # Rasa restarting: the first two tries fail
    await conversations.hand_back(handoff_id, ANNA)
    assert rasa.kinds().count("resume") == 3
    assert rasa.kinds()[-1] == "trigger"
    handoff = Handoffs(gateway_queue.engine).get(handoff_id)
    assert handoff.status is HandoffStatus.CLOSED and handoff.closed_reason is CloseReason.RESUMED
    assert widget.of_type("handoff")[-1]["state"] == "ended"


@pytest.mark.parametrize("action", ["hand_back", "close"])
async def test_when_rasa_never_resumes_the_handoff_stays_open_and_the_caseworker_is_told(
    conversations, gateway_queue, rasa, widget, console, action: str
) -> None:
    handoff_id = open_live(gateway_queue)
    await conversations.claim(handoff_id, ANNA)
    rasa.resume_failures = 100
    with pytest.raises(NotResumed) as told:
        await getattr(conversations, action)(handoff_id, ANNA)
    assert str(told.value) == NOT_RESUMED  # what the console shows (a HandoffConflict)
    assert "chatten är fortfarande öppen hos dig" in NOT_RESUMED  # plainly: the chat is still yours
    handoff = Handoffs(gateway_queue.engine).get(handoff_id)
    assert handoff.status is HandoffStatus.ACTIVE and handoff.claimed_by == "anna"
    assert widget.of_type("handoff")[-1]["state"] == "active"  # nothing said it ended
    assert "trigger" not in rasa.kinds()

    # The user's messages still reach the caseworker, and a later try works.
    await conversations.user_message(CONVERSATION, "Hallå?")
    assert console.of_type("user")[-1]["text"] == "Hallå?"
    rasa.resume_failures = 0
    await getattr(conversations, action)(handoff_id, ANNA)
    assert Handoffs(gateway_queue.engine).get(handoff_id).status is HandoffStatus.CLOSED


async def test_the_user_who_stops_waiting_is_told_when_the_bot_cannot_take_over(
    conversations, gateway_queue, rasa, widget
) -> None:
    handoff_id = open_live(gateway_queue)
    rasa.resume_failures = 100
    assert await conversations.cancel_handoff(CONVERSATION) == {
        "type": "error",
        "text": NOT_CANCELLED,
    }
    assert Handoffs(gateway_queue.engine).get(handoff_id).status is HandoffStatus.WAITING
    rasa.resume_failures = 0
    assert await conversations.cancel_handoff(CONVERSATION) is None
    assert Handoffs(gateway_queue.engine).get(handoff_id).closed_reason is CloseReason.CANCELLED
