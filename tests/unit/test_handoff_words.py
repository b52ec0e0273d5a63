"""Mid-intake, only a button, a question or plain words hand the user over to a person."""

from __future__ import annotations

import pytest
import yaml

from bot.form_input import MAX_WORDS_TO_CHECK, Move, looks_like_question, read_message
from bot.handoff_words import plainly_asks_for_a_person
from devstack.widget import CONTACT, INITIATIVE, ORGANISATION
from tests.conftest import PROJECT_ROOT


def request_human_examples() -> list[str]:
    data = yaml.safe_load((PROJECT_ROOT / "data" / "nlu" / "contact.yml").read_text())["nlu"]
    block = next(item for item in data if item.get("intent") == "request_human")
    return [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]


def test_every_trained_request_for_a_person_is_plain_or_a_question() -> None:
    examples = request_human_examples()
    assert len(examples) > 50
    unclear = [e for e in examples if not (plainly_asks_for_a_person(e) or looks_like_question(e))]
    assert unclear == []


def test_inside_a_form_every_short_trained_request_hands_over_or_is_checked_once() -> None:
    short = [e for e in request_human_examples() if len(e.split()) <= MAX_WORDS_TO_CHECK]
    moves = {e: read_message(e) for e in short}
    assert [e for e, move in moves.items() if move is Move.ANSWER] == []
    assert sum(move is Move.HUMAN for move in moves.values()) >= 30


@pytest.mark.parametrize(
    "text",
    [
        "Eva Lunds konsult",
        "Konsultbyrån Eva Lund AB",
        "Vi träffas varje tisdag i församlingshemmet",
        "Barnen får hjälp av en mentor och kontakt med en vuxen",
        "Ungdomarna får prata med en vuxen om hur de mår",
        "Vi ringer upp äldre som bor ensamma",
        "Vi erbjuder stöd på telefon och i chatt",
        "Anna Berg, kontaktperson och kassör",
        "Att äldre får träffa andra varje vecka",
        "Kommunen bidrar med lokaler och vi med ideell tid",
        *ORGANISATION,
        *CONTACT,
        *INITIATIVE,
    ],
)
def test_an_ordinary_intake_answer_is_not_a_request_for_a_person(text: str) -> None:
    assert not plainly_asks_for_a_person(text)


@pytest.mark.parametrize("text", ["/request_human", " /request_human "])
def test_the_button_always_hands_over(text: str) -> None:
    assert plainly_asks_for_a_person(text)
