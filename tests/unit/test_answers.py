import pytest

from bot.answers import parse_answer, parse_question_number
from bot.assessment import Answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ja!", Answer.YES),
        ("japp", Answer.YES),
        ("det stämmer", Answer.YES),
        ("det stammer", Answer.YES),
        ("nä", Answer.NO),
        ("Nej, inte riktigt", Answer.NO),
        ("det stämmer inte", Answer.NO),
        ("vet inte", Answer.UNSURE),
        ("vet ej", Answer.UNSURE),
        ("kanske det", Answer.UNSURE),
        ("osäker", Answer.UNSURE),
        ("hmm", None),
        ("", None),
        ("vi har 40 medlemmar", None),
    ],
)
def test_parse_answer(text, expected):
    assert parse_answer(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ändra fråga 3", 3),
        ("andra fraga 7", 7),
        ("jag vill ändra svaret på den tredje frågan", 3),
        ("gå tillbaka till 2:a frågan", 2),
        ("fråga nr 4", 4),
        ("jag vill ändra en fråga", None),
        ("gå tillbaka", None),
    ],
)
def test_parse_question_number(text, expected):
    assert parse_question_number(text) == expected
