"""Custom Rasa NLU component (the only module in bot/ that imports Rasa).

FoldedCountVectorsFeaturizer is Rasa's CountVectorsFeaturizer with one extra step: tokens are
folded to letters without diacritics before counting, so "förening", "forening" and "Förening"
give the same features. Entities keep the original text because only features are folded.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import ACTION_NAME, INTENT, INTENT_RESPONSE_KEY, TEXT

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
