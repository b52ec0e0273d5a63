"""Every form reads a message's words before its answer slot is validated (bot/form_input.py).

The forms' answer slots take any text (domain.yml maps them `from_text` without `not_intent`), so
NLU's intent can never pull a message out of a form: no rule fires while a form runs. Leaving is
decided here, from the words alone, and done with `ActiveLoop(None)` plus a follow-up action,
which Rasa's FormAction honours from a validation action.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_intent, latest_text, previous_user_text
from actions.named import NamedAction
from bot.form_input import Move, command_in, normalise, quoted, read_message
from bot.names import Action as ActionName
from bot.names import Intent, Response, Slot
from bot.profile import Profile, active_profile

# Buttons that ask something while a form waits: answered, then the question is asked again.
DIGRESSION_INTENTS = frozenset((*Intent.KNOWLEDGE, Intent.EXPLAIN, Intent.BOT_CHALLENGE))


@dataclass(frozen=True)
class Exits:
    """What leaving sounds like for one form."""

    paused: str  # the response when the user pauses (pausa, avbryt, …)
    goodbye: str  # the response when the user says goodbye
    hands_over: bool  # "jag vill prata med en människa": hand over, or say it is under way
    # Ask "Vill du pausa, eller är ”…” ditt svar?" once; the form's own ask action then stays
    # quiet. A form whose questions are plain responses (the callback form) takes the answer.
    checks_once: bool = True


def leave(answer_slot: str, then: str) -> list[EventType]:
    """Close the form now and run `then` next (Rasa's FormAction accepts this from validation)."""
    return [
        SlotSet(answer_slot, None),
        SlotSet(Slot.PENDING_ANSWER, None),
        ActiveLoop(None),
        SlotSet(Slot.REQUESTED_SLOT, None),
        FollowupAction(then),
    ]


def ask_again(answer_slot: str, pending: str | None = None) -> list[EventType]:
    """Keep the form open; it asks its question again."""
    return [SlotSet(answer_slot, None), SlotSet(Slot.PENDING_ANSWER, pending)]


def message_this_turn(tracker: Tracker) -> str | None:
    """The slot waiting for an answer, when the latest message filled it (not at activation)."""
    requested = tracker.get_slot(Slot.REQUESTED_SLOT)
    candidates = tracker.slots_to_validate()
    if requested and candidates.get(requested) not in (None, ""):
        return str(requested)
    return None


class ReadsWordsFirst(FormValidationAction):
    """A form validation that leaves, asks once or answers a question before validating."""

    exits: ClassVar[Exits]
    action_name: ClassVar[str]  # one of bot.names.Action

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def slots_needed(self, tracker: Tracker) -> list[str]:
        """The slots still to fill: the form's own rule, from the conversation alone."""

    @abstractmethod
    def check(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The slots to set for `value`, the user's answer to `slot`; a slot set to None is asked
        again."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Each slot the form still needs that this turn filled, read by `check`. (Rasa SDK's
        own version looks for one `validate_<slot>` method per slot, each with the same four
        arguments; one method with the slot's name says the same once.)"""
        needed = self.slots_needed(tracker)
        checked: dict[str, Any] = {}
        for slot, value in tracker.slots_to_validate().items():
            if slot in needed:
                checked.update(self.check(slot, value, dispatcher, tracker))
        return [SlotSet(slot, value) for slot, value in checked.items()]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return self.slots_needed(tracker)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = message_this_turn(tracker)
        if slot is None:
            return await super().run(dispatcher, tracker, domain)
        text = latest_text(tracker)
        previous = previous_user_text(tracker)
        move = read_message(
            text, repeated=previous is not None and normalise(previous) == normalise(text)
        )
        if move is Move.CONFIRMED:
            pending = tracker.get_slot(Slot.PENDING_ANSWER)
            if not pending:
                return ask_again(slot)
            return await self._as_answer(slot, pending, dispatcher, tracker, domain)
        if move in (Move.PAUSE, Move.GOODBYE):
            dispatcher.utter_message(
                response=self.exits.paused if move is Move.PAUSE else self.exits.goodbye
            )
            return leave(slot, ActionName.LISTEN)
        if move is Move.RESUME:
            return ask_again(slot)  # "fortsätt" with the question open: here it is again
        if move is Move.HUMAN and self.exits.hands_over:
            return leave(slot, ActionName.REQUEST_HUMAN)
        if move is Move.HUMAN and (text.strip().startswith("/") or command_in(text)):
            dispatcher.utter_message(response=Response.CALLBACK_ALREADY_ASKING)
            return ask_again(slot)
        # Otherwise, in a form that already leads to a person, "kan någon ringa mig om …?" is
        # what the user wants to say: the answer.
        if move in (Move.CHECK_PAUSE, Move.CHECK_HUMAN) and self.exits.checks_once:
            dispatcher.utter_message(
                response=Response.CHECK_PAUSE if move is Move.CHECK_PAUSE else Response.CHECK_HUMAN,
                answer=quoted(text),
            )
            return ask_again(slot, pending=text)
        digression = move in (Move.QUESTION, Move.EXPLAIN, Move.HUMAN) or (
            move is Move.BUTTON and latest_intent(tracker) in DIGRESSION_INTENTS
        )
        if digression and self.answer_digression(dispatcher, tracker, slot, move):
            return ask_again(slot)
        # The answer, as Rasa extracted it (a button's "/affirm" is "ja" in the checklist).
        events = await super().run(dispatcher, tracker, domain)
        return [*events, SlotSet(Slot.PENDING_ANSWER, None)]

    async def _as_answer(
        self,
        slot: str,
        value: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Validate the checked message `value` as the answer to `slot`."""
        # The SDK validates the slot events at the end of the tracker (slots_to_validate).
        tracker.slots[slot] = value
        tracker.events.append({"event": "slot", "name": slot, "value": value})
        events = await super().run(dispatcher, tracker, domain)
        return [*events, SlotSet(Slot.PENDING_ANSWER, None)]

    def answer_digression(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, move: Move
    ) -> bool:
        """Answer a question asked instead of an answer; False when it is the answer itself."""
        return False


def answer_common_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, facts: dict[str, Any]
) -> bool:
    """A question about IOP, or "är du en robot?", answered; False for any other question."""
    intent = latest_intent(tracker)
    if intent in Intent.KNOWLEDGE:
        dispatcher.utter_message(response=Response.answer(intent), **facts)
        return True
    if intent == Intent.BOT_CHALLENGE:
        dispatcher.utter_message(response=Response.IAMABOT)
        return True
    if intent == Intent.OUT_OF_SCOPE:
        dispatcher.utter_message(response=Response.OUT_OF_SCOPE)
        return True
    return False


class AsksNextQuestion(NamedAction):
    """A form's "ask the next question" action. While the bot's "Vill du pausa, eller är ”…”
    ditt svar?" waits for its two buttons, that is the open question and nothing else is asked."""

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot(Slot.PENDING_ANSWER):
            return []
        return self.ask(dispatcher, tracker, active_profile())

    @abstractmethod
    def ask(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, profile: Profile
    ) -> list[EventType]:
        """Ask the form's current question (with what goes with it)."""
