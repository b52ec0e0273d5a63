"""Entity extraction by the trained model: identifiers by regex, names and numbers by DIET."""

from __future__ import annotations

import asyncio

import pytest

from bot.validators import InvalidValue, normalise_orgnr, normalise_phone
from devstack.nlu_eval import HELDOUT, HELDOUT_NO_DIACRITICS


@pytest.fixture(scope="module")
def parse(nlu_agent):
    def _parse(text: str) -> dict:
        return asyncio.run(nlu_agent.parse_message(text))

    return _parse


def values(parsed: dict, entity: str) -> set[str]:
    return {e["value"] for e in parsed["entities"] if e["entity"] == entity}


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("vårt organisationsnummer är 802535-6414", "orgnr", "802535-6414"),
        ("orgnr 8020090315 om ni behöver det", "orgnr", "8020090315"),
        ("mejla mig på kassor@mora-ff.se", "email", "kassor@mora-ff.se"),
        ("du når mig på 070-123 45 67 efter fem", "phone", "070-123 45 67"),
        ("ring 0250-260 00", "phone", "0250-260 00"),
        ("föreningen bildades 1987", "year", "1987"),
    ],
)
def test_identifiers_are_extracted(parse, text, entity, value):
    assert value in values(parse(text), entity)


def test_a_personnummer_is_not_taken_for_an_organisationsnummer(parse):
    assert values(parse("mitt personnummer är 850101-1234"), "orgnr") == set()


def test_extracted_orgnr_and_phone_are_validated_and_normalised(parse):
    parsed = parse("orgnr 802535-6414 och telefon 070-123 45 67")
    (orgnr,) = values(parsed, "orgnr")
    (phone,) = values(parsed, "phone")
    assert normalise_orgnr(orgnr) == "802535-6414"
    assert normalise_phone(phone) == "+46701234567"
    (bad,) = values(parse("orgnr 802535-6415"), "orgnr")
    with pytest.raises(InvalidValue):
        normalise_orgnr(bad)


def test_names_member_counts_and_amounts_in_the_heldout_set(parse):
    """DIET's learned entities on the held-out inform examples: at least 80 % found exactly."""
    from rasa.shared.nlu.training_data.loading import load_data

    expected = []
    for path in (HELDOUT, HELDOUT_NO_DIACRITICS):
        for message in load_data(str(path)).intent_examples:
            for entity in message.get("entities") or []:
                expected.append((message.get("text"), entity["entity"], entity["value"]))
    assert len(expected) >= 10
    found = [value in values(parse(text), entity) for text, entity, value in expected]
    assert sum(found) / len(found) >= 0.8, [
        e for e, ok in zip(expected, found, strict=True) if not ok
    ]
