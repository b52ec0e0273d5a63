"""Understanding short free-text replies to a checklist question.

The NLU model classifies most replies; this is the safety net for messages it files under another
intent ("jo", "nja", a question number in "ändra fråga 3"), so a plain answer is never rejected.
"""

from __future__ import annotations

import re

from bot.assessment import Answer
from bot.text import fold_diacritics

_YES = {
    "ja",
    "jo",
    "japp",
    "jajamen",
    "javisst",
    "absolut",
    "precis",
    "stammer",
    "visst",
    "yes",
    "jepp",
    "sakert",
    "definitivt",
    "jada",
}
_NO = {"nej", "na", "nae", "nix", "nope", "no", "icke", "aldrig", "nej tack", "inte"}
_UNSURE = {
    "vet inte",
    "vet ej",
    "vetej",
    "osaker",
    "kanske",
    "nja",
    "ingen aning",
    "vet inte riktigt",
    "delvis",
    "tveksamt",
    "oklart",
    "kan inte svara",
}

# Matched on the lower-cased original text: folded, "ändra" (change) would read as "andra" (second).
_ORDINALS = {
    "första": 1,
    "forsta": 1,
    "andra": 2,
    "tredje": 3,
    "fjärde": 4,
    "fjarde": 4,
    "femte": 5,
    "sjätte": 6,
    "sjatte": 6,
    "sjunde": 7,
    "åttonde": 8,
    "attonde": 8,
    "nionde": 9,
    "tionde": 10,
}
_ORDINAL_QUESTION = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")\s+(?:fråga|fraga|frågan|fragan)\b"
)
_QUESTION_NUMBER = re.compile(
    r"(?:fraga|fragan|nummer|nr\.?)\s*(\d{1,2})\b|\b(\d{1,2})\s*:?[ae]?\s*fragan"
)


def parse_answer(text: str) -> Answer | None:
    """Map a short reply to ja / nej / vet inte, or None when it is not plainly one of them."""
    folded = re.sub(r"[^\w\s]", " ", fold_diacritics(text))
    words = " ".join(folded.split())
    if not words:
        return None
    if words in _UNSURE or any(phrase in words for phrase in _UNSURE if " " in phrase):
        return Answer.UNSURE
    tokens = words.split()
    if tokens[0] in _UNSURE:
        return Answer.UNSURE
    if words in _NO or tokens[0] in _NO or "inte" in tokens:
        return Answer.NO
    if words in _YES or tokens[0] in _YES or "stammer" in tokens:
        return Answer.YES
    return None


def is_whole_answer(text: str) -> bool:
    """The whole reply is one yes / no / don't-know phrase ("Nej tack", not "Glöm Inte Oss")."""
    words = " ".join(re.sub(r"[^\w\s]", " ", fold_diacritics(text)).split())
    return words in _YES or words in _NO or words in _UNSURE


def parse_question_number(text: str) -> int | None:
    """The question a user wants to go back to: 'ändra fråga 3', 'den tredje frågan'."""
    folded = fold_diacritics(text)
    match = _QUESTION_NUMBER.search(folded)
    if match:
        return int(match.group(1) or match.group(2))
    ordinal = _ORDINAL_QUESTION.search(text.lower())
    return _ORDINALS[ordinal.group(1)] if ordinal else None
