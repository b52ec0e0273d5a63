"""Custom actions run against tracker fixtures with the real domain and profiles."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.checklist import (
    ActionAskChecklistAnswer,
    ActionChangeAnswer,
    ActionChecklistVerdict,
    ActionExplainCriterion,
    ActionStartChecklist,
    ValidateChecklistForm,
)
from actions.escalation import ActionFallback, ActionRequestHuman
from actions.knowledge import ActionAnswerMore, ActionAnswerQuestion
from actions.session import ActionSessionStart
from bot.names import Form, Intent, Response, Slot
from bot.profile import load_profile
from tests.unit.tracker_factory import DOMAIN, make_tracker, responses, run, user_event

MORA = load_profile("mora")
IDS = [c.id for c in MORA.criteria]


def slot_events(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_session_start_sets_kommun_name_and_keeps_checklist_answers():
    tracker = make_tracker(
        slots={Slot.CHECKLIST_ANSWERS: {IDS[0]: "ja"}, Slot.CHECKLIST_ANSWER: "x"}
    )
    _, events = await run(ActionSessionStart(), tracker)
    slots = slot_events(events)
    assert slots[Slot.KOMMUN_NAME] == "Mora kommun"
    assert slots[Slot.CHECKLIST_ANSWERS] == {IDS[0]: "ja"}
    assert Slot.CHECKLIST_ANSWER not in slots
    assert events[0]["event"] == "session_started"


async def test_session_start_keeps_an_open_form_open():
    tracker = make_tracker(
        slots={Slot.REQUESTED_SLOT: Slot.CHECKLIST_ANSWER, Slot.CHECKLIST_CURRENT: IDS[2]},
        in_checklist=True,
    )
    _, events = await run(ActionSessionStart(), tracker)
    assert {"event": "active_loop", "name": Form.CHECKLIST, "timestamp": None} in events
    assert slot_events(events)[Slot.REQUESTED_SLOT] == Slot.CHECKLIST_ANSWER
    assert events[-1]["event"] == "action"  # then it listens


async def test_session_start_without_an_open_form_opens_none():
    _, events = await run(ActionSessionStart(), make_tracker())
    assert not [e for e in events if e["event"] == "active_loop"]


async def test_a_new_session_keeps_a_live_handoff_paused():
    _, events = await run(ActionSessionStart(), make_tracker(paused=True))
    assert [e["event"] for e in events[-2:]] == ["action", "pause"]
    _, events = await run(ActionSessionStart(), make_tracker())
    assert "pause" not in [e["event"] for e in events]


async def test_start_introduces_the_checklist_with_its_length_and_starts_at_question_one():
    dispatcher, events = await run(ActionStartChecklist(), make_tracker(intent=Intent.START_CHECK))
    assert dispatcher.messages[0]["response"] == Response.CHECKLIST_INTRO
    assert dispatcher.messages[0]["total"] == 9
    assert slot_events(events)[Slot.CHECKLIST_CURRENT] == IDS[0]
    assert slot_events(events)[Slot.CHECKLIST_ANSWERS] == {}


async def test_start_resumes_an_unfinished_checklist_without_losing_answers():
    answers = {IDS[0]: "ja", IDS[1]: "nej"}
    tracker = make_tracker(slots={Slot.CHECKLIST_ANSWERS: answers}, intent=Intent.START_CHECK)
    dispatcher, events = await run(ActionStartChecklist(), tracker)
    assert responses(dispatcher) == [Response.CHECKLIST_RESUME]
    assert slot_events(events) == {Slot.CHECKLIST_CURRENT: IDS[2]}


async def test_question_shows_progress_and_the_profiles_wording():
    tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: IDS[2]}, in_checklist=True)
    dispatcher, _ = await run(ActionAskChecklistAnswer(), tracker)
    message = dispatcher.messages[0]
    assert message["response"] == Response.CHECKLIST_QUESTION
    assert (message["number"], message["total"]) == (3, 9)
    assert message["question"] == MORA.criteria[2].question


async def test_switching_profile_changes_the_questions(monkeypatch):
    monkeypatch.setenv("IOP_PROFILE", "linkoping_forum")
    forum = load_profile("linkoping_forum")
    tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: forum.criteria[1].id}, in_checklist=True)
    dispatcher, _ = await run(ActionAskChecklistAnswer(), tracker)
    message = dispatcher.messages[0]
    assert (message["number"], message["total"]) == (2, 8)
    assert message["question"] == forum.criteria[1].question
    assert message["question"] not in {c.question for c in MORA.criteria}


def validate(tracker, value):
    dispatcher = CollectingDispatcher()
    result = ValidateChecklistForm().check(Slot.CHECKLIST_ANSWER, value, dispatcher, tracker)
    return dispatcher, result


def test_an_answer_is_recorded_and_the_next_question_comes_up():
    tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: IDS[0], Slot.CHECKLIST_ANSWERS: {}})
    dispatcher, result = validate(tracker, "ja")
    assert result[Slot.CHECKLIST_ANSWERS] == {IDS[0]: "ja"}
    assert result[Slot.CHECKLIST_CURRENT] == IDS[1]
    assert result[Slot.CHECKLIST_ANSWER] is None
    assert dispatcher.messages == []


def test_free_text_the_classifier_missed_is_still_understood():
    tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: IDS[3], Slot.CHECKLIST_ANSWERS: {}})
    _, result = validate(tracker, "nä inte direkt")
    assert result[Slot.CHECKLIST_ANSWERS] == {IDS[3]: "nej"}


def test_unreadable_answer_asks_again_then_offers_a_person():
    tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: IDS[0], Slot.CHECKLIST_ANSWERS: {}})
    dispatcher, result = validate(tracker, "vi har 40 medlemmar")
    assert responses(dispatcher) == [Response.CHECKLIST_ANSWER_HINT]
    assert result == {Slot.CHECKLIST_ANSWER: None, Slot.CHECKLIST_MISSES: 1}
    tracker = make_tracker(
        slots={Slot.CHECKLIST_CURRENT: IDS[0], Slot.CHECKLIST_ANSWERS: {}, Slot.CHECKLIST_MISSES: 1}
    )
    dispatcher, result = validate(tracker, "blä")
    assert responses(dispatcher) == [Response.DEFAULT_OFFER_HUMAN]


def test_last_answer_ends_the_form():
    answers = {i: "ja" for i in IDS[:-1]}
    tracker = make_tracker(
        slots={Slot.CHECKLIST_CURRENT: IDS[-1], Slot.CHECKLIST_ANSWERS: answers},
        text="osäker",
        intent=Intent.UNSURE,
    )
    _, result = validate(tracker, "vet_inte")
    assert result[Slot.CHECKLIST_CURRENT] is None
    assert result[Slot.CHECKLIST_ANSWERS][IDS[-1]] == "vet_inte"


async def test_form_requires_an_answer_only_while_a_criterion_is_open():
    form = ValidateChecklistForm()
    dispatcher = CollectingDispatcher()
    open_tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: IDS[0]})
    done_tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: None})
    assert await form.required_slots([], dispatcher, open_tracker, DOMAIN) == [
        Slot.CHECKLIST_ANSWER
    ]
    assert await form.required_slots([], dispatcher, done_tracker, DOMAIN) == []


async def test_explain_uses_the_current_criterions_explanation():
    tracker = make_tracker(slots={Slot.CHECKLIST_CURRENT: IDS[6]}, intent=Intent.EXPLAIN)
    dispatcher, _ = await run(ActionExplainCriterion(), tracker)
    assert dispatcher.messages[0]["explanation"] == MORA.criteria[6].explanation


async def test_explain_with_no_question_open_asks_what_to_explain():
    dispatcher, _ = await run(ActionExplainCriterion(), make_tracker(intent=Intent.EXPLAIN))
    assert responses(dispatcher) == [Response.CHECKLIST_NOTHING_TO_EXPLAIN]


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("ändra fråga 2", IDS[4], IDS[1]),
        ("gå tillbaka", IDS[4], IDS[3]),
        ("jag vill ändra mitt svar", None, IDS[-1]),
    ],
)
async def test_change_answer_goes_to_the_named_or_previous_question(text, current, expected):
    answered = IDS if current is None else IDS[: IDS.index(current)]
    tracker = make_tracker(
        slots={
            Slot.CHECKLIST_CURRENT: current,
            Slot.CHECKLIST_ANSWERS: dict.fromkeys(answered, "ja"),
        },
        text=text,
        intent=Intent.CHANGE_ANSWER,
    )
    dispatcher, events = await run(ActionChangeAnswer(), tracker)
    assert slot_events(events)[Slot.CHECKLIST_CURRENT] == expected
    assert dispatcher.messages[0]["number"] == IDS.index(expected) + 1


async def test_change_answer_before_any_answer_starts_from_the_beginning():
    tracker = make_tracker(text="ändra svar", intent=Intent.CHANGE_ANSWER)
    dispatcher, events = await run(ActionChangeAnswer(), tracker)
    assert responses(dispatcher) == [Response.CHANGE_ANSWER_NOTHING_YET]
    assert slot_events(events)[Slot.CHECKLIST_CURRENT] == IDS[0]


async def verdict(answers):
    return await run(
        ActionChecklistVerdict(), make_tracker(slots={Slot.CHECKLIST_ANSWERS: answers})
    )


async def test_verdict_all_yes_says_it_can_fit_and_what_happens_next():
    dispatcher, _ = await verdict(dict.fromkeys(IDS, "ja"))
    assert responses(dispatcher) == [
        Response.VERDICT_FITS,
        Response.VERDICT_NEXT_STEPS,
        Response.VERDICT_OFFER_INTAKE,
    ]
    assert dispatcher.messages[1]["next_steps"] == MORA.next_steps


async def test_verdict_with_a_no_names_the_criterion_why_and_the_alternative():
    answers = dict.fromkeys(IDS, "ja") | {IDS[6]: "nej"}
    dispatcher, _ = await verdict(answers)
    assert responses(dispatcher) == [
        Response.VERDICT_DOES_NOT_FIT,
        Response.VERDICT_FAILED_CRITERION,
        Response.VERDICT_FAILED_ALTERNATIVE,
        Response.VERDICT_OPTIONS,
    ]
    failed = dispatcher.messages[1]
    assert failed["number"] == 7
    assert failed["if_no"] == MORA.criteria[6].if_no
    assert dispatcher.messages[2]["alternative"] == MORA.criteria[6].alternative


async def test_verdict_with_dont_knows_flags_them_for_the_caseworker():
    answers = dict.fromkeys(IDS, "ja") | {IDS[2]: "vet_inte", IDS[5]: "vet_inte"}
    dispatcher, _ = await verdict(answers)
    assert responses(dispatcher)[0] == Response.VERDICT_MAY_FIT
    flagged = [
        m["number"]
        for m in dispatcher.messages
        if m["response"] == Response.VERDICT_UNSURE_CRITERION
    ]
    assert flagged == [3, 6]


async def test_question_outside_the_checklist_gets_answer_and_offer():
    tracker = make_tracker(text="vad är iop", intent=Intent.ASK_WHAT_IS_IOP)
    dispatcher, events = await run(ActionAnswerQuestion(), tracker)
    assert responses(dispatcher) == ["utter_answer_what_is_iop", Response.OFFER_MORE]
    assert slot_events(events) == {Slot.FAQ_TOPIC: Intent.ASK_WHAT_IS_IOP}


async def test_question_inside_the_checklist_gets_only_the_answer():
    tracker = make_tracker(text="vilka papper", intent=Intent.ASK_DOCUMENTS, in_checklist=True)
    dispatcher, _ = await run(ActionAnswerQuestion(), tracker)
    assert responses(dispatcher) == ["utter_answer_documents"]


async def test_deeper_answer_fills_in_the_profiles_facts():
    tracker = make_tracker(slots={Slot.FAQ_TOPIC: Intent.ASK_DOCUMENTS})
    dispatcher, _ = await run(ActionAnswerMore(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_more_documents"
    for document in MORA.documents:
        assert document.name in dispatcher.messages[0]["documents"]


async def test_request_human_gives_the_kommuns_contact(tmp_path, monkeypatch):
    from actions import queue_access
    from bot.intake_queue.repository import IntakeQueue

    # An empty queue of its own: nobody is logged in, so no live chat whatever the clock says.
    monkeypatch.setattr(queue_access, "_queue", IntakeQueue.open(f"sqlite:///{tmp_path / 'q.db'}"))
    dispatcher, _ = await run(ActionRequestHuman(), make_tracker(intent=Intent.REQUEST_HUMAN))
    message = dispatcher.messages[0]
    assert message["email"] == MORA.kommun.contact.email
    assert message["phone"] == MORA.kommun.contact.phone


async def test_second_fallback_in_a_row_offers_a_person():
    first = make_tracker(text="xyz", intent=Intent.NLU_FALLBACK)
    dispatcher, _ = await run(ActionFallback(), first)
    assert responses(dispatcher) == [Response.DEFAULT]
    second = make_tracker(
        text="qwe", intent=Intent.NLU_FALLBACK, events=[user_event("xyz", Intent.NLU_FALLBACK)]
    )
    dispatcher, _ = await run(ActionFallback(), second)
    assert responses(dispatcher) == [Response.DEFAULT_OFFER_HUMAN]
    understood_between = make_tracker(
        text="qwe",
        intent=Intent.NLU_FALLBACK,
        events=[user_event("xyz", Intent.NLU_FALLBACK), user_event("hej", Intent.GREET)],
    )
    dispatcher, _ = await run(ActionFallback(), understood_between)
    assert responses(dispatcher) == [Response.DEFAULT]
