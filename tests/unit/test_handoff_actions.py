"""Asking for a person: live chat, callback request, and the bot taking over again.

The actions run against tracker fixtures and a real SQLite queue; the clock is set per test, so
the Mora profile's weekday hours decide, not the time the tests happen to run.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation, handoff_data, queue_access
from actions.checklist import ActionAskChecklistAnswer, ActionChecklistVerdict
from actions.escalation import ActionRequestHuman
from actions.handoff import (
    ActionResumeAfterHandoff,
    ActionSubmitCallback,
    ValidateCallbackForm,
)
from bot.clock import KOMMUN_TIME_ZONE
from bot.handoff_routing import handoff_just_ended
from bot.intake.state import IntakeState
from bot.intake_queue.accounts import create_account
from bot.intake_queue.console_sessions import ConsoleSessions
from bot.intake_queue.handoffs import Handoffs, Kind
from bot.intake_queue.repository import IntakeQueue
from bot.names import Action, Form, Intent, Response, Slot, SystemIntent
from bot.privacy import MASK
from bot.profile import load_profile
from tests.unit.tracker_factory import DOMAIN, make_tracker, responses, run, user_event

MORA = load_profile("mora")
IDS = [c.id for c in MORA.criteria]
TUESDAY_10 = datetime(2026, 3, 3, 10, 0, tzinfo=KOMMUN_TIME_ZONE)
SATURDAY_10 = datetime(2026, 3, 7, 10, 0, tzinfo=KOMMUN_TIME_ZONE)
SOME_ANSWERS = {IDS[0]: "ja", IDS[1]: "vet_inte"}
HISTORY = [
    user_event("jag vill testa vår idé", Intent.START_CHECK),
    {"event": "bot", "text": "Fråga 1 av 9: …"},
    user_event("ja", Intent.AFFIRM),
]


@pytest.fixture
def queue(tmp_path, monkeypatch) -> IntakeQueue:
    opened = IntakeQueue.open(f"sqlite:///{tmp_path / 'q.db'}")
    monkeypatch.setattr(queue_access, "_queue", opened)
    return opened


@pytest.fixture
def clock(monkeypatch):
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(escalation, "now_utc", lambda: moment)

    set_to(TUESDAY_10)
    return set_to


@pytest.fixture
def caseworker_online(queue) -> None:
    create_account(queue.engine, "karin.a", "Karin Andersson", "ett långt lösenord")
    ConsoleSessions(queue.engine).start("karin.a")


def handoffs(queue) -> list:
    return Handoffs(queue.engine).waiting()


def ask_for_person(slots=None, events=None):
    return make_tracker(
        slots=slots,
        text="jag vill prata med en handläggare",
        intent=Intent.REQUEST_HUMAN,
        events=events,
    )


def followups(events) -> list[str]:
    return [e["name"] for e in events if e["event"] == "followup"]


# --- Live chat ----------------------------------------------------------------------------------


async def test_caseworker_online_in_hours_gets_one_live_handoff_and_the_bot_pauses(
    queue, clock, caseworker_online
):
    tracker = ask_for_person({Slot.CHECKLIST_ANSWERS: SOME_ANSWERS}, events=HISTORY)
    dispatcher, events = await run(ActionRequestHuman(), tracker)
    assert responses(dispatcher) == [Response.HANDOFF_LIVE_WAITING]
    assert events[-1]["event"] == "pause"
    assert not [e for e in events if e["event"] in ("slot", "followup")]  # answers untouched
    [live] = handoffs(queue)
    assert live.kind is Kind.LIVE
    assert live.conversation_id == tracker.sender_id
    assert live.collected == {"checklist": SOME_ANSWERS}
    assert [entry["text"] for entry in live.transcript][:2] == [
        "jag vill testa vår idé",
        "Fråga 1 av 9: …",
    ]


async def test_asking_again_keeps_the_one_live_handoff(queue, clock, caseworker_online):
    await run(ActionRequestHuman(), ask_for_person())
    _, events = await run(ActionRequestHuman(), ask_for_person())
    assert events[-1]["event"] == "pause"
    assert len(handoffs(queue)) == 1


async def test_outside_the_chat_hours_nobody_is_called_even_if_someone_is_logged_in(
    queue, clock, caseworker_online
):
    clock(SATURDAY_10)
    dispatcher, events = await run(ActionRequestHuman(), ask_for_person())
    assert responses(dispatcher) == [Response.HANDOFF_CHAT_CLOSED]
    message = dispatcher.messages[0]
    assert message["live_chat_hours"] == "vardagar 8–16 utom helgdagar och helgaftnar"
    assert message["callback_promise"] == MORA.callback_promise
    assert followups(events) == [Form.CALLBACK]
    assert handoffs(queue) == []


async def test_in_hours_with_nobody_online_the_user_hears_so_and_gets_the_callback_form(
    queue, clock
):
    dispatcher, events = await run(ActionRequestHuman(), ask_for_person())
    assert responses(dispatcher) == [Response.HANDOFF_NOBODY_ONLINE]
    message = dispatcher.messages[0]
    # Whoever only wanted a phone number or an address gets it straight away.
    assert message["phone"] == MORA.kommun.contact.phone
    assert message["email"] == MORA.kommun.contact.email
    assert followups(events) == [Form.CALLBACK]
    assert handoffs(queue) == []


async def test_a_database_failure_says_nothing_was_sent_and_how_to_reach_the_kommun(
    clock, monkeypatch
):
    def broken():
        raise OSError("database is away")

    monkeypatch.setattr(handoff_data, "intake_queue", broken)
    dispatcher, events = await run(ActionRequestHuman(), ask_for_person())
    assert responses(dispatcher) == [Response.HANDOFF_FAILED, Response.HUMAN_CONTACT]
    assert dispatcher.messages[1]["phone"] == MORA.kommun.contact.phone
    assert followups(events) == ["action_listen"]


# --- The callback form --------------------------------------------------------------------------


def intake_with(**values) -> dict:
    state = IntakeState()
    state.values.update(values)
    return state.to_slot()


async def required(tracker) -> list[str]:
    return await ValidateCallbackForm().required_slots(
        [Slot.CALLBACK_NAME, Slot.CALLBACK_CONTACT, Slot.CALLBACK_QUESTION],
        CollectingDispatcher(),
        tracker,
        DOMAIN,
    )


async def test_the_form_asks_name_contact_and_question_when_nothing_is_known():
    assert await required(make_tracker()) == [
        Slot.CALLBACK_NAME,
        Slot.CALLBACK_CONTACT,
        Slot.CALLBACK_QUESTION,
    ]


async def test_the_form_skips_what_the_intake_already_holds():
    known = make_tracker(
        slots={Slot.INTAKE: intake_with(contact_name="Anna", contact_phone="+46701234567")}
    )
    assert await required(known) == [Slot.CALLBACK_QUESTION]
    only_name = make_tracker(slots={Slot.INTAKE: intake_with(contact_name="Anna")})
    assert await required(only_name) == [Slot.CALLBACK_CONTACT, Slot.CALLBACK_QUESTION]


def validate(slot: str, value: str):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text=value, intent=Intent.INFORM)
    result = ValidateCallbackForm().check(slot, value, dispatcher, tracker)
    return responses(dispatcher), result[slot]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("anna@exempel.se", "anna@exempel.se"),
        ("Min mejl är Anna@Exempel.SE", "Anna@exempel.se"),
        ("070-123 45 67", "+46701234567"),
        ("ring mig på 0701234567", "+46701234567"),
    ],
)
def test_contact_is_an_email_address_or_a_phone_number_checked_like_the_intakes(typed, stored):
    assert validate(Slot.CALLBACK_CONTACT, typed) == ([], stored)


@pytest.mark.parametrize("typed", ["vet inte", "anna@", "070-12", "ring mig"])
def test_an_unreadable_contact_is_asked_for_again_with_an_example(typed):
    assert validate(Slot.CALLBACK_CONTACT, typed) == ([Response.CALLBACK_INVALID_CONTACT], None)


def test_a_name_is_kept_as_written_and_a_non_answer_asked_again():
    assert validate(Slot.CALLBACK_NAME, "Anna Andersson") == ([], "Anna Andersson")
    assert validate(Slot.CALLBACK_NAME, "x") == ([Response.CALLBACK_INVALID_NAME], None)


def test_the_question_is_stored_with_personal_numbers_masked():
    _, stored = validate(
        Slot.CALLBACK_QUESTION, "Kan ni ringa mig? Mitt personnummer är 19850312-1234."
    )
    assert stored == f"Kan ni ringa mig? Mitt personnummer är {MASK}."


def test_a_question_must_say_something_and_not_everything():
    assert validate(Slot.CALLBACK_QUESTION, "vet inte") == (
        [Response.CALLBACK_INVALID_QUESTION_SHORT],
        None,
    )
    assert validate(Slot.CALLBACK_QUESTION, "ord " * 600) == (
        [Response.CALLBACK_INVALID_QUESTION_LONG],
        None,
    )


# --- Sending the callback request ---------------------------------------------------------------

FILLED = {
    Slot.CALLBACK_NAME: "Anna Andersson",
    Slot.CALLBACK_CONTACT: "anna@exempel.se",
    Slot.CALLBACK_QUESTION: f"Hur söker vi? Mitt personnummer är {MASK}.",
    Slot.CHECKLIST_ANSWERS: SOME_ANSWERS,
}


async def test_the_callback_request_is_stored_once_with_contact_question_and_answers(queue):
    tracker = make_tracker(slots=FILLED, events=HISTORY)
    dispatcher, events = await run(ActionSubmitCallback(), tracker)
    assert responses(dispatcher) == [Response.CALLBACK_SENT, Response.HUMAN_CONTACT_PAUSED]
    assert dispatcher.messages[0]["callback_promise"] == MORA.callback_promise
    assert dispatcher.messages[0]["opening_hours"] == MORA.kommun.contact.opening_hours
    assert events == [
        {"event": "slot", "name": Slot.CALLBACK_QUESTION, "value": None, "timestamp": None}
    ]
    [callback] = handoffs(queue)
    assert callback.kind is Kind.CALLBACK
    assert callback.contact == {"name": "Anna Andersson", "email": "anna@exempel.se", "phone": None}
    assert callback.question == FILLED[Slot.CALLBACK_QUESTION]
    assert callback.collected == {"checklist": SOME_ANSWERS}
    assert callback.transcript[0]["text"] == "jag vill testa vår idé"
    await run(ActionSubmitCallback(), tracker)  # a double click
    assert len(handoffs(queue)) == 1


async def test_the_intakes_contact_details_go_with_the_callback(queue):
    intake = intake_with(
        contact_name="Anna", contact_email="anna@exempel.se", contact_phone="+46701234567"
    )
    slots = {Slot.INTAKE: intake, Slot.CALLBACK_QUESTION: "När kan vi börja?"}
    await run(ActionSubmitCallback(), make_tracker(slots=slots))
    [callback] = handoffs(queue)
    assert callback.contact == {
        "name": "Anna",
        "email": "anna@exempel.se",
        "phone": "+46701234567",
    }
    assert callback.collected["intake"]["values"]["contact_name"] == "Anna"


async def test_a_failed_write_is_never_confirmed_and_the_answers_stay(monkeypatch):
    def broken():
        raise OSError("database is away")

    monkeypatch.setattr(handoff_data, "intake_queue", broken)
    dispatcher, events = await run(ActionSubmitCallback(), make_tracker(slots=FILLED))
    assert responses(dispatcher) == [Response.HANDOFF_FAILED, Response.HUMAN_CONTACT]
    assert events == []


async def test_asking_again_after_a_failure_sends_the_same_answers_without_retyping(queue, clock):
    _, events = await run(ActionRequestHuman(), ask_for_person(FILLED))
    assert followups(events) == [Action.SUBMIT_CALLBACK]


async def test_a_callback_already_waiting_is_not_asked_for_twice(queue, clock, caseworker_online):
    await run(ActionSubmitCallback(), make_tracker(slots=FILLED))
    dispatcher, events = await run(ActionRequestHuman(), ask_for_person(FILLED))
    assert responses(dispatcher) == [Response.CALLBACK_ALREADY_SENT, Response.HUMAN_CONTACT_PAUSED]
    assert followups(events) == ["action_listen"]
    assert [h.kind for h in handoffs(queue)] == [Kind.CALLBACK]


# --- The bot takes over again -------------------------------------------------------------------

RESUMED = [{"event": "pause"}, user_event("hallå?", Intent.GREET), {"event": "resume"}]


def handed_back(slots=None, events=RESUMED):
    return make_tracker(
        slots=slots,
        text="EXTERNAL: handoff_ended",
        intent=SystemIntent.HANDOFF_ENDED,
        events=events,
    )


def test_only_rasa_s_external_mark_or_a_resume_says_the_handoff_ended():
    typed = make_tracker(text="EXTERNAL: handoff_ended", intent=SystemIntent.HANDOFF_ENDED)
    assert not handoff_just_ended(typed.events)  # the user typed it: no mark, no resume
    marked = make_tracker(text="EXTERNAL: handoff_ended", intent=SystemIntent.HANDOFF_ENDED)
    marked.events[-1]["metadata"] = {"is_external": True}
    assert handoff_just_ended(marked.events)
    assert handoff_just_ended(handed_back().events)


async def test_back_in_the_middle_of_the_checklist_asks_the_next_question():
    dispatcher, events = await run(
        ActionResumeAfterHandoff(), handed_back({Slot.CHECKLIST_ANSWERS: SOME_ANSWERS})
    )
    assert responses(dispatcher) == [Response.HANDOFF_BOT_BACK, Response.CHECKLIST_RESUME]
    assert {
        "event": "slot",
        "name": Slot.CHECKLIST_CURRENT,
        "value": IDS[2],
        "timestamp": None,
    } in (events)
    assert followups(events) == [Form.CHECKLIST]


async def test_back_in_the_middle_of_the_intake_lets_the_intake_resume_itself():
    slots = {
        Slot.CHECKLIST_ANSWERS: dict.fromkeys(IDS, "ja"),
        Slot.INTAKE: intake_with(org_name="Föreningen"),
    }
    dispatcher, events = await run(ActionResumeAfterHandoff(), handed_back(slots))
    assert responses(dispatcher) == [Response.HANDOFF_BOT_BACK]
    assert followups(events) == [Action.START_INTAKE]


async def test_back_with_nothing_under_way_offers_the_main_options():
    dispatcher, events = await run(ActionResumeAfterHandoff(), handed_back())
    assert responses(dispatcher) == [Response.HANDOFF_BOT_BACK, Response.HANDOFF_WHAT_NEXT]
    assert events == []


async def test_a_resume_without_the_external_text_still_counts():
    tracker = make_tracker(text="/handoff_ended", intent=SystemIntent.HANDOFF_ENDED, events=RESUMED)
    dispatcher, _ = await run(ActionResumeAfterHandoff(), tracker)
    assert responses(dispatcher)[0] == Response.HANDOFF_BOT_BACK


async def test_typed_text_that_nlu_took_for_handoff_ended_is_not_understood():
    tracker = make_tracker(text="qzxq", intent=SystemIntent.HANDOFF_ENDED, events=HISTORY)
    dispatcher, events = await run(ActionResumeAfterHandoff(), tracker)
    assert responses(dispatcher) == [Response.DEFAULT]
    assert events == []


# --- Checklist progress for the widget ----------------------------------------------------------


async def test_each_question_carries_its_progress():
    tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: IDS[2]}, in_checklist=True)
    dispatcher, _ = await run(ActionAskChecklistAnswer(), tracker)
    [message] = dispatcher.messages
    assert message["custom"] == {"progress": {"step": 3, "total": 9}}


@pytest.mark.parametrize("answer", ["ja", "nej", "vet_inte"])
async def test_the_verdict_marks_the_progress_done_on_its_first_message(answer):
    tracker = make_tracker(slots={Slot.CHECKLIST_ANSWERS: dict.fromkeys(IDS, answer)})
    dispatcher, _ = await run(ActionChecklistVerdict(), tracker)
    customs = [m["custom"] for m in dispatcher.messages]
    assert customs[0] == {"progress": {"done": True}}
    assert not any(customs[1:])
