"""Start the Rasa server with IOP-lotsen's run-time fixes, then hand over to Rasa's own CLI.

    python -m bot.rasa_server run --model models/iop-lotsen.tar.gz …   (same arguments as `rasa`)

Why a launcher: profiling whole conversations (py-spy, docs/benchmarks.md) showed Rasa 3.6
spending most of its time on work whose result never changes while the server runs:
- 40 % re-checking the *constant* JSON schema of the action server's answer (`jsonschema.validate`
  checks the schema itself on every call). The answer is still validated against the same schema;
  the schema's own check is done once instead of per action.
- 15 % walking every subclass of `Event` for every event read back from the tracker store, to find
  the class for a type name. The name → class table is now built once (and rebuilt if a name is
  unknown, in case a class was imported later), with the same first-match rule.
- 25 % in `DialogueStateTracker.applied_events`, recomputed over the whole conversation by each
  policy for the same, unchanged tracker. The result is now kept on the tracker until its events
  change (another event, or a new list of events), and each caller gets its own copy.
- Reading the stored events back (SQLTrackerStore), twice per message, and counting them before
  each save: SQLAlchemy built an ORM object per stored event only to read its `data`, and the
  count wrapped a subquery of every column. The same queries now read just the `data` column and
  count the ids: 4 % less CPU for 40 whole conversations (docs/benchmarks.md, 2026-12-07 22:00).
And one for start-up: to load a trained DIET or TED model, Rasa 3.6 first trains it for one step
(`RasaModel.load` runs `model.fit` on one example, which traces the whole training graph with
its losses and optimizer) only to create the weights, then overwrites them from the file. That
step was 50 of the 80 s the server needed before answering. The launcher creates the weights by
the prediction the load runs anyway, restoring each from the file as it is created (TensorFlow's
deferred restoration); the optimizer's saved state is not needed to predict. Fine-tuning still
uses Rasa's own load. And it traces the prediction graph without AutoGraph: rewriting the Python
source of every function and layer the prediction calls was half of what remained (8 of 17 CPU-s
per load). AutoGraph only changes a graph where Python control flow depends on a tensor's value,
and Rasa's prediction has none; had it any, tracing without AutoGraph would stop with an error
rather than build another graph. tests/nlu/test_fast_model_load.py checks that both loads give the
same intents and the same next-action probabilities.
And one for memory: TensorFlow 2.12 imports JAX (a pip dependency of it) only for TF Lite, which
Rasa never uses; that import costs about 65 MB per server. The launcher makes `import jax` fail,
which TensorFlow expects and handles.
Behaviour is unchanged; tests/unit/test_rasa_server.py checks both against Rasa's originals.
"""

from __future__ import annotations

import itertools
import json
import sys
from functools import lru_cache
from typing import Any

from jsonschema.protocols import Validator
from jsonschema.validators import validator_for


@lru_cache(maxsize=1)
def _action_response_validator() -> Validator:
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result with the validator built once."""
    from jsonschema import ValidationError

    try:
        _action_response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid."
        )
        raise error


_event_classes: dict[str, type] = {}


def _resolve_event_by_type(type_name: str, default: type | None = None) -> type | None:
    """Rasa's Event.resolve_by_type with the subclass table built once."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    if type_name not in _event_classes:
        _event_classes.clear()
        for cls in reversed(all_subclasses(Event)):  # reversed: the first match wins, as in Rasa
            _event_classes[cls.type_name] = cls
    if type_name in _event_classes:
        return _event_classes[type_name]
    if type_name == "topic":
        return None  # Rasa's backwards compatibility for old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


_APPLIED = "_iop_applied_events"


def _applied_events_cached(self: Any) -> list:
    """Rasa's DialogueStateTracker.applied_events, computed once per state of the tracker.

    The key holds the events container itself (so its id cannot be reused while cached), its
    length and its first and last event: appending, replacing or resetting the events changes it.
    """
    events = self.events
    ends = (id(events[0]), id(events[-1])) if events else (None, None)
    key = (events, len(events), *ends)
    cached = getattr(self, _APPLIED, None)
    if cached is not None and cached[0][0] is events and cached[0][1:] == key[1:]:
        return list(cached[1])
    applied = _original_applied_events(self)
    setattr(self, _APPLIED, (key, applied))
    return list(applied)


async def _retrieve_rows_only(
    self: Any, sender_id: str, fetch_events_from_all_sessions: bool
) -> Any:
    """Rasa's SQLTrackerStore._retrieve reading only the `data` column of the same query: the
    rows come back as plain tuples instead of ORM objects that are built and then thrown away."""
    from rasa.shared.core.trackers import DialogueStateTracker

    with self.session_scope() as session:
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
        events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
    if self.domain and events:
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
    return None


def _additional_events_counted(self: Any, session: Any, tracker: Any) -> Any:
    """Rasa's SQLTrackerStore._additional_events counting the stored rows in the database
    (`count(id)` over the same query) rather than around a subquery of every column."""
    from sqlalchemy import func

    query = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
    stored = query.with_entities(func.count(self.SQLEvent.id)).order_by(None).scalar()
    return itertools.islice(tracker.events, stored, len(tracker.events))


_original_applied_events: Any = None
_original_model_load: Any = None
_original_sql_retrieve: Any = None
_original_sql_additional_events: Any = None


def _load_for_inference(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """Rasa's RasaModel.load without the training step it runs only to create the weights."""
    if finetune_mode or predict_data_example is None:
        return _original_model_load(
            cls,
            model_file_name,
            model_data_example,
            predict_data_example,
            finetune_mode,
            *args,
            **kwargs,
        )
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY

    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    # Nothing is built yet: every weight is restored from the file as the prediction creates it.
    status = model.load_weights(model_file_name)
    if status is not None:
        status.expect_partial()  # the optimizer's slots are in the file but not needed
    # Traced as written, without AutoGraph's source rewrite (see the module doc).
    model.predict_step = tf.autograph.experimental.do_not_convert(model.predict_step)
    model.run_inference(predict_data_example)
    return model


def fast_model_load() -> None:
    """Load DIET and TED for prediction without Rasa's one-step training (see the module doc)."""
    from rasa.utils.tensorflow.models import RasaModel

    global _original_model_load
    if _original_model_load is None:
        _original_model_load = RasaModel.__dict__["load"].__func__
        RasaModel.load = classmethod(_load_for_inference)


def apply_fixes() -> None:
    """Every run-time fix above; each is applied once, however often this is called."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    global _original_applied_events
    from rasa.shared.core.trackers import DialogueStateTracker

    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_event_by_type)
    if _original_applied_events is None:
        _original_applied_events = DialogueStateTracker.applied_events
        DialogueStateTracker.applied_events = _applied_events_cached
    lean_sql_tracker_store()
    fast_model_load()


def lean_sql_tracker_store() -> None:
    """Read and count the stored events with plain rows (see the module doc)."""
    from rasa.core.tracker_store import SQLTrackerStore

    global _original_sql_retrieve, _original_sql_additional_events
    if _original_sql_retrieve is None:
        _original_sql_retrieve = SQLTrackerStore._retrieve
        _original_sql_additional_events = SQLTrackerStore._additional_events
        SQLTrackerStore._retrieve = _retrieve_rows_only
        SQLTrackerStore._additional_events = _additional_events_counted


def skip_jax() -> None:
    """Before TensorFlow is imported: `import jax` raises ImportError (see the module doc)."""
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]


def main() -> None:
    skip_jax()
    apply_fixes()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
