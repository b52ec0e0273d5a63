"""Which documents the organisation has: one answer for all of them, not one question each.

The intake lists the documents numbered and asks which exist ("1, 2, 4", "1–3", "alla utom 5",
"inga", or by name), then which of the others come later; the rest are missing. Pure functions,
so every way of answering is unit-tested.
"""

from __future__ import annotations

import re

from bot.text import fold_diacritics
from bot.validators import InvalidValue

# A numbered document offered in one step: (number shown, document id, name shown).
Offered = tuple[int, str, str]

_ALL = {"alla", "allihop", "allihopa", "samtliga", "alla finns", "alla kommer", "ja alla"}
_NONE = {"inga", "ingen", "inget", "nej", "inga av dem", "ingen av dem", "0", "noll"}
_EXCEPT = re.compile(r"\b(?:utom|forutom|men inte|inte)\b")
_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|till)\s*(\d+)")
_NUMBER = re.compile(r"\d+")
_STOPWORDS = {"och", "med", "eller", "av", "om", "for", "fran", "senaste", "till", "exempel"}


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s–—-]", " ", fold_diacritics(text.lower())).split())


def _numbers(text: str) -> set[int]:
    found: set[int] = set()
    for start, end in _RANGE.findall(text):
        low, high = sorted((int(start), int(end)))
        found.update(range(low, high + 1))
    found.update(int(n) for n in _NUMBER.findall(_RANGE.sub(" ", text)))
    return found


def _named(text: str, offered: tuple[Offered, ...]) -> set[int]:
    """Documents named by a distinctive word ("stadgar", "bokslut", "revisionsberättelse")."""
    words = set(text.split())
    named = set()
    for number, _, name in offered:
        keys = {w for w in _folded(name).split() if len(w) >= 6 and w not in _STOPWORDS}
        if keys & words:
            named.add(number)
    return named


def pick_documents(text: str, offered: tuple[Offered, ...]) -> list[str]:
    """The ids of the offered documents the reply picks; InvalidValue if it picks none known."""
    folded = _folded(text)
    numbers = {number for number, _, _ in offered}
    if folded in _ALL:
        return [doc_id for _, doc_id, _ in offered]
    if folded in _NONE:
        return []
    except_part = _EXCEPT.split(folded, maxsplit=1)
    if len(except_part) == 2 and except_part[0].strip() in _ALL | {""} and "alla" in folded:
        left_out = _numbers(except_part[1]) | _named(except_part[1], offered)
        if not left_out:
            raise InvalidValue("document_numbers")
        chosen = numbers - left_out
    else:
        chosen = _numbers(folded) | _named(folded, offered)
    if not chosen:
        raise InvalidValue("document_numbers")
    if chosen - numbers:
        raise InvalidValue("document_numbers")
    return [doc_id for number, doc_id, _ in offered if number in chosen]


def numbered_list(offered: tuple[Offered, ...]) -> str:
    return "\n".join(f"{number}. {name}" for number, _, name in offered)
