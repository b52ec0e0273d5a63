"""Intent quality on the held-out Swedish test set (written separately, never trained on)."""

from __future__ import annotations

import pytest

from bot.names import Intent, names_in
from devstack.nlu_eval import (
    HELDOUT,
    HELDOUT_INDEPENDENT,
    HELDOUT_NO_DIACRITICS,
    HELDOUT_UNSEEN,
    INDEPENDENT_SETS,
    evaluate,
    load_examples,
)
from tests.conftest import PROJECT_ROOT

CONTRACT = names_in(Intent) - {Intent.NLU_FALLBACK}


@pytest.fixture(scope="module")
def scores(nlu_agent):
    return evaluate(nlu_agent)


def test_heldout_set_covers_every_intent_with_enough_examples():
    for path, minimum in (
        (HELDOUT, 8),
        (HELDOUT_NO_DIACRITICS, 8),
        (HELDOUT_INDEPENDENT, 12),
        (HELDOUT_UNSEEN, 12),
    ):
        examples = load_examples(path)
        counts = {intent: sum(e.intent == intent for e in examples) for intent in CONTRACT}
        assert min(counts.values()) >= minimum, counts


def test_no_diacritics_subset_really_has_none():
    for example in load_examples(HELDOUT_NO_DIACRITICS):
        assert not set("åäöÅÄÖ") & set(example.text), example.text


def test_heldout_is_not_in_the_training_data():
    from rasa.shared.nlu.training_data.loading import load_data

    trained = {
        m.get("text").lower() for m in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples
    }
    heldout = [
        *load_examples(HELDOUT),
        *load_examples(HELDOUT_NO_DIACRITICS),
        *load_examples(HELDOUT_INDEPENDENT),
        *load_examples(HELDOUT_UNSEEN),
    ]  # The fresh set keeps its writer's stock phrases ("hej", "avbryt"), which training has too.
    overlap = [e.text for e in heldout if e.text.lower() in trained]
    assert overlap == []


def test_intent_macro_f1_on_heldout_is_at_least_095(scores):
    assert scores["heldout"].macro_f1 >= 0.95, scores["heldout"].errors


def test_intent_macro_f1_without_diacritics_is_at_least_092(scores):
    assert scores["no_diacritics"].macro_f1 >= 0.92, scores["no_diacritics"].errors


@pytest.mark.parametrize(
    ("path", "short"),
    [(HELDOUT_INDEPENDENT, 20), (HELDOUT_UNSEEN, 10)],
    ids=["independent", "unseen"],
)
def test_an_independent_set_is_big_enough_and_varied(path, short):
    """The unseen set lost most of its one- and two-word messages ("hej hej", "stopp"): they
    were training examples too, and a held-out set holds none."""
    examples = load_examples(path)
    assert len(examples) >= 300
    assert sum(not set("åäöÅÄÖ") & set(e.text) for e in examples) >= 100
    assert sum(len(e.text.split()) <= 2 for e in examples) >= short
    assert sum(len(e.text.split()) >= 12 for e in examples) >= 10


@pytest.mark.parametrize("name", list(INDEPENDENT_SETS))
def test_intent_macro_f1_on_each_independent_set_is_at_least_093(scores, name):
    """Written by people who never read the training data; the figure for each trained model is
    recorded in docs/benchmarks.md (scripts/nlu_benchmark.py). The bar leaves room for the
    spread between random seeds."""
    assert scores[name].macro_f1 >= 0.93, scores[name].errors


@pytest.mark.parametrize("name", list(INDEPENDENT_SETS))
def test_stop_and_request_human_are_seldom_given_to_other_messages(scores, name):
    """A false `stop` or `request_human` is what used to cost a user their place; inside a form
    only the words decide now, but outside one NLU still routes."""
    precision = scores[name].precision
    assert precision["stop"] >= 0.85, scores[name].errors
    assert precision["request_human"] >= 0.85, scores[name].errors
