"""Readability measures for Swedish messages: word count and LIX (läsbarhetsindex).

LIX = words per sentence + percentage of words longer than six letters. Below 40 is easy, 40–50
is everyday prose, above 55 is hard. A line break ends a sentence, as it does on a phone screen.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)|\n+")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


def lix(text: str) -> float:
    found = words(text)
    if not found:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if words(s)]))
    long_words = sum(1 for word in found if len(word) > 6)
    return len(found) / sentences + 100 * long_words / len(found)
