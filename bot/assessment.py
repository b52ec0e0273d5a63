"""Checklist answers -> an honest verdict on whether IOP can fit.

Pure logic with no Rasa or I/O, so every rule of the verdict is unit-tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.profile import Criterion


class Answer(str, Enum):
    YES = "ja"
    NO = "nej"
    UNSURE = "vet_inte"


class Outcome(str, Enum):
    FITS = "kan_passa"
    MAY_FIT = "kan_passa_med_fragetecken"
    DOES_NOT_FIT = "passar_inte"
    INCOMPLETE = "ej_klar"


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    failed: tuple[Criterion, ...]
    unsure: tuple[Criterion, ...]
    unanswered: tuple[Criterion, ...]


def parse_answers(raw: Mapping[str, str] | None) -> dict[str, Answer]:
    """Turn a stored slot value into typed answers, dropping anything unknown."""
    answers: dict[str, Answer] = {}
    for criterion_id, value in (raw or {}).items():
        try:
            answers[criterion_id] = Answer(value)
        except ValueError:
            continue
    return answers


def next_unanswered(
    criteria: Sequence[Criterion], answers: Mapping[str, Answer]
) -> Criterion | None:
    """The first criterion, in the kommun's order, that has no answer yet."""
    return next((c for c in criteria if c.id not in answers), None)


def assess(criteria: Sequence[Criterion], answers: Mapping[str, Answer]) -> Assessment:
    """Any 'no' rules IOP out; otherwise 'don't know' leaves it open; all 'yes' means it can fit.

    A 'no' wins over 'don't know' because one unmet criterion is enough to make IOP legally
    doubtful, and the organisation deserves to hear that first.
    """
    failed = tuple(c for c in criteria if answers.get(c.id) is Answer.NO)
    unsure = tuple(c for c in criteria if answers.get(c.id) is Answer.UNSURE)
    unanswered = tuple(c for c in criteria if c.id not in answers)
    if unanswered:
        outcome = Outcome.INCOMPLETE
    elif failed:
        outcome = Outcome.DOES_NOT_FIT
    elif unsure:
        outcome = Outcome.MAY_FIT
    else:
        outcome = Outcome.FITS
    return Assessment(outcome=outcome, failed=failed, unsure=unsure, unanswered=unanswered)
