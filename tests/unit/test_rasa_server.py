"""The Rasa launcher's fixes (bot/rasa_server.py) must behave exactly like Rasa's originals."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
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


def stored(tmp_path) -> tuple[SQLTrackerStore, list[str]]:
    """A SQLite tracker store holding a one-session and a two-session conversation."""
    domain = Domain.from_yaml("version: '3.1'\nslots:\n  c1:\n    type: any\n    mappings: []\n")
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "events.db"))
    second_session = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hej igen", {"name": "greet", "confidence": 1.0}),
    ]
    conversations = {"one": form_conversation(), "two": form_conversation() + second_session}
    for sender, events in conversations.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, domain.slots)))
    return store, list(conversations)


def as_dicts(tracker: DialogueStateTracker | None) -> list[dict] | None:
    return None if tracker is None else [event.as_dict() for event in tracker.events]


@pytest.mark.parametrize("all_sessions", [False, True])
def test_the_tracker_store_reads_back_what_rasas_own_read_does(tmp_path, all_sessions) -> None:
    store, senders = stored(tmp_path)
    for sender in [*senders, "nobody"]:
        ours = asyncio.run(store._retrieve(sender, all_sessions))
        rasas = asyncio.run(rasa_server._original_sql_retrieve(store, sender, all_sessions))
        assert as_dicts(ours) == as_dicts(rasas)
        assert (ours is None) == (sender == "nobody")
    latest, whole = (asyncio.run(store._retrieve("two", flag)) for flag in (False, True))
    assert 3 <= len(latest.events) < len(whole.events)  # the query's sessions are kept


def test_only_the_events_not_yet_stored_are_written(tmp_path) -> None:
    store, senders = stored(tmp_path)
    for sender in senders:
        tracker = asyncio.run(store.retrieve(sender))
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered("tack", {"name": "thank", "confidence": 1.0}))
        with store.session_scope() as session:
            ours = list(store._additional_events(session, tracker))
            rasas = list(rasa_server._original_sql_additional_events(store, session, tracker))
        assert [e.as_dict() for e in ours] == [e.as_dict() for e in rasas]
        assert [type(e).__name__ for e in ours] == ["ActionExecuted", "UserUttered"]


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
