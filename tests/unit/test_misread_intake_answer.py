"""action_request_human mid-intake: a misread answer goes back to the form, plain words don't."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import loop_closed_this_turn
from actions.escalation import ActionRequestHuman
from bot.names import Form, Intent, Slot
from tests.unit.tracker_factory import user_event

DEACTIVATED = [
    {"event": "action", "name": "action_deactivate_loop"},
    {"event": "active_loop", "name": None},
    {"event": "slot", "name": "requested_slot", "value": None},
]


def tracker(text: str, loop_before: str | None, closed_now: bool) -> Tracker:
    earlier: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    if loop_before:
        earlier = [{"event": "active_loop", "name": loop_before}, *earlier]
    latest = user_event(text, Intent.REQUEST_HUMAN)
    return Tracker(
        sender_id="misread",
        slots={},
        latest_message=latest["parse_data"] | {"text": text},
        events=[*earlier, latest, *(DEACTIVATED if closed_now else [])],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_deactivate_loop" if closed_now else "action_listen",
    )


def test_the_closed_form_is_the_one_active_before_the_message() -> None:
    assert loop_closed_this_turn(tracker("x", Form.INTAKE, closed_now=True)) == Form.INTAKE
    assert loop_closed_this_turn(tracker("x", Form.CHECKLIST, closed_now=True)) == Form.CHECKLIST
    assert loop_closed_this_turn(tracker("x", Form.INTAKE, closed_now=False)) is None
    assert loop_closed_this_turn(tracker("x", None, closed_now=True)) is None


async def test_a_misread_intake_answer_goes_back_to_the_form_as_the_answer() -> None:
    events = await ActionRequestHuman().run(
        CollectingDispatcher(), tracker("Eva Lunds konsult", Form.INTAKE, True), {}
    )
    assert events == [
        {
            "event": "slot",
            "name": Slot.REQUESTED_SLOT,
            "value": Slot.INTAKE_ANSWER,
            "timestamp": None,
        },
        {
            "event": "slot",
            "name": Slot.INTAKE_ANSWER,
            "value": "Eva Lunds konsult",
            "timestamp": None,
        },
        {"event": "followup", "name": Form.INTAKE, "timestamp": None},
    ]
