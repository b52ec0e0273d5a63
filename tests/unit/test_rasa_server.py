"""The Rasa launcher's fixes (bot/rasa_server.py) must behave exactly like Rasa's originals."""

from __future__ import annotations

import os
import subprocess
import sys

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from bot import rasa_server

ORIGINAL_RESOLVE = Event.resolve_by_type
rasa_server.apply_fixes()
ORIGINAL_APPLIED = rasa_server._original_applied_events


def test_a_valid_action_answer_passes() -> None:
    answer = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []}
    assert rasa_server._validate_action_result(None, answer) is True


@pytest.mark.parametrize(
    "answer",
    [{"events": "not a list"}, {"responses": [1]}, {"events": [{"event": 5}]}],
)
def test_an_invalid_action_answer_is_refused_as_by_rasa(answer: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        rasa_server._validate_action_result(None, answer)


def test_every_event_type_resolves_to_rasas_class() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert rasa_server._resolve_event_by_type(name) is ORIGINAL_RESOLVE(name)


def test_unknown_event_types_behave_as_in_rasa() -> None:
    assert rasa_server._resolve_event_by_type("topic") is None
    assert rasa_server._resolve_event_by_type("nonsense", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'nonsense'"):
        rasa_server._resolve_event_by_type("nonsense")


def form_conversation() -> list[Event]:
    """A conversation that exercises every branch of applied_events: a form with an unhappy
    path, reverted actions and utterances, and a new session."""
    user = UserUttered("hej", {"name": "greet", "confidence": 1.0})
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        user,
        ActionExecuted("checklist_form"),
        ActiveLoop("checklist_form"),
        SlotSet("requested_slot", "c1"),
        ActionExecuted("action_listen"),
        UserUttered("ja", {"name": "affirm", "confidence": 1.0}),
        ActionExecuted("checklist_form"),
        SlotSet("c1", True),
        ActionExecuted("action_listen"),
        UserUttered("vad menas?", {"name": "ask_criterion", "confidence": 1.0}),
        ActionExecuted("action_explain_criterion"),
        ActionExecuted("checklist_form"),
        ActionExecuted("action_listen"),
        UserUttered("nej", {"name": "deny", "confidence": 1.0}),
        ActionExecuted("checklist_form"),
        ActionReverted(),
        ActionExecuted("action_listen"),
        UserUttered("oj", {"name": "affirm", "confidence": 1.0}),
        UserUtteranceReverted(),
        ActionExecuted("checklist_form"),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
    ]


def test_applied_events_match_rasa_after_every_event() -> None:
    tracker = DialogueStateTracker("s", slots=[])
    for event in form_conversation():
        tracker.update(event)
        assert tracker.applied_events() == ORIGINAL_APPLIED(tracker)
        assert tracker.applied_events() == ORIGINAL_APPLIED(tracker)  # from the cache


def test_applied_events_follow_a_restart_and_a_replacement_of_events() -> None:
    tracker = DialogueStateTracker.from_events("s", form_conversation())
    before = tracker.applied_events()
    tracker.update(Restarted())
    assert tracker.applied_events() == ORIGINAL_APPLIED(tracker) == []
    tracker.events = tracker._create_events(form_conversation()[:5])
    assert tracker.applied_events() == ORIGINAL_APPLIED(tracker) != before


def test_callers_get_their_own_copy() -> None:
    tracker = DialogueStateTracker.from_events("s", form_conversation())
    first = tracker.applied_events()
    first.clear()
    assert tracker.applied_events() == ORIGINAL_APPLIED(tracker) != []


def test_tensorflow_loads_without_jax() -> None:
    """The launcher keeps JAX out of Rasa's memory; TensorFlow must still import and run."""
    code = (
        "import sys; from bot.rasa_server import skip_jax; skip_jax(); import tensorflow as tf; "
        "print(int(tf.reduce_sum(tf.constant([1, 2])))); print('jax' in sys.modules and "
        "sys.modules['jax'] is not None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["3", "False"]
