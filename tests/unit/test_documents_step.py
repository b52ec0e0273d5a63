"""Every document in one answer: numbers, ranges, names, "alla", "inga" and "alla utom"."""

from __future__ import annotations

import pytest

from bot.intake.documents import numbered_list, pick_documents
from bot.validators import InvalidValue

OFFERED = (
    (1, "stadgar", "Stadgar, bolagsordning eller motsvarande"),
    (2, "verksamhetsbeskrivning", "Beskrivning av organisationens verksamhetsidé"),
    (3, "arsmotesprotokoll", "Årsmötesprotokoll"),
    (4, "verksamhetsberattelse", "Verksamhetsberättelse"),
    (5, "ekonomisk_berattelse", "Ekonomisk berättelse med bokslut"),
)


@pytest.mark.parametrize(
    ("reply", "picked"),
    [
        ("1, 2, 4", ["stadgar", "verksamhetsbeskrivning", "verksamhetsberattelse"]),
        ("1-3", ["stadgar", "verksamhetsbeskrivning", "arsmotesprotokoll"]),
        ("2–3 och 5", ["verksamhetsbeskrivning", "arsmotesprotokoll", "ekonomisk_berattelse"]),
        ("Alla", [doc_id for _, doc_id, _ in OFFERED]),
        (
            "alla utom 3",
            ["stadgar", "verksamhetsbeskrivning", "verksamhetsberattelse", "ekonomisk_berattelse"],
        ),
        ("inga", []),
        ("Nej", []),
        ("stadgar och bokslut", ["stadgar", "ekonomisk_berattelse"]),
        ("Årsmötesprotokollet finns, och 1", ["stadgar"]),
        ("vi har årsmötesprotokoll", ["arsmotesprotokoll"]),
    ],
)
def test_a_reply_picks_the_documents_it_names(reply: str, picked: list[str]) -> None:
    assert pick_documents(reply, OFFERED) == picked


@pytest.mark.parametrize("reply", ["vet inte riktigt", "7", "1, 9", "alla utom"])
def test_a_reply_that_picks_nothing_known_is_asked_again(reply: str) -> None:
    with pytest.raises(InvalidValue) as error:
        pick_documents(reply, OFFERED)
    assert error.value.reason == "document_numbers"


def test_later_keeps_the_numbers_the_user_saw_first() -> None:
    rest = (OFFERED[1], OFFERED[4])
    assert numbered_list(rest).splitlines() == [
        "2. Beskrivning av organisationens verksamhetsidé",
        "5. Ekonomisk berättelse med bokslut",
    ]
    assert pick_documents("5", rest) == ["ekonomisk_berattelse"]
    with pytest.raises(InvalidValue):
        pick_documents("1", rest)
