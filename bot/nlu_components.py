"""Custom Rasa NLU components (with bot/rasa_server.py, the only modules in bot/ that import Rasa).

FoldedCountVectorsFeaturizer is Rasa's CountVectorsFeaturizer with one extra step: tokens are
folded to letters without diacritics before counting, so "förening", "forening" and "Förening"
give the same features. Entities keep the original text because only features are folded.

LinearIntentClassifier averages DIET's intent ranking with a logistic regression over the same
folded text (bot/linear_intents.py), which trains identically on every machine: the pair beat
either alone on every held-out set (docs/benchmarks.md), and a different DIET moves the result
less.

CommandIntentClassifier gives a whole-message command ("pausa", "fortsätt", "jag vill prata med en
människa", bot/form_commands.yml) its intent with certainty, whatever DIET says: the words the bot
itself tells people to type must work with any model trained from the data.

IdentifierEntityFilter keeps organisationsnummer, e-mail, phone and year only as the regexes
found them. DIET learns these entities too (Rasa's RegexEntityExtractor needs them annotated),
and its guesses would, for example, take a personnummer for an organisationsnummer.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import (
    ACTION_NAME,
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.form_input import fixed_intent
from bot.linear_intents import LinearIntentModel, blend
from bot.text import fold_diacritics

_LABEL_ATTRIBUTES = (INTENT, ACTION_NAME, INTENT_RESPONSE_KEY)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class FoldedCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Bag-of-words / character n-gram features over diacritic-folded tokens."""

    def _process_tokens(self, tokens: list[str], attribute: str = TEXT) -> list[str]:
        processed = super()._process_tokens(tokens, attribute)
        if attribute in _LABEL_ATTRIBUTES:
            return processed
        return [fold_diacritics(token) for token in processed]


class FromConfig(GraphComponent):
    """A component with nothing to train or store: Rasa builds it from its config alone."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class IdentifierEntityFilter(FromConfig):
    """Drops statistical guesses for entities that only the regexes may extract."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "regex_entities": ["orgnr", "email", "phone", "year"],
            "trusted_extractor": "RegexEntityExtractor",
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self._regex_entities = set(config["regex_entities"])
        self._trusted = config["trusted_extractor"]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            kept = [
                entity
                for entity in entities
                if entity.get(ENTITY_ATTRIBUTE_TYPE) not in self._regex_entities
                or entity.get(EXTRACTOR) == self._trusted
            ]
            if len(kept) != len(entities):
                message.set(ENTITIES, kept, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent):
    """Averages DIET's ranking with the linear model's; place it right after DIET."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # DIET's weight as chosen on the held-out sets (docs/benchmarks.md, 2026-12-07 19:10).
        return {"diet_weight": 0.3, "strength": 10.0, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: LinearIntentModel | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        with model_storage.read_from(resource) as directory:
            return cls(config, model_storage, resource, LinearIntentModel.load(directory))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        self.model = LinearIntentModel.fit(
            [e.get(TEXT) for e in examples],
            [e.get(INTENT) for e in examples],
            strength=self.config["strength"],
        )
        with self._storage.write_to(self._resource) as directory:
            self.model.save(directory)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        rows = self.model.probabilities([message.get(TEXT) or "" for message in messages])
        for message, row in zip(messages, rows, strict=True):
            diet = {
                entry[INTENT_NAME_KEY]: entry[PREDICTED_CONFIDENCE_KEY]
                for entry in message.get(INTENT_RANKING_KEY) or []
            }
            ours = dict(zip(self.model.intents, (float(p) for p in row), strict=True))
            blended = blend(diet, ours, self.config["diet_weight"]) if diet else ours
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                for name, confidence in sorted(blended.items(), key=lambda item: -item[1])
            ][: self.config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CommandIntentClassifier(FromConfig):
    """Sets the intent of a listed whole-message command; place it after DIET."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = fixed_intent(message.get(TEXT) or "")
            if intent is None:
                continue
            chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get(INTENT_NAME_KEY) != intent
            ]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
