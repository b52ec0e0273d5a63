"""A logistic regression over folded character n-grams and words: the intent model that trains the
same on every machine.

DIET trains differently on another CPU or with another seed, and on messages from people who never
saw the training data it was the weaker of the two (docs/benchmarks.md). This model is
deterministic: the same data give the same weights everywhere. NLU averages the two
(bot/nlu_components.py, LinearIntentClassifier). It is stored as plain arrays and vocabularies,
not as a pickle, so loading a model file runs no code from it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.text import fold_diacritics

WORD_PATTERN = r"(?u)\b\w+\b"  # one-letter words count: "ja", "i", "å"
ARRAYS = "linear_intents.npz"
VOCABULARIES = "linear_intents.json"


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """Character n-grams within words (typos, inflections) and words and word pairs."""
    common = {"preprocessor": fold_diacritics, "sublinear_tf": True, "dtype": np.float64}
    return (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=WORD_PATTERN, **common),
    )


@dataclass
class LinearIntentModel:
    """Fitted vectorizers and the regression's weights, as arrays that store and load as data."""

    intents: list[str]
    char_vocabulary: dict[str, int]
    char_idf: np.ndarray
    word_vocabulary: dict[str, int]
    word_idf: np.ndarray
    weights: np.ndarray  # intents × features
    bias: np.ndarray  # intents
    _fitted: tuple[TfidfVectorizer, TfidfVectorizer] = field(init=False, repr=False, compare=False)
    _by_feature: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Rebuild the vectorizers once: rebuilt per message, they cost 7 ms each time."""
        chars, words = _vectorizers()
        chars.set_params(vocabulary=self.char_vocabulary)
        words.set_params(vocabulary=self.word_vocabulary)
        chars.idf_ = self.char_idf  # with the vocabulary given, this is all a fit would learn
        words.idf_ = self.word_idf
        self._fitted = (chars, words)
        self._by_feature = np.ascontiguousarray(self.weights.T)  # .T would be copied per call

    @classmethod
    def fit(
        cls, texts: Sequence[str], intents: Sequence[str], strength: float
    ) -> LinearIntentModel:
        """Fit on the training examples; `strength` is the regression's C (less regularisation)."""
        chars, words = _vectorizers()
        features = hstack([chars.fit_transform(texts), words.fit_transform(texts)]).tocsr()
        regression = LogisticRegression(C=strength, max_iter=3000)
        regression.fit(features, list(intents))
        if len(regression.classes_) == 2:  # sklearn keeps one row for two classes
            raise ValueError("the linear intent model needs at least three intents")
        return cls(
            intents=[str(name) for name in regression.classes_],
            char_vocabulary={str(k): int(v) for k, v in chars.vocabulary_.items()},
            char_idf=chars.idf_,
            word_vocabulary={str(k): int(v) for k, v in words.vocabulary_.items()},
            word_idf=words.idf_,
            weights=regression.coef_,
            bias=regression.intercept_,
        )

    def save(self, directory: Path) -> None:
        np.savez(
            directory / ARRAYS,
            char_idf=self.char_idf,
            word_idf=self.word_idf,
            weights=self.weights,
            bias=self.bias,
        )
        vocabularies = {
            "intents": self.intents,
            "char_vocabulary": self.char_vocabulary,
            "word_vocabulary": self.word_vocabulary,
        }
        (directory / VOCABULARIES).write_text(json.dumps(vocabularies, ensure_ascii=False))

    @classmethod
    def load(cls, directory: Path) -> LinearIntentModel:
        """Read back what `save` wrote; only arrays of numbers and JSON (allow_pickle is off)."""
        vocabularies = json.loads((directory / VOCABULARIES).read_text())
        with np.load(directory / ARRAYS, allow_pickle=False) as arrays:
            return cls(**vocabularies, **{name: arrays[name] for name in arrays.files})

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        chars, words = self._fitted
        return hstack([chars.transform(texts), words.transform(texts)]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text: each intent's probability (columns in `intents` order)."""
        scores = self._features(texts) @ self._by_feature + self.bias
        scores = np.asarray(scores) - np.max(scores, axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


def blend(
    first: dict[str, float], second: dict[str, float], first_weight: float
) -> dict[str, float]:
    """The weighted average of two rankings; an intent one of them left out counts as 0 there."""
    names = first.keys() | second.keys()
    return {
        name: first_weight * first.get(name, 0.0) + (1 - first_weight) * second.get(name, 0.0)
        for name in names
    }
