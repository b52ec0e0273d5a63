"""What one message means while a form waits for an answer: the answer, unless it plainly isn't.

A probabilistic intent classifier must never decide whether "Anna Berg" means "stop": any model
trained from the same data may say so with 0.99 confidence, and the user's answer and place would
be lost. So while the checklist, the intake or the callback form waits, the message's words decide,
never NLU's intent:

- a button's payload does what the button says;
- a whole message in `form_commands.yml` (pausa, avbryt, "jag vill prata med en människa", hej då)
  leaves the question;
- a question (ends with "?" or starts with a question word) is answered and the question repeated;
- a short answer with a command word in it ("Sluta Svälta") gets one check: pause, or the answer?
- everything else is the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

import yaml

from bot.handoff_words import plainly_asks_for_a_person
from bot.text import fold_diacritics

COMMANDS_FILE = Path(__file__).with_name("form_commands.yml")
QUESTION_WORDS = frozenset(
    (
        "vad",
        "hur",
        "vilka",
        "vilken",
        "vilket",
        "varfor",
        "nar",
        "vem",
        "vems",
        "maste",
        "kan",
        "gar",
    )
)
# A command word inside a longer message is checked once only when the message is this short;
# a longer one is a description ("vi vill att mobbningen ska sluta i skolan"), i.e. an answer.
MAX_WORDS_TO_CHECK = 12
# The button that says "that was my answer" after the check (see Move.CONFIRMED).
ANSWER_PAYLOAD = "/inform"
PAUSE_PAYLOAD = "/stop"
HUMAN_PAYLOAD = "/request_human"
GOODBYE_PAYLOAD = "/goodbye"


class Move(str, Enum):
    """What the message asks the form to do."""

    ANSWER = "answer"
    PAUSE = "pause"
    HUMAN = "human"
    GOODBYE = "goodbye"
    EXPLAIN = "explain"  # "förklara frågan": help with the question, then ask it again
    RESUME = "resume"  # "fortsätt" while a question is open: it is simply asked again
    QUESTION = "question"
    CHECK_PAUSE = "check_pause"  # "Vill du pausa, eller är ”…” ditt svar?"
    CHECK_HUMAN = "check_human"  # "Vill du prata med en handläggare, eller är ”…” ditt svar?"
    CONFIRMED = "confirmed"  # the "Det är mitt svar" button: the checked message is the answer
    BUTTON = "button"  # any other button (/affirm, /ask_what_is_iop, …): the form reads it


@dataclass(frozen=True)
class Commands:
    pause: frozenset[str]
    human: frozenset[str]
    goodbye: frozenset[str]
    explain: frozenset[str]
    resume: frozenset[str]
    answer_starters: frozenset[str]
    filler: frozenset[str]
    pause_words: frozenset[str]


def normalise(text: str) -> str:
    """Folded, lower case, punctuation as spaces, single spaces: 'Pausa, tack!' -> 'pausa tack'."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold_diacritics(text)).split())


def tokens(text: str) -> list[str]:
    """Folded words split on spaces only, so an address such as sluta.nu@x.se stays one word."""
    return [word.strip("!\"#%&'()*+,-./:;<=>?[]_{}”“«»…") for word in fold_diacritics(text).split()]


@cache
def commands() -> Commands:
    data = yaml.safe_load(COMMANDS_FILE.read_text(encoding="utf-8"))
    return Commands(
        **{
            key: frozenset(normalise(entry) for entry in data[key])
            for key in Commands.__annotations__
        }
    )


def _without_filler(words: list[str], filler: frozenset[str]) -> str:
    start, end = 0, len(words)
    while start < end and words[start] in filler:
        start += 1
    while end > start and words[end - 1] in filler:
        end -= 1
    return " ".join(words[start:end])


def command_in(text: str) -> Move | None:
    """PAUSE, HUMAN, GOODBYE or EXPLAIN when the whole message is one of the listed commands."""
    known = commands()
    normalised = normalise(text)
    forms = {normalised, _without_filler(normalised.split(), known.filler)} - {""}
    for move, phrases in (
        (Move.PAUSE, known.pause),
        (Move.HUMAN, known.human),
        (Move.GOODBYE, known.goodbye),
        (Move.EXPLAIN, known.explain),
    ):
        if forms & phrases:
            return move
    return None


# The intent a whole-message command always has, whatever the model says (bot/nlu_components.py).
COMMAND_INTENTS = {
    Move.PAUSE: "stop",
    Move.HUMAN: "request_human",
    Move.GOODBYE: "goodbye",
    Move.EXPLAIN: "explain",
}
RESUME_INTENT = "start_check"


def fixed_intent(text: str) -> str | None:
    """The intent of a message that is a listed command as a whole; None for anything else."""
    move = command_in(text)
    if move is not None:
        return COMMAND_INTENTS[move]
    known = commands()
    normalised = normalise(text)
    forms = {normalised, _without_filler(normalised.split(), known.filler)} - {""}
    return RESUME_INTENT if forms & known.resume else None


def looks_like_question(text: str) -> bool:
    stripped = text.strip()
    words = normalise(stripped).split()
    return stripped.endswith("?") or bool(words and words[0] in QUESTION_WORDS)


def _payload_move(payload: str) -> Move:
    name = payload.strip().split("{", 1)[0]
    return {
        PAUSE_PAYLOAD: Move.PAUSE,
        HUMAN_PAYLOAD: Move.HUMAN,
        GOODBYE_PAYLOAD: Move.GOODBYE,
        ANSWER_PAYLOAD: Move.CONFIRMED,
    }.get(name, Move.BUTTON)


def read_message(text: str, *, repeated: bool = False) -> Move:
    """What a message means while a form waits for an answer (see the module docstring).

    `repeated`: the user sent the very same words just before, so a question-like or checked
    message they insist on is their answer ("Vad Gör Vi Nu-teatern", typed twice).
    """
    stripped = text.strip()
    if stripped.startswith("/"):
        return _payload_move(stripped)
    command = command_in(stripped)
    if command is not None:
        return command
    if fixed_intent(stripped) == RESUME_INTENT:
        return Move.RESUME
    words = tokens(stripped)
    if looks_like_question(stripped):
        if plainly_asks_for_a_person(stripped):
            return Move.HUMAN
        if not repeated or stripped.endswith("?"):
            return Move.QUESTION
    if repeated or len(words) > MAX_WORDS_TO_CHECK:
        return Move.ANSWER
    if set(words) & commands().pause_words:
        return Move.CHECK_PAUSE
    if plainly_asks_for_a_person(stripped):
        return Move.CHECK_HUMAN
    return Move.ANSWER


# NLU's yes/no reading of a message counts only for a short reply that is not a name: "Mohammed
# Ali" or "Moraparkens vänner" read as `affirm` must never sign a declaration or answer "ja".
MAX_WORDS_FOR_NLU_YES_NO = 4


def looks_like_a_name(text: str) -> bool:
    """Two or more words, each capitalised: 'Anna Berg', 'Moraparkens Vänner IF'."""
    words = [word for word in re.split(r"[\s,]+", text.strip()) if word]
    return len(words) >= 2 and all(word[:1].isupper() for word in words)


def nlu_may_decide_yes_no(text: str) -> bool:
    """Whether NLU's affirm/deny/unsure may stand for the words of this message."""
    stripped = text.strip()
    if stripped.startswith("/"):
        return True  # a button: /affirm is what was pressed
    words = normalise(stripped).split()
    # A capital letter after the first word is a name inside ("Ideella föreningen Rädda Maten");
    # a reply that does not start like an answer is a name or a story ("Våmhus hembygdsförening").
    named = any(word[:1].isupper() for word in stripped.split()[1:])
    return (
        0 < len(words) <= MAX_WORDS_FOR_NLU_YES_NO
        and not named
        and words[0] in commands().answer_starters
    )


def quoted(text: str, limit: int = 60) -> str:
    """The user's words for the check question, shortened if long."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
