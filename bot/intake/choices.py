"""Fixed answer options in the intake, with the words people use for them.

Stored values are stable ids (they end up in the record and its schema); labels are what the user
sees on buttons; aliases are folded (no å/ä/ö, lower case) so typed answers match too. The
document and declaration statuses are enums with one label each, in bot/intake/fields.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import fold_diacritics


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    aliases: tuple[str, ...]


LEGAL_FORMS: tuple[Choice, ...] = (
    Choice("ideell_forening", "Ideell förening", ("ideell forening", "ideell", "forening")),
    Choice("stiftelse", "Stiftelse", ("stiftelse",)),
    Choice(
        "registrerat_trossamfund",
        "Registrerat trossamfund",
        ("trossamfund", "forsamling", "kyrka", "samfund"),
    ),
    Choice("ekonomisk_forening", "Ekonomisk förening", ("ekonomisk forening", "ekonomisk")),
    Choice(
        "aktiebolag_svb",
        "Aktiebolag med särskild vinstutdelningsbegränsning",
        ("svb", "vinstutdelningsbegransning", "aktiebolag", "ab"),
    ),
    Choice("annat", "Annat", ("annat", "annan", "ovrigt", "nagot annat")),
)

DELIVERY_METHODS: tuple[Choice, ...] = (
    Choice(
        "e-post",
        "E-post",
        (
            "e-post",
            "epost",
            "mejl",
            "mail",
            "mejla",
            "maila",
            "mejlar",
            "mailar",
            "e-mail",
            "e-postar",
        ),
    ),
    Choice("lank", "Länk", ("lank", "lanken", "url", "webben", "hemsidan", "http", "www")),
    Choice("post", "Post", ("post", "brev", "posten", "papper", "vanlig post", "postar")),
)

CONTRIBUTION_KINDS: tuple[Choice, ...] = (
    Choice("pengar", "Pengar", ("pengar", "kronor", "kr", "finansiering", "medel", "insamlade")),
    Choice(
        "ideell_tid", "Ideell tid", ("ideell tid", "ideella", "volontar", "frivillig", "timmar")
    ),
    Choice("lokaler", "Lokaler", ("lokal", "lokaler", "lokalen", "stuga", "hus", "gard")),
    Choice("kunskap", "Kunskap", ("kunskap", "erfarenhet", "kompetens", "kontakter", "natverk")),
)


def _words(text: str) -> str:
    """Folded words padded with spaces, punctuation removed, so aliases match whole words."""
    cleaned = re.sub(r"[^\w\s@-]", " ", fold_diacritics(text))
    return " " + " ".join(cleaned.split()) + " "


def match_choice(text: str, choices: tuple[Choice, ...]) -> Choice | None:
    """The option the text names: exact label first, then the longest alias found as words."""
    folded = _words(text)
    for choice in choices:
        if folded.strip() in (choice.id.replace("_", " "), fold_diacritics(choice.label)):
            return choice
    best: tuple[int, Choice] | None = None
    for choice in choices:
        for alias in choice.aliases:
            if f" {alias} " in folded and (best is None or len(alias) > best[0]):
                best = (len(alias), choice)
    return best[1] if best else None


def mentioned(text: str, choices: tuple[Choice, ...]) -> list[str]:
    """Every option the text mentions, in the options' order (a text may name several)."""
    folded = _words(text)
    return [c.id for c in choices if any(f" {a} " in folded for a in c.aliases)]


def label_of(choice_id: str | None, choices: tuple[Choice, ...]) -> str:
    return next((c.label for c in choices if c.id == choice_id), choice_id or "")
