"""Evaluate a trained Rasa model's intent classification on the held-out Swedish test sets.

Used by tests/nlu (thresholds), scripts/nlu_eval.py (the figures and errors) and the benchmark
scripts (comparison of configurations).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from devstack.paths import PROJECT_ROOT

if TYPE_CHECKING:
    from rasa.core.agent import Agent

MODEL = PROJECT_ROOT / "models" / "iop-lotsen.tar.gz"
HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
HELDOUT_NO_DIACRITICS = PROJECT_ROOT / "tests" / "nlu" / "heldout_no_diacritics.yml"
# Written by someone who never saw data/nlu or tests/nlu (issue 11): how well the NLU generalises.
HELDOUT_INDEPENDENT = PROJECT_ROOT / "tests" / "nlu" / "heldout_independent.yml"
# A third set by another writer who saw only docs/intents.md and the seeds, added after the
# independent set had been used to choose the configuration; it has been looked at since.
HELDOUT_FRESH = PROJECT_ROOT / "tests" / "nlu" / "heldout_fresh.yml"
# A fourth, by two writers who saw only docs/intents.md and the seeds, its labels reviewed by two
# other such readers before any model was scored on it; its messages that are also training
# examples were dropped. Nobody has read a model's errors on it: the fresh set had been looked at
# while choosing the configuration, this one has not. Only its scores have been read, including
# for the first try of the linear classifier (three weights); the weight in config.yml was chosen
# on the other sets, and the overlap test keeps training examples out of it.
HELDOUT_UNSEEN = PROJECT_ROOT / "tests" / "nlu" / "heldout_unseen.yml"
# The sets written by people who never read the training data, each scored on its own.
INDEPENDENT_SETS = {
    "independent": HELDOUT_INDEPENDENT,
    "fresh": HELDOUT_FRESH,
    "unseen": HELDOUT_UNSEEN,
}
DIACRITICS = set("åäöÅÄÖ")
TEST_STORIES = PROJECT_ROOT / "tests" / "e2e" / "test_stories.yml"


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


@dataclass(frozen=True)
class IntentScores:
    macro_f1: float
    accuracy: float
    count: int
    errors: tuple[tuple[str, str, str], ...]  # (text, expected, predicted)
    precision: dict[str, float]  # per intent: of the messages given this intent, how many had it


def load_examples(path: Path) -> list[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [Example(m.get("text"), m.get("intent")) for m in data.intent_examples]


def score(examples: list[Example], predicted: list[str]) -> IntentScores:
    from sklearn.metrics import accuracy_score, f1_score, precision_score

    expected = [e.intent for e in examples]
    labels = sorted(set(expected))
    per_intent = precision_score(expected, predicted, labels=labels, average=None, zero_division=0)
    return IntentScores(
        precision=dict(zip(labels, (float(p) for p in per_intent), strict=True)),
        macro_f1=float(f1_score(expected, predicted, labels=labels, average="macro")),
        accuracy=float(accuracy_score(expected, predicted)),
        count=len(examples),
        errors=tuple(
            (e.text, e.intent, p) for e, p in zip(examples, predicted, strict=True) if e.intent != p
        ),
    )


def quiet_rasa_logging() -> None:
    """Rasa logs each parsed message at debug level; message text must never be logged."""
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)


def load_agent(model_path: Path) -> Agent:
    """The model loaded as the Rasa server loads it: bot/rasa_server.py's fast load, which
    tests/nlu/test_fast_model_load.py proves predicts exactly what Rasa's own load does, in a
    third of the time (Rasa's own runs a training step to create the weights)."""
    from bot import rasa_server

    rasa_server.skip_jax()
    rasa_server.fast_model_load()
    from rasa.core.agent import Agent

    quiet_rasa_logging()
    return Agent.load(str(model_path))


def model_snapshot(agent: Agent) -> dict:
    """What tests/nlu/test_fast_model_load.py compares between two loads of one model: the
    first 64 values of every DIET and TED weight, the top three intents (with confidences) of
    120 held-out messages, TED's next-action probabilities after each user turn of the test
    stories, and whether the launcher's fast load was the one used."""
    from rasa.utils.tensorflow.models import RasaModel

    from bot import rasa_server

    weights = {}
    for name, node in agent.processor.graph_runner._instantiated_nodes.items():
        model = getattr(node._component, "model", None)
        if isinstance(model, RasaModel):
            for weight in model.weights:
                weights[f"{name}/{weight.name}"] = weight.numpy().ravel()[:64].tolist()
    texts = [e.text for e in load_examples(HELDOUT)[:60] + load_examples(HELDOUT_INDEPENDENT)[:60]]

    async def parse() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return {
        "patched": RasaModel.load.__func__ is rasa_server._load_for_inference,
        "weights": weights,
        "next_actions": _ted_next_actions(agent),
        "intents": [
            [(r["name"], r["confidence"]) for r in parsed["intent_ranking"][:3]]
            for parsed in asyncio.run(parse())
        ],
    }


def _ted_next_actions(agent: Agent) -> list[list[float]]:
    """TED's probabilities for the next action after each user turn of the test stories (their
    user turns as intents: TED on its own, without the NLU's features of the text)."""
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.generator import TrainingDataGenerator
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.core.training_data.structures import StoryGraph

    domain = agent.domain
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    ted = next(node._component for node in nodes if isinstance(node._component, TEDPolicy))
    steps = YAMLStoryReader(domain).read_from_file(TEST_STORIES)
    stories = TrainingDataGenerator(StoryGraph(steps), domain, augmentation_factor=0)
    probabilities = []
    for story in stories.generate_story_trackers():
        events = list(story.events)
        for turn, event in enumerate(events, start=1):
            if isinstance(event, UserUttered):
                state = DialogueStateTracker.from_events("snapshot", events[:turn], domain.slots)
                probabilities.append(ted.predict_action_probabilities(state, domain).probabilities)
    return probabilities


async def _predict(agent: Agent, texts: list[str]) -> list[str]:
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def evaluate(model: Path | Agent) -> dict[str, IntentScores]:
    """Scores on the first held-out set and its no-diacritics subset, and on each independent set
    (INDEPENDENT_SETS), each also on its messages without å/ä/ö (`model`: a model file, or an
    agent already loaded with load_agent)."""
    agent = load_agent(model) if isinstance(model, Path) else model
    sets = {"first": load_examples(HELDOUT), "no_diacritics": load_examples(HELDOUT_NO_DIACRITICS)}
    sets |= {name: load_examples(path) for name, path in INDEPENDENT_SETS.items()}
    texts = [example.text for examples in sets.values() for example in examples]
    predictions = iter(asyncio.run(_predict(agent, texts)))
    predicted = {name: [next(predictions) for _ in examples] for name, examples in sets.items()}
    scores = {
        "heldout": score(
            sets["first"] + sets["no_diacritics"], predicted["first"] + predicted["no_diacritics"]
        ),
        "no_diacritics": score(sets["no_diacritics"], predicted["no_diacritics"]),
    }
    for name in INDEPENDENT_SETS:
        scores[name] = score(sets[name], predicted[name])
        scores[f"{name}_no_diacritics"] = _plain(sets[name], predicted[name])
    return scores


def _plain(examples: list[Example], predicted: list[str]) -> IntentScores:
    """Scores on the messages written without å/ä/ö."""
    plain = [i for i, e in enumerate(examples) if not DIACRITICS & set(e.text)]
    return score([examples[i] for i in plain], [predicted[i] for i in plain])
