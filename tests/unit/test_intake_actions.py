"""The intake actions against tracker fixtures and a real SQLite queue."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import queue_access
from actions.intake import (
    ActionAskIntakeAnswer,
    ActionInformOutsideForm,
    ActionStartIntake,
    ActionSubmitIntake,
    ValidateIntakeForm,
)
from bot.assessment import Answer
from bot.intake.state import IntakeState
from bot.intake_queue.repository import IntakeQueue
from bot.names import Form, Response, Slot
from bot.profile import load_profile
from tests.intake_fixtures import complete_state
from tests.unit.tracker_factory import DOMAIN, form_tracker, make_tracker, responses, run

MORA = load_profile("mora")
ALL_YES = {c.id: Answer.YES.value for c in MORA.criteria}


@pytest.fixture
def queue(tmp_path, monkeypatch) -> IntakeQueue:
    opened = IntakeQueue.open(f"sqlite:///{tmp_path / 'q.db'}")
    monkeypatch.setattr(queue_access, "_queue", opened)
    return opened


async def test_start_before_the_checklist_runs_the_checklist_first():
    dispatcher, events = await run(ActionStartIntake(), make_tracker())
    assert responses(dispatcher)[0] == Response.INTAKE_NEEDS_CHECKLIST
    assert events[-1] == {"event": "followup", "name": Form.CHECKLIST, "timestamp": None}


async def test_a_no_in_the_checklist_still_opens_the_intake_and_says_the_assessment_follows():
    answers = {**ALL_YES, MORA.criteria[0].id: Answer.NO.value}
    dispatcher, events = await run(
        ActionStartIntake(), make_tracker({Slot.CHECKLIST_ANSWERS: answers})
    )
    assert responses(dispatcher) == [
        Response.INTAKE_SELF_ASSESSMENT_FOLLOWS,
        Response.INTAKE_INTRO,
        Response.INTAKE_PRIVACY_NOTICE,
        Response.INTAKE_PRIVACY_NOTICE_RECORDS,
    ]
    assert events[-1]["name"] == Form.INTAKE


async def test_the_privacy_notice_names_the_controller_and_dpo_and_is_shown_once():
    dispatcher, events = await run(
        ActionStartIntake(), make_tracker({Slot.CHECKLIST_ANSWERS: ALL_YES})
    )
    notice = dispatcher.messages[1]
    assert notice["controller"] == MORA.registration.controller
    assert notice["dpo_email"] == MORA.registration.data_protection_officer
    state = IntakeState.from_slot(events[0]["value"])
    assert state.privacy_notice["version"] == MORA.privacy_notice_version
    again, _ = await run(
        ActionStartIntake(),
        make_tracker({Slot.CHECKLIST_ANSWERS: ALL_YES, Slot.INTAKE: state.to_slot()}),
    )
    assert responses(again) == [Response.INTAKE_RESUME]


async def test_start_after_a_good_verdict_opens_the_intake_form_with_a_new_key():
    dispatcher, events = await run(
        ActionStartIntake(), make_tracker({Slot.CHECKLIST_ANSWERS: ALL_YES})
    )
    assert responses(dispatcher) == [
        Response.INTAKE_INTRO,
        Response.INTAKE_PRIVACY_NOTICE,
        Response.INTAKE_PRIVACY_NOTICE_RECORDS,
    ]
    state = IntakeState.from_slot(events[0]["value"])
    assert state is not None and state.key
    assert events[-1]["name"] == Form.INTAKE


def _validate(state: IntakeState, text: str, intent: str = "inform"):
    tracker = make_tracker({Slot.INTAKE: state.to_slot()}, text=text, intent=intent)
    dispatcher = CollectingDispatcher()
    result = ValidateIntakeForm().check(Slot.INTAKE_ANSWER, text, dispatcher, tracker)
    return responses(dispatcher), IntakeState.from_slot(result.get(Slot.INTAKE)), result


def test_validation_explains_a_bad_value_and_offers_a_person_after_two():
    state = IntakeState(values={"org_name": "Mora IK"}, answered=["org_name"])
    said, state, _ = _validate(state, "802424-4414")
    assert said == ["utter_intake_invalid_orgnr_checksum"]
    said, state, _ = _validate(state, "123")
    assert said == ["utter_intake_invalid_orgnr_format", Response.DEFAULT_OFFER_HUMAN]


async def test_a_question_mid_intake_is_answered_not_stored():
    tracker = form_tracker(
        Form.INTAKE,
        Slot.INTAKE_ANSWER,
        "vad är IOP?",
        "ask_what_is_iop",
        slots={Slot.INTAKE: IntakeState().to_slot()},
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateIntakeForm().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == [Response.answer("ask_what_is_iop")]
    assert [e["name"] for e in events if e["event"] == "slot"] == [
        Slot.INTAKE_ANSWER,
        Slot.PENDING_ANSWER,
    ]


async def test_submit_stores_once_even_when_the_tracker_lost_the_reference(queue):
    state = complete_state(MORA)
    tracker = make_tracker({Slot.INTAKE: state.to_slot(), Slot.CHECKLIST_ANSWERS: ALL_YES})
    dispatcher, events = await run(ActionSubmitIntake(), tracker)
    assert responses(dispatcher)[0] == Response.INTAKE_SUBMITTED
    reference = IntakeState.from_slot(events[0]["value"]).reference
    # The action server crashed after storing but before Rasa saved the slot: same state again.
    dispatcher, events = await run(ActionSubmitIntake(), tracker)
    assert dispatcher.messages[0]["reference"] == reference
    assert len(queue.list_cases()) == 1


async def test_submit_failure_keeps_everything_and_says_so(monkeypatch):
    def broken():
        raise OSError("database is down")

    monkeypatch.setattr("actions.intake.intake_queue", broken)
    state = complete_state(MORA)
    tracker = make_tracker({Slot.INTAKE: state.to_slot(), Slot.CHECKLIST_ANSWERS: ALL_YES})
    dispatcher, events = await run(ActionSubmitIntake(), tracker)
    assert responses(dispatcher) == [Response.INTAKE_SUBMIT_FAILED]
    assert events == []  # nothing changes: the user can try again


async def test_an_initiative_with_three_nos_is_received_with_its_self_assessment(queue):
    no_ids = [c.id for c in MORA.criteria[4:7]]
    answers = {**ALL_YES, **dict.fromkeys(no_ids, Answer.NO.value)}
    state = complete_state(MORA)
    tracker = make_tracker({Slot.INTAKE: state.to_slot(), Slot.CHECKLIST_ANSWERS: answers})
    dispatcher, _ = await run(ActionSubmitIntake(), tracker)
    assert responses(dispatcher)[0] == Response.INTAKE_SUBMITTED
    [case] = queue.list_cases()
    record = queue.get(case.reference)
    assert record["checklist"]["verdict"] == "passar_inte"
    assert record["checklist"]["look_at_first"] == no_ids


async def test_details_typed_while_the_intake_is_paused_bring_it_back():
    paused = make_tracker({Slot.INTAKE: IntakeState(values={"org_name": "X"}).to_slot()})
    dispatcher, events = await run(ActionInformOutsideForm(), paused)
    assert responses(dispatcher) == [Response.INTAKE_PAUSED_REMINDER] and events == []
    dispatcher, _ = await run(ActionInformOutsideForm(), make_tracker())
    assert responses(dispatcher) == [Response.INFORM_OUTSIDE_CHECKLIST]


async def test_while_the_check_is_open_the_question_is_not_asked_again():
    state = IntakeState()
    asking = make_tracker({Slot.INTAKE: state.to_slot(), Slot.PENDING_ANSWER: "Sluta Svälta"})
    dispatcher, events = await run(ActionAskIntakeAnswer(), asking)
    assert dispatcher.messages == [] and events == []
    dispatcher, _ = await run(ActionAskIntakeAnswer(), make_tracker({Slot.INTAKE: state.to_slot()}))
    assert responses(dispatcher)[-1] == Response.intake_question("org_name")
