"""The compact lemmatizer gives exactly spaCy's lookup lemmas, in a fraction of the memory."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.lookups import Lookups

from bot.spacy_lemmatizer import FACTORY, CompactLookupLemmatizer
from devstack.spacy_model import build, build_lookup_table
from tests.conftest import PROJECT_ROOT

BUILT = PROJECT_ROOT / "build" / "spacy" / "sv_iop_lotsen"


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    return build_lookup_table()


@pytest.fixture(scope="module")
def spacy_lemmatizer(table: dict[str, str]) -> spacy.Language:
    """spaCy's own lookup lemmatizer over the same table: the reference."""
    lookups = Lookups()
    lookups.add_table("lemma_lookup", table)
    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize(lookups=lookups)
    return nlp


def sample_words(table: dict[str, str]) -> list[str]:
    rng = random.Random(2026)
    forms = rng.sample(sorted(table), 20_000)
    unknown = ["xqzv", "IOP-lotsen", "Föreningen", "FÖRENINGEN", "2026", "🙂", "e-post", ""]
    return forms + [f.upper() for f in forms[:500]] + [f + "x" for f in forms[:500]] + unknown


def test_same_lemma_as_spacys_lookup_lemmatizer(table, spacy_lemmatizer) -> None:
    compact = CompactLookupLemmatizer()
    compact.set_table(table)
    assert len(compact) == len(table) > 800_000
    reference = spacy_lemmatizer.get_pipe("lemmatizer")
    for word in sample_words(table):
        doc = spacy_lemmatizer.make_doc(word)
        for token in doc:
            assert compact.lemma(token.text) == reference.lookup_lemmatize(token)[0], token.text


def test_whole_sentences_lemmatize_alike(spacy_lemmatizer) -> None:
    nlp = spacy.load(BUILT)
    assert FACTORY in nlp.pipe_names
    for text in [
        "Vi är en förening som vill starta läxhjälp för barnen i Noret",
        "foreningen har haft verksamhet i tre ar",
        "Kan kommunen bidra med lokaler? Vi har ideella ledare.",
    ]:
        ours = [t.lemma_ for t in nlp(text)]
        theirs = [t.lemma_ for t in spacy_lemmatizer(text)]
        assert ours == theirs
    assert nlp("foreningen")[0].lemma_ == "förening"


def test_saved_and_loaded_pipeline_keeps_the_table(tmp_path: Path) -> None:
    build(tmp_path / "sv")
    nlp = spacy.load(tmp_path / "sv")
    assert nlp("föreningarna")[0].lemma_ == "förening"
    assert nlp("IOP-lotsen")[0].lemma_ == "IOP-lotsen"
