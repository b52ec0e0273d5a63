"""The linear intent model (bot/linear_intents.py) and its Rasa component: deterministic, stored as
data only, and averaged with DIET's ranking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.linear_intents import ARRAYS, LinearIntentModel, blend
from bot.nlu_components import LinearIntentClassifier

EXAMPLES = {
    "greet": ["hej", "hej hej", "god morgon", "hallå där", "tjena", "goddag"],
    "stop": ["pausa", "avbryt", "sluta", "stoppa här", "vi tar det sen", "avsluta nu"],
    "ask_documents": [
        "vilka dokument behövs",
        "vilka handlingar ska vi skicka",
        "behöver ni stadgarna",
        "ska vi skicka årsredovisningen",
        "vilka papper vill ni ha",
        "måste vi bifoga verksamhetsberättelsen",
    ],
}
TEXTS = [text for texts in EXAMPLES.values() for text in texts]
INTENTS = [intent for intent, texts in EXAMPLES.items() for _ in texts]


def fitted() -> LinearIntentModel:
    return LinearIntentModel.fit(TEXTS, INTENTS, strength=10.0)


def test_two_fits_on_the_same_data_give_the_same_weights():
    first, second = fitted(), fitted()
    assert first.intents == second.intents == sorted(EXAMPLES)
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.bias, second.bias)


def test_it_reads_unseen_spellings_and_rows_are_probabilities():
    model = fitted()
    rows = model.probabilities(["vilka dokument ska vi skicka", "hejsan", "PAUSA"])
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert [model.intents[i] for i in rows.argmax(axis=1)] == ["ask_documents", "greet", "stop"]


def test_diacritics_do_not_matter():
    model = fitted()
    assert np.allclose(
        model.probabilities(["vilka handlingar behövs"]),
        model.probabilities(["vilka handlingar behovs"]),
    )


def test_saved_and_loaded_it_predicts_the_same_and_stores_no_pickle(tmp_path: Path):
    model = fitted()
    model.save(tmp_path)
    with np.load(tmp_path / ARRAYS, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    loaded = LinearIntentModel.load(tmp_path)
    texts = ["hej", "vilka dokument", "avbryt", ""]
    assert np.array_equal(loaded.probabilities(texts), model.probabilities(texts))


def test_two_intents_are_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="three intents"):
        LinearIntentModel.fit(["hej", "hallå", "pausa", "sluta"], ["a", "a", "b", "b"], 10.0)


def test_blend_is_the_weighted_average_and_a_missing_intent_counts_as_zero():
    mixed = blend({"a": 0.8, "b": 0.2}, {"b": 0.6, "c": 0.4}, first_weight=0.5)
    assert mixed == pytest.approx({"a": 0.4, "b": 0.4, "c": 0.2})


def component(tmp_path: Path, **config: float) -> LinearIntentClassifier:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), node_name="linear")
    trained = LinearIntentClassifier.create(config, storage, Resource("linear"), context)
    data = TrainingData(
        [Message(data={"text": t, "intent": i}) for t, i in zip(TEXTS, INTENTS, strict=True)]
    )
    resource = trained.train(data)
    return LinearIntentClassifier.load(config, storage, resource, context)


def diet_said(text: str, ranking: dict[str, float]) -> Message:
    entries = [{"name": name, "confidence": value} for name, value in ranking.items()]
    return Message(data={"text": text, "intent": entries[0], "intent_ranking": entries})


def test_the_component_averages_diets_ranking_with_its_own(tmp_path: Path):
    classifier = component(tmp_path, diet_weight=0.5)
    ours = dict(
        zip(classifier.model.intents, classifier.model.probabilities(["pausa"])[0], strict=True)
    )
    (message,) = classifier.process([diet_said("pausa", {"greet": 0.9, "stop": 0.1})])
    ranking = {entry["name"]: entry["confidence"] for entry in message.get("intent_ranking")}
    assert ranking["greet"] == pytest.approx(0.45 + 0.5 * ours["greet"])
    assert ranking["stop"] == pytest.approx(0.05 + 0.5 * ours["stop"])
    assert message.get("intent")["name"] == max(ranking, key=ranking.get)
    confidences = [entry["confidence"] for entry in message.get("intent_ranking")]
    assert confidences == sorted(confidences, reverse=True)


def test_with_all_weight_on_diet_diet_decides(tmp_path: Path):
    classifier = component(tmp_path, diet_weight=1.0)
    (message,) = classifier.process([diet_said("pausa", {"greet": 0.9, "stop": 0.1})])
    assert message.get("intent") == {"name": "greet", "confidence": pytest.approx(0.9)}
