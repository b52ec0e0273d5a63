"""Reading one intake answer: typed text (and the intent NLU gave it) -> a validated value.

Every rejection raises InvalidValue with a reason code; the dialogue turns the code into a
friendly Swedish explanation, so the rules live here and the words live in domain.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.answers import parse_answer
from bot.assessment import Answer
from bot.form_input import nlu_may_decide_yes_no
from bot.intake.choices import LEGAL_FORMS, match_choice
from bot.intake.documents import pick_documents
from bot.intake.steps import Kind, Step
from bot.text import fold_diacritics
from bot.validators import InvalidValue, normalise_email, normalise_orgnr, normalise_phone

SKIP = object()  # the user chose to skip an optional question

_SKIP_WORDS = {
    "hoppa over",
    "hoppa",
    "skippa",
    "skip",
    "vet inte",
    "-",
    "inget",
    "ingen",
    "inga",
    "nej",
    "har ingen",
    "har inget",
    "finns ingen",
    "finns inte",
    "pass",
    "ingen aning",
    "vet ej",
    "hoppa over den",
    "hoppa over fragan",
    "skippa den",
    "skippa fragan",
    "vi hoppar over den",
}
_YES_PHRASES = ("jag intygar", "vi intygar", "intygar", "godkanner", "samtycker", "det stammer")
_NO_PHRASES = ("intygar inte", "godkanner inte", "samtycker inte", "stammer inte", "vill inte")
_ORGNR_IN_TEXT = re.compile(r"(?<!\d)(?:16)?\d{6}[-\s]?\d{4}(?!\d)")
_EMAIL_IN_TEXT = re.compile(r"[^\s@,;:<>()]+@[^\s@,;:<>()]+")
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s\-()]{5,}\d")
_URL = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/\S*)?$", re.IGNORECASE)
_COUNT = re.compile(r"\d[\d\s]*")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DATE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")

_PAYLOAD_WORDS = {"affirm": "ja", "deny": "nej", "unsure": "hoppa över"}

MAX_TEXT = 200
MAX_LONG_TEXT = 2000


@dataclass(frozen=True)
class Reply:
    """One user message as the parser sees it."""

    text: str
    intent: str | None = None

    @property
    def clean(self) -> str:
        text = " ".join(self.text.split()).strip()
        if text.startswith("/"):
            # A button payload such as /affirm: read it as the words it stands for.
            return _PAYLOAD_WORDS.get(self.intent or "", text)
        return text

    @property
    def folded(self) -> str:
        return fold_diacritics(self.clean).strip(" .!")

    def yes_no(self) -> bool | None:
        """True for yes, False for no, None when the reply is neither.

        The words decide first; NLU's affirm/deny counts only for a button or a short reply that
        is not a name (a misread "Mohammed Ali" must never sign the declaration).
        """
        if any(p in self.folded for p in _NO_PHRASES):
            return False
        if any(p in self.folded for p in _YES_PHRASES):
            return True
        answer = parse_answer(self.clean)
        if answer is None and nlu_may_decide_yes_no(self.text):
            answer = {"affirm": Answer.YES, "deny": Answer.NO}.get(self.intent or "")
        if answer is Answer.YES:
            return True
        if answer is Answer.NO:
            return False
        return None

    def wants_to_skip(self) -> bool:
        # Words only (and the "Hoppa över" button): NLU files short answers such as "e-post"
        # under "unsure" now and then, and an answer must never be thrown away as a skip.
        return self.folded in _SKIP_WORDS


def parse(step: Step, reply: Reply, today: date | None = None) -> Any:
    """The value to store for this step, SKIP, or InvalidValue with a reason code."""
    if reply.clean.startswith("/"):
        # A button payload for another question; never store it as an answer.
        raise InvalidValue("unreadable")
    if reply.wants_to_skip() and step.kind in _SKIPPABLE_KINDS:
        if step.optional:
            return SKIP
        raise InvalidValue("required")
    if step.kind is Kind.PARTNERS:
        return partner_names(reply)
    if step.kind in (Kind.DOC_EXISTING, Kind.DOC_LATER):
        return pick_documents(reply.clean, step.offered)
    parser = _PARSERS[step.kind]
    return parser(reply, today or date.today())


# "Nej", "bara vi": no partners. Anything else is a list of names, one per comma or line.
_NO_PARTNERS = {
    "nej",
    "nej tack",
    "nix",
    "inga",
    "ingen",
    "inga andra",
    "bara vi",
    "endast vi",
    "bara oss",
    "vi ar ensamma",
    "vi sjalva",
    "hoppa over",
    "ingen annan",
    "inga fler",
}


def partner_names(reply: Reply) -> list[str]:
    """Other organisations behind the initiative; an organisation name may contain "och"."""
    if reply.folded in _NO_PARTNERS:  # words only: "Nej till våld" is an organisation
        return []
    names = [" ".join(part.split()) for part in re.split(r"[,;\n]+", reply.clean)]
    names = [name for name in names if name]
    if not names or any(len(name) < 2 for name in names):
        raise InvalidValue("too_short")
    if any(len(name) > MAX_TEXT for name in names) or len(names) > 10:
        raise InvalidValue("too_long")
    return names


def _text(reply: Reply, _today: date) -> str:
    value = reply.clean
    if len(value) < 2:
        raise InvalidValue("too_short")
    if len(value) > MAX_TEXT:
        raise InvalidValue("too_long")
    return value


def _long_text(reply: Reply, _today: date) -> str:
    value = reply.clean
    if len(value) < 3 or reply.wants_to_skip():
        raise InvalidValue("too_short")
    if len(value) > MAX_LONG_TEXT:
        raise InvalidValue("too_long")
    return value


def _orgnr(reply: Reply, _today: date) -> str:
    match = _ORGNR_IN_TEXT.search(reply.clean)
    if not match:
        raise InvalidValue("format")
    digits = re.sub(r"\D", "", match.group(0))[-10:]
    if int(digits[2]) < 2:
        # Month digit 0–1: a personal identity number, which the kommun does not need here.
        raise InvalidValue("personnummer")
    return normalise_orgnr(match.group(0))


def _legal_form(reply: Reply, _today: date) -> str:
    choice = match_choice(reply.clean, LEGAL_FORMS)
    if choice is None:
        raise InvalidValue("unknown_choice")
    return choice.id


def _count(reply: Reply, _today: date) -> int:
    match = _COUNT.search(reply.clean)
    if not match:
        raise InvalidValue("format")
    value = int(re.sub(r"\s", "", match.group(0)))
    if value > 10_000_000:
        raise InvalidValue("too_large")
    return value


def _url(reply: Reply, _today: date) -> str:
    value = reply.clean.rstrip("/.")
    if not _URL.match(value):
        raise InvalidValue("format")
    return value if value.lower().startswith(("http://", "https://")) else f"https://{value}"


def _email(reply: Reply, _today: date) -> str:
    match = _EMAIL_IN_TEXT.search(reply.clean)
    if not match:
        raise InvalidValue("format")
    return normalise_email(match.group(0).rstrip("."))


def _phone(reply: Reply, _today: date) -> str:
    match = _PHONE_IN_TEXT.search(reply.clean)
    if not match:
        raise InvalidValue("format")
    return normalise_phone(match.group(0))


def _yes_no(reply: Reply, _today: date) -> bool:
    value = reply.yes_no()
    if value is None:
        raise InvalidValue("yes_or_no")
    return value


# Kinds where "hoppa över" means skipping; elsewhere "nej" or "vet inte" is a real answer.
_SKIPPABLE_KINDS = frozenset(
    {
        Kind.TEXT,
        Kind.LONG_TEXT,
        Kind.ORGNR,
        Kind.COUNT,
        Kind.URL,
        Kind.EMAIL,
        Kind.PHONE,
        Kind.LEGAL_FORM,
    }
)

_PARSERS = {
    Kind.TEXT: _text,
    Kind.LONG_TEXT: _long_text,
    Kind.ORGNR: _orgnr,
    Kind.LEGAL_FORM: _legal_form,
    Kind.COUNT: _count,
    Kind.URL: _url,
    Kind.EMAIL: _email,
    Kind.PHONE: _phone,
    Kind.DECLARATION: _yes_no,
    Kind.SUMMARY: _yes_no,
}
