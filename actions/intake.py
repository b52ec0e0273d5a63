"""The intake dialogue: one form, one question at a time, as many steps as the profile needs.

Like the checklist, a single answer slot carries every reply; bot/intake decides what it means
(an answer, a skip, a correction of another field) and this module only says it in Swedish.
Questions asked in the middle ("varför frågar ni?") are answered here and the question repeated,
so a free-text answer is never mistaken for a digression just because NLU filed it oddly.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import checklist_answers, latest_intent
from actions.form_exit import AsksNextQuestion, Exits, ReadsWordsFirst, answer_common_question
from actions.named import NamedAction
from actions.queue_access import intake_queue
from actions.shared import (
    Failed,
    in_thread,
    profile_facts,
    start_or_resume_checklist,
    tell_next_steps,
)
from bot.assessment import Outcome, assess
from bot.clock import now_utc_iso
from bot.form_input import Move
from bot.handoff_routing import MISSES_BEFORE_OFFERING_HUMAN
from bot.intake.choices import LEGAL_FORMS, label_of
from bot.intake.documents import numbered_list
from bot.intake.fields import Shown, shown_in
from bot.intake.flow import Result, apply_reply, declaration_text
from bot.intake.parsing import Reply
from bot.intake.state import IntakeState
from bot.intake.statuses import DeclarationStatus, DocumentStatus
from bot.intake.steps import (
    PARTNER_PREFIX,
    SECTION_ORDER,
    Kind,
    Section,
    Step,
    next_step,
)
from bot.intake_queue.transcripts import from_events
from bot.names import Action as ActionName
from bot.names import Form, Response, Slot
from bot.profile import Profile, active_profile
from bot.record import build_record, document_entry, missing_for_submission

logger = logging.getLogger(__name__)

_NOT_GIVEN = "–"
SKIP_BUTTON = {"title": "Hoppa över", "payload": "/unsure"}


def intake_state(tracker: Tracker) -> IntakeState | None:
    return IntakeState.from_slot(tracker.get_slot(Slot.INTAKE))


def open_step(profile: Profile, tracker: Tracker) -> tuple[IntakeState, Step] | None:
    """The intake under way and the step it waits on; None when there is no such step."""
    state = intake_state(tracker)
    step = next_step(profile, state) if state else None
    return (state, step) if state is not None and step is not None else None


def said_already_submitted(dispatcher: CollectingDispatcher, state: IntakeState | None) -> bool:
    """A sent intake is never sent or started again: the user hears its reference instead."""
    if state is None or not state.submitted:
        return False
    dispatcher.utter_message(response=Response.INTAKE_ALREADY_SUBMITTED, reference=state.reference)
    return True


def question_key(step: Step) -> str:
    if step.id.startswith(f"{PARTNER_PREFIX}:"):
        return f"partner_{step.id.split(':')[2]}"  # partner_orgnr, partner_legal_form
    return step.kind.value if step.offered else step.id


def explain_step(dispatcher: CollectingDispatcher, profile: Profile, step: Step) -> None:
    key = "documents" if step.offered else step.id
    dispatcher.utter_message(response=Response.intake_help(key))


class ActionStartIntake(NamedAction):
    """Starts or resumes the intake once the checklist is answered, whatever it says.

    The kommun receives every initiative (Mora's guideline: it "skall … tas emot … för
    bedömning"); the checklist is only the organisation's first self-assessment, and it follows
    the record so the caseworker knows which criteria to look at first.
    """

    action_name = ActionName.START_INTAKE

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        profile = active_profile()
        state = intake_state(tracker)
        if said_already_submitted(dispatcher, state):
            return []
        verdict = assess(profile.criteria, checklist_answers(tracker)).outcome
        if verdict is Outcome.INCOMPLETE:
            dispatcher.utter_message(response=Response.INTAKE_NEEDS_CHECKLIST)
            return [*start_or_resume_checklist(dispatcher, tracker), FollowupAction(Form.CHECKLIST)]
        if state is None:
            state = IntakeState()
            if verdict is Outcome.DOES_NOT_FIT:
                dispatcher.utter_message(response=Response.INTAKE_SELF_ASSESSMENT_FOLLOWS)
            dispatcher.utter_message(response=Response.INTAKE_INTRO)
        else:
            dispatcher.utter_message(response=Response.INTAKE_RESUME)
        if state.privacy_notice is None:
            tell_about_personal_data(dispatcher, profile, state)
        return [SlotSet(Slot.INTAKE, state.to_slot()), FollowupAction(Form.INTAKE)]


def tell_about_personal_data(
    dispatcher: CollectingDispatcher, profile: Profile, state: IntakeState
) -> None:
    """The information notice (GDPR art. 13), once, before the first personal question."""
    registration = profile.registration
    dispatcher.utter_message(
        response=Response.INTAKE_PRIVACY_NOTICE,
        controller=registration.controller,
        dpo_email=registration.data_protection_officer,
    )
    dispatcher.utter_message(
        response=Response.INTAKE_PRIVACY_NOTICE_RECORDS, retention_days=profile.retention_days
    )
    state.privacy_notice = {"version": profile.privacy_notice_version, "shown_at": now_utc_iso()}


class ActionInformOutsideForm(NamedAction):
    """Details typed when no question is open: a paused intake is offered again, not lost."""

    action_name = ActionName.INFORM_OUTSIDE_FORM

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        state = intake_state(tracker)
        if state is not None and not state.submitted:
            dispatcher.utter_message(response=Response.INTAKE_PAUSED_REMINDER)
        else:
            dispatcher.utter_message(response=Response.INFORM_OUTSIDE_CHECKLIST)
        return []


class ActionAskIntakeAnswer(AsksNextQuestion):
    """Asks the next intake question, with a heading when a new part begins."""

    action_name = ActionName.ASK_INTAKE_ANSWER

    def ask(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, profile: Profile
    ) -> list[EventType]:
        found = open_step(profile, tracker)
        if found is None:
            return []
        state, step = found
        if step.section.value not in state.announced and step.section is not Section.SUMMARY:
            state.announced.append(step.section.value)
            dispatcher.utter_message(
                response=Response.intake_section(step.section.value),
                number=SECTION_ORDER.index(step.section) + 1,
                total=len(SECTION_ORDER) - 1,
            )
        self._ask(dispatcher, profile, state, step)
        return [SlotSet(Slot.INTAKE, state.to_slot())]

    @staticmethod
    def _ask(
        dispatcher: CollectingDispatcher, profile: Profile, state: IntakeState, step: Step
    ) -> None:
        values: dict[str, Any] = {
            "organisation": state.values.get("org_name") or "organisationen",
            "contact_name": state.values.get("contact_name") or "",
        }
        if step.offered:
            values["documents"] = numbered_list(step.offered)
        if step.id.startswith(f"{PARTNER_PREFIX}:"):
            values["partner"] = state.values["partners"][int(step.id.split(":")[1])]["name"]
        if step.kind is Kind.DECLARATION and not state.declaration_shown:
            dispatcher.utter_message(
                response=Response.INTAKE_DECLARATION_TEXT,
                declaration_text=declaration_text(profile, state),
                version=profile.value_declaration.version,
            )
            state.declaration_shown = True
        if step.kind is Kind.SUMMARY:
            # Three short messages rather than one long one: organisation, idea, documents.
            summary = summary_values(profile, state)
            for response in Response.INTAKE_SUMMARY_PARTS:
                dispatcher.utter_message(response=response, **summary)
        buttons = [SKIP_BUTTON] if step.optional else []
        dispatcher.utter_message(
            response=Response.intake_question(question_key(step)), buttons=buttons, **values
        )


def summary_values(profile: Profile, state: IntakeState) -> dict[str, str]:
    """Every collected value as readable text for the summary; skipped ones shown as '–'."""
    values = {key: str(value) for key, value in state.values.items() if value not in (None, "")}
    values["org_legal_form"] = label_of(state.values.get("org_legal_form"), LEGAL_FORMS)
    values["partners"] = (
        ", ".join(
            f"{p['name']} ({p.get('orgnr', '–')}, {label_of(p.get('legal_form'), LEGAL_FORMS)})"
            for p in state.values.get("partners") or []
        )
        or "inga"
    )
    lines = [
        f"• {document.name}: "
        + DocumentStatus.label_for(
            document_entry(document, state.documents.get(document.id, {}))["status"]
        ).lower()
        for document in profile.documents_for(state.values.get("org_legal_form"))
    ]
    declaration = state.declaration or {}
    values["documents"] = "\n".join(lines)
    status = declaration.get("status")
    values["declaration"] = DeclarationStatus.label_for(status).lower() or _NOT_GIVEN
    if status == DeclarationStatus.SIGNED and state.values.get("signatory_name"):
        values["declaration"] += f" av {state.values['signatory_name']}"
    keys = [f.id for f in shown_in(Shown.SUMMARY)]
    return {key: values.get(key, _NOT_GIVEN) for key in keys} | {
        "documents": values["documents"],
        "declaration": values["declaration"],
    }


class ValidateIntakeForm(ReadsWordsFirst):
    """Reads each reply with bot/intake and keeps the form open until every step is done."""

    exits = Exits(paused=Response.INTAKE_PAUSED, goodbye=Response.INTAKE_GOODBYE, hands_over=True)

    action_name = ActionName.VALIDATE_INTAKE

    def slots_needed(self, tracker: Tracker) -> list[str]:
        state = intake_state(tracker)
        if state is None or state.submitted or next_step(active_profile(), state) is None:
            return []
        return [Slot.INTAKE_ANSWER]

    def answer_digression(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, move: Move
    ) -> bool:
        """A question about IOP gets its answer; any other question, help with this step."""
        profile = active_profile()
        if move is not Move.EXPLAIN and answer_common_question(
            dispatcher, tracker, profile_facts(profile)
        ):
            return True
        found = open_step(profile, tracker)
        if found is not None:
            explain_step(dispatcher, profile, found[1])
        return True

    def check(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        profile = active_profile()
        found = open_step(profile, tracker)
        if found is None:
            return {Slot.INTAKE_ANSWER: None}
        state, step = found
        reply = Reply(str(value or ""), latest_intent(tracker))
        outcome = apply_reply(profile, state, step, reply)
        if outcome.result is Result.INVALID:
            state.misses += 1
            dispatcher.utter_message(
                response=Response.intake_invalid(step.kind.value, outcome.reason or "")
            )
            if state.misses >= MISSES_BEFORE_OFFERING_HUMAN:
                dispatcher.utter_message(response=Response.DEFAULT_OFFER_HUMAN)
                state.misses = 0
        else:
            state.misses = 0
        if outcome.result is Result.CORRECTING:
            dispatcher.utter_message(response=Response.INTAKE_CORRECTING)
        elif outcome.result is Result.WHICH_FIELD:
            dispatcher.utter_message(response=Response.INTAKE_WHICH_FIELD)
        elif outcome.result is Result.SKIPPED:
            dispatcher.utter_message(response=Response.INTAKE_SKIPPED)
        elif step.kind is Kind.DECLARATION and state.declaration_refused:
            dispatcher.utter_message(response=Response.INTAKE_DECLARATION_REFUSED)
        return {Slot.INTAKE_ANSWER: None, Slot.INTAKE: state.to_slot()}


class ActionSubmitIntake(NamedAction):
    """Hands the record to the intake queue once; a repeat only repeats the reference."""

    action_name = ActionName.SUBMIT_INTAKE

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        profile = active_profile()
        state = intake_state(tracker)
        if state is None:
            dispatcher.utter_message(response=Response.ANYTHING_ELSE)
            return []
        if said_already_submitted(dispatcher, state):
            return []
        if missing_for_submission(profile, state):
            dispatcher.utter_message(response=Response.INTAKE_INCOMPLETE)
            return []
        answers = checklist_answers(tracker)
        transcript = from_events(list(tracker.events))

        def build(reference: str, submitted_at: str) -> dict[str, Any]:
            return build_record(profile, state, answers, tracker.sender_id, reference, submitted_at)

        submission = await in_thread(
            lambda: intake_queue().submit(state.key, build, transcript),
            f"Submitting intake {state.key}",
        )
        if isinstance(submission, Failed):
            dispatcher.utter_message(response=Response.INTAKE_SUBMIT_FAILED)
            return []
        state.reference = submission.reference
        dispatcher.utter_message(response=Response.INTAKE_SUBMITTED, reference=submission.reference)
        tell_next_steps(dispatcher, profile)
        # Where to send the documents that exist or come later, quoting the reference.
        to_send = [
            profile.document(document_id).name
            for document_id, detail in state.documents.items()
            if detail.get("status") in (DocumentStatus.EXISTS, DocumentStatus.LATER)
        ]
        if to_send:
            dispatcher.utter_message(
                response=Response.INTAKE_SUBMITTED_MISSING,
                reference=submission.reference,
                documents_email=profile.registration.documents_email,
                documents="\n".join(f"• {name}" for name in to_send),
            )
        if state.declaration_refused:
            dispatcher.utter_message(response=Response.INTAKE_SUBMITTED_NOT_SIGNED)
        return [SlotSet(Slot.INTAKE, state.to_slot())]
