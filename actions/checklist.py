"""The checklist: one criterion at a time, as many as the kommun profile lists.

One form with a single answer slot: action_ask_checklist_answer renders the current criterion,
validation records the answer and moves on, and the form ends when every criterion is answered.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    checklist_answers,
    latest_text,
    serialise_answers,
)
from actions.form_exit import AsksNextQuestion, Exits, ReadsWordsFirst
from actions.named import NamedAction
from actions.shared import intake_in_progress, start_or_resume_checklist, tell_next_steps
from bot.answers import is_whole_answer, parse_answer, parse_question_number
from bot.assessment import Answer, Outcome, assess, next_unanswered
from bot.form_input import Move, looks_like_a_name, nlu_may_decide_yes_no
from bot.handoff_routing import MISSES_BEFORE_OFFERING_HUMAN
from bot.names import Action as ActionName
from bot.names import Form, Response, Slot
from bot.profile import Criterion, Profile, active_profile


def current_criterion(profile: Profile, tracker: Tracker) -> Criterion | None:
    criterion_id = tracker.get_slot(Slot.CHECKLIST_CURRENT)
    try:
        return profile.criterion(criterion_id) if criterion_id else None
    except KeyError:  # the profile changed under a running conversation
        return next_unanswered(profile.criteria, checklist_answers(tracker))


class ActionStartChecklist(NamedAction):
    """Starts the checklist, or resumes an unfinished one where the user left it."""

    action_name = ActionName.START_CHECKLIST

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        profile = active_profile()
        answers = checklist_answers(tracker)
        if intake_in_progress(tracker) and next_unanswered(profile.criteria, answers) is None:
            # "Fortsätt" after pausing the intake: go back to the intake, not the checklist.
            dispatcher.utter_message(response=Response.INTAKE_RESUME)
            return [FollowupAction(Form.INTAKE)]
        return start_or_resume_checklist(dispatcher, tracker)


def progress(**values: Any) -> dict[str, Any]:
    """Checklist progress for the chat widget ({"step": 3, "total": 9} or {"done": True})."""
    return {"progress": values}


class ActionAskChecklistAnswer(AsksNextQuestion):
    """Asks the current criterion's question with its place in the list."""

    action_name = ActionName.ASK_CHECKLIST_ANSWER

    def ask(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, profile: Profile
    ) -> list[EventType]:
        criterion = current_criterion(profile, tracker) or profile.criteria[0]
        number, total = profile.position(criterion.id), len(profile.criteria)
        # The progress rides on the question's message: the widget gets it as a `custom`
        # message right after the question, and it is stored in the same bot event.
        dispatcher.utter_message(
            response=Response.CHECKLIST_QUESTION,
            number=number,
            total=total,
            question=criterion.question,
            json_message=progress(step=number, total=total),
        )
        return [SlotSet(Slot.CHECKLIST_CURRENT, criterion.id)]


class ValidateChecklistForm(ReadsWordsFirst):
    """Records each answer and keeps the form open until every criterion has one."""

    exits = Exits(paused=Response.CHECKLIST_PAUSED, goodbye=Response.GOODBYE, hands_over=True)

    def answer_digression(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, move: Move
    ) -> bool:
        """A question that NLU did not file as a digression is taken to be about this one."""
        if move is Move.QUESTION and parse_answer(latest_text(tracker)) is not None:
            return False  # "ja?" is an answer
        explain_current(dispatcher, active_profile(), tracker)
        return True

    action_name = ActionName.VALIDATE_CHECKLIST

    def slots_needed(self, tracker: Tracker) -> list[str]:
        return [Slot.CHECKLIST_ANSWER] if tracker.get_slot(Slot.CHECKLIST_CURRENT) else []

    def check(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        return record_answer(active_profile(), tracker, dispatcher, value)


def explain_current(dispatcher: CollectingDispatcher, profile: Profile, tracker: Tracker) -> None:
    criterion = current_criterion(profile, tracker)
    if criterion is None:
        dispatcher.utter_message(response=Response.CHECKLIST_NOTHING_TO_EXPLAIN)
    else:
        dispatcher.utter_message(
            response=Response.CHECKLIST_EXPLAIN, explanation=criterion.explanation
        )


def record_answer(
    profile: Profile, tracker: Tracker, dispatcher: CollectingDispatcher, slot_value: Any
) -> dict[str, Any]:
    """Store ja / nej / vet inte for the current criterion; point at the next unanswered one."""
    text = latest_text(tracker)
    answer = _reads_as_answer(slot_value, slot_value if text.startswith("/") else text)
    criterion = current_criterion(profile, tracker)
    if answer is None or criterion is None:
        misses = int(tracker.get_slot(Slot.CHECKLIST_MISSES) or 0) + 1
        if misses >= MISSES_BEFORE_OFFERING_HUMAN:
            dispatcher.utter_message(response=Response.DEFAULT_OFFER_HUMAN)
            misses = 0
        else:
            dispatcher.utter_message(response=Response.CHECKLIST_ANSWER_HINT)
        return {Slot.CHECKLIST_ANSWER: None, Slot.CHECKLIST_MISSES: misses}
    answers = checklist_answers(tracker)
    answers[criterion.id] = answer
    following = next_unanswered(profile.criteria, answers)
    return {
        Slot.CHECKLIST_ANSWER: None,
        Slot.CHECKLIST_ANSWERS: serialise_answers(answers),
        Slot.CHECKLIST_CURRENT: following.id if following else None,
        Slot.CHECKLIST_MISSES: 0,
    }


def _as_answer(slot_value: Any, text: str) -> Answer | None:
    """ja / nej / vet inte from the words; NLU's reading ("ja" from `affirm`) only for a button
    or a short reply that is not a name, so "Mohammed Ali" or a long story is asked again."""
    if not isinstance(slot_value, str):
        return None
    try:
        from_nlu = Answer(slot_value)
    except ValueError:
        return parse_answer(slot_value)
    if text.strip().startswith("/") or text == slot_value:
        return from_nlu
    return parse_answer(text) or (from_nlu if nlu_may_decide_yes_no(text) else None)


def _reads_as_answer(slot_value: Any, text: str) -> Answer | None:
    """A name ("Glöm Inte Oss", "Mohammed Ali") is never a yes or a no, whatever its words."""
    if looks_like_a_name(text) and not is_whole_answer(text):
        return None
    return _as_answer(slot_value, text)


class ActionExplainCriterion(NamedAction):
    """Explains the question being asked; the form then asks it again."""

    action_name = ActionName.EXPLAIN_CRITERION

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        explain_current(dispatcher, active_profile(), tracker)
        return []


class ActionChangeAnswer(NamedAction):
    """Goes back to a named question ("ändra fråga 3") or, without a number, the previous one."""

    action_name = ActionName.CHANGE_ANSWER

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        profile = active_profile()
        answers = checklist_answers(tracker)
        if not answers:
            dispatcher.utter_message(response=Response.CHANGE_ANSWER_NOTHING_YET)
            return [
                SlotSet(Slot.CHECKLIST_ANSWERS, {}),
                SlotSet(Slot.CHECKLIST_CURRENT, profile.criteria[0].id),
            ]
        target = _question_to_revisit(profile, tracker, answers)
        dispatcher.utter_message(
            response=Response.CHANGE_ANSWER_GOING_BACK, number=profile.position(target.id)
        )
        return [SlotSet(Slot.CHECKLIST_CURRENT, target.id), SlotSet(Slot.CHECKLIST_MISSES, 0)]


def _question_to_revisit(
    profile: Profile, tracker: Tracker, answers: dict[str, Answer]
) -> Criterion:
    number = parse_question_number(latest_text(tracker))
    if number is not None and 1 <= number <= len(profile.criteria):
        return profile.criteria[number - 1]
    answered = [c for c in profile.criteria if c.id in answers]
    current = current_criterion(profile, tracker)
    if current is not None:
        earlier = [c for c in answered if profile.position(c.id) < profile.position(current.id)]
        if earlier:
            return earlier[-1]
    return answered[-1]


class ActionChecklistVerdict(NamedAction):
    """Tells the organisation honestly what its answers mean, and what it can do next.

    Whatever the answers, the organisation may hand the initiative in: the checklist is its own
    first self-assessment, and the kommun receives every initiative and judges it itself.
    """

    action_name = ActionName.CHECKLIST_VERDICT

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        profile = active_profile()
        result = assess(profile.criteria, checklist_answers(tracker))
        done = progress(done=True)  # on the verdict's first message: the widget hides progress
        if result.outcome is Outcome.DOES_NOT_FIT:
            dispatcher.utter_message(response=Response.VERDICT_DOES_NOT_FIT, json_message=done)
            # Why, then what could fit instead: two short messages rather than one long one.
            for criterion in result.failed:
                dispatcher.utter_message(
                    response=Response.VERDICT_FAILED_CRITERION,
                    number=profile.position(criterion.id),
                    if_no=criterion.if_no,
                )
                dispatcher.utter_message(
                    response=Response.VERDICT_FAILED_ALTERNATIVE, alternative=criterion.alternative
                )
        elif result.outcome is Outcome.MAY_FIT:
            dispatcher.utter_message(response=Response.VERDICT_MAY_FIT, json_message=done)
            for criterion in result.unsure:
                dispatcher.utter_message(
                    response=Response.VERDICT_UNSURE_CRITERION,
                    number=profile.position(criterion.id),
                    statement=criterion.statement,
                )
            tell_next_steps(dispatcher, profile)
        elif result.outcome is Outcome.FITS:
            dispatcher.utter_message(response=Response.VERDICT_FITS, json_message=done)
            tell_next_steps(dispatcher, profile)
        if result.outcome in (Outcome.FITS, Outcome.MAY_FIT):
            dispatcher.utter_message(response=Response.VERDICT_OFFER_INTAKE)
        else:
            dispatcher.utter_message(response=Response.VERDICT_OPTIONS)
        return [SlotSet(Slot.CHECKLIST_CURRENT, None)]
