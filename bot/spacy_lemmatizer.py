"""spaCy's lookup lemmatizer, with its table held in compact arrays instead of a Python dict.

Why: the Swedish lookup table has about 880 000 entries; as spaCy's dict-based `Table` it takes
about 280 MB in every Rasa server process (the largest single part of Rasa's memory after
TensorFlow). As a sorted array of spaCy's string hashes, an array of row numbers and a list of the
distinct lemmas it takes a tenth of that. The lemmas are exactly spaCy's lookup lemmatizer's: the
table's lemma for the token's text, else the text itself, only for tokens without a lemma yet.

Registered with spaCy through the `spacy_factories` entry point (pyproject.toml), so any process
that loads build/spacy/sv_iop_lotsen (Rasa's SpacyNLP) finds it without importing this module.
"""

# No `from __future__ import annotations`: spaCy validates the factory's signature at run time.
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import srsly
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

FACTORY = "iop_compact_lemmatizer"


class CompactLookupLemmatizer:
    """A lemma for every token that has none, from a form → lemma table."""

    def __init__(self, name: str = FACTORY) -> None:
        self.name = name
        self._keys = np.zeros(0, dtype=np.uint64)
        self._rows = np.zeros(0, dtype=np.int32)
        self._lemmas: list[str] = []

    def set_table(self, table: dict[str, str]) -> None:
        """Replace the table (at build time)."""
        lemmas = sorted(set(table.values()))
        row_of = {lemma: row for row, lemma in enumerate(lemmas)}
        keys = np.fromiter((get_string_id(form) for form in table), dtype=np.uint64)
        rows = np.fromiter((row_of[lemma] for lemma in table.values()), dtype=np.int32)
        order = np.argsort(keys, kind="stable")
        self._keys, self._rows, self._lemmas = keys[order], rows[order], lemmas

    def __len__(self) -> int:
        return len(self._keys)

    def lemma(self, text: str) -> str:
        key = np.uint64(get_string_id(text))
        index = int(np.searchsorted(self._keys, key))
        if index < len(self._keys) and self._keys[index] == key:
            return self._lemmas[self._rows[index]]
        return text

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if token.lemma == 0:
                token.lemma_ = self.lemma(token.text)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.save(path / "keys.npy", self._keys)
        np.save(path / "rows.npy", self._rows)
        srsly.write_json(path / "lemmas.json", self._lemmas)

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = ()
    ) -> "CompactLookupLemmatizer":
        path = Path(path)
        self._keys = np.load(path / "keys.npy")
        self._rows = np.load(path / "rows.npy")
        self._lemmas = list(srsly.read_json(path / "lemmas.json"))
        return self


@Language.factory(FACTORY)
def make_compact_lemmatizer(nlp: Language, name: str) -> CompactLookupLemmatizer:
    return CompactLookupLemmatizer(name)
