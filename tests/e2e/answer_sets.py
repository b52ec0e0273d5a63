"""Realistic, varied intake answers for end-to-end runs (tests/fixtures/realistic_answers.yml).

Each set is what one organisation would type, question by question: people's names from many
backgrounds, föreningar, stiftelser, trossamfund and idrottsklubbar, and names with everyday or
command-like words in them ("Stoppa Mobbningen i Mora", "Stig Stopp"). Sets are drawn with a fixed
seed, so a failure names a set that can be run again.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

import yaml

from tests.conftest import PROJECT_ROOT

REALISTIC = yaml.safe_load(
    (PROJECT_ROOT / "tests" / "fixtures" / "realistic_answers.yml").read_text(encoding="utf-8")
)
LEGAL_FORMS = ["ideell förening", "stiftelse", "trossamfund", "ekonomisk förening", "Ideell"]
MEMBERS = ["ungefär 340", "45", "ca 1200", "120 medlemmar", "hoppa över", "7"]
# Which documents exist, then which of the others come later (None: that is not asked).
DOCUMENT_PLANS = [
    ("1, 2, 4", "3"),
    ("alla", None),
    ("inga", "alla"),
    ("1–3", "inga"),
    ("stadgar och verksamhetsberättelse", "5"),
    ("alla utom 2", "2"),
]
# Legal forms without members are not asked for a member count.
WITHOUT_MEMBERS = {"stiftelse"}


@dataclass(frozen=True)
class AnswerSet:
    """One organisation's replies, in the order the intake asks."""

    number: int
    org_name: str
    contact: str
    replies: tuple[str, ...]  # organisation, contact and initiative questions
    documents: tuple[str, str | None]  # which exist, then which come later

    def __str__(self) -> str:
        return f"set {self.number}: {self.org_name}"


def luhn_digit(digits: str) -> int:
    total = 0
    for i, char in enumerate(digits):
        value = int(char) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def organisation_number(rng: random.Random) -> str:
    """A valid organisationsnummer (third digit ≥ 2, Luhn check digit), as people type it."""
    first = rng.choice(["80", "81", "82", "84", "85", "89"])
    nine = first + str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(6))
    number = nine + str(luhn_digit(nine))
    return rng.choice([f"{number[:6]}-{number[6:]}", number, f"{number[:6]} {number[6:]}"])


def email_for(name: str, rng: random.Random) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part for part in ascii_name.lower().replace("'", "").split() if part.isalnum())
    return f"{local or 'kontakt'}@{rng.choice(['exempel.se', 'forening.nu', 'mail.se'])}"


def phone(rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(7))
    prefix = rng.choice(["070", "072", "073", "076", "079"])
    return f"{prefix}-{digits[:3]} {digits[3:5]} {digits[5:]}"


def answer_set(number: int) -> AnswerSet:
    rng = random.Random(2026 * 1000 + number)
    pick = lambda key: rng.choice(REALISTIC[key])  # noqa: E731
    org_name = REALISTIC["organisation_names"][number % len(REALISTIC["organisation_names"])]
    contact = REALISTIC["person_names"][(number * 7) % len(REALISTIC["person_names"])]
    replies = (
        org_name,
        organisation_number(rng),
        legal_form := rng.choice(LEGAL_FORMS),
        *(() if legal_form in WITHOUT_MEMBERS else (rng.choice(MEMBERS),)),
        "hoppa över",  # website
        "nej",  # no partner organisations
        contact,
        pick("roles"),
        email_for(contact, rng),
        phone(rng),
        pick("problem_descriptions"),
        pick("goals"),
        pick("target_groups"),
        pick("goals"),
        pick("contributions"),
        pick("kommun_contributions"),
        pick("start_times"),
        pick("durations"),
        pick("forvaltningar"),
    )
    return AnswerSet(number, org_name, contact, replies, rng.choice(DOCUMENT_PLANS))


def answer_sets(count: int) -> list[AnswerSet]:
    return [answer_set(number) for number in range(count)]


def document_replies(plan: tuple[str, str | None]) -> list[str]:
    return [reply for reply in plan if reply is not None]
