"""bot/form_input.py: inside a form the words decide, never NLU's intent."""

from __future__ import annotations

import pytest
import yaml

from bot.form_input import (
    COMMANDS_FILE,
    MAX_WORDS_TO_CHECK,
    Move,
    command_in,
    commands,
    looks_like_a_name,
    nlu_may_decide_yes_no,
    normalise,
    quoted,
    read_message,
)


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("pausa", Move.PAUSE),
        ("Pausa!", Move.PAUSE),
        ("PAUSA, tack", Move.PAUSE),
        ("snälla avbryt nu", Move.PAUSE),
        ("Stopp.", Move.PAUSE),
        ("sluta", Move.PAUSE),
        ("vi tar det sen", Move.PAUSE),
        ("Jag vill prata med en människa", Move.HUMAN),
        ("jag vill prata med en manniska", Move.HUMAN),
        ("Kan jag prata med en handläggare?", Move.HUMAN),
        ("Hej då!", Move.GOODBYE),
        ("hej da", Move.GOODBYE),
        ("förklara frågan", Move.EXPLAIN),
        ("jag forstar inte", Move.EXPLAIN),
        ("Fortsätt!", Move.RESUME),
    ],
)
def test_a_whole_listed_command_leaves_folded_for_a_a_o(text: str, move: Move) -> None:
    assert read_message(text) is move


@pytest.mark.parametrize(
    ("payload", "move"),
    [
        ("/stop", Move.PAUSE),
        ("/request_human", Move.HUMAN),
        ("/goodbye", Move.GOODBYE),
        ("/inform", Move.CONFIRMED),
        ("/affirm", Move.BUTTON),
        ("/ask_what_is_iop", Move.BUTTON),
    ],
)
def test_a_button_does_what_it_says(payload: str, move: Move) -> None:
    assert read_message(payload) is move


@pytest.mark.parametrize(
    "text",
    [
        "Anna Berg",
        "Moraparkens vänner",
        "Mohammed Ali",
        "tre år",
        "Eva Lunds konsult",
        "Stoppa Mobbningen i Mora",
        "Erik Paus",  # a surname: one word of the list inside a name is checked, see below
        "Vi vill ha en person på halvtid",
        "Hej Granne",
        "Tack för maten ideell förening",
        "Ja till livet",
        "Nej till våld",
    ],
)
def test_names_and_ordinary_answers_are_answers_or_checked_never_leave(text: str) -> None:
    assert read_message(text) in (Move.ANSWER, Move.CHECK_PAUSE, Move.CHECK_HUMAN)
    assert command_in(text) is None


def test_a_short_answer_with_a_command_word_is_checked_once_then_taken() -> None:
    assert read_message("Sluta Svälta") is Move.CHECK_PAUSE
    assert read_message("Sluta Svälta", repeated=True) is Move.ANSWER
    assert read_message("Människa till Människa") is Move.CHECK_HUMAN
    long_story = "Vi vill att mobbningen ska sluta och att alla barn i Noret ska känna sig trygga"
    assert len(long_story.split()) > MAX_WORDS_TO_CHECK
    assert read_message(long_story) is Move.ANSWER


def test_a_question_is_a_question_unless_the_user_insists_without_a_question_mark() -> None:
    assert read_message("vad menas med organisationsform?") is Move.QUESTION
    assert read_message("Vad Gör Vi Nu-teatern") is Move.QUESTION
    assert read_message("Vad Gör Vi Nu-teatern", repeated=True) is Move.ANSWER
    assert read_message("varför frågar ni?", repeated=True) is Move.QUESTION


def test_the_command_lists_are_folded_distinct_and_short() -> None:
    data = yaml.safe_load(COMMANDS_FILE.read_text(encoding="utf-8"))
    known = commands()
    lists = ("pause", "human", "goodbye", "explain")
    for name in (*lists, "filler", "pause_words", "resume", "answer_starters"):
        assert all(entry == normalise(entry) for entry in data[name]), name
    for i, first in enumerate(lists):
        for second in lists[i + 1 :]:
            assert not getattr(known, first) & getattr(known, second), (first, second)
    assert all(len(entry.split()) <= 8 for name in lists for entry in data[name])
    # Every listed phrase really is read as its command.
    for name, move in zip(lists, (Move.PAUSE, Move.HUMAN, Move.GOODBYE, Move.EXPLAIN), strict=True):
        assert all(read_message(entry) is move for entry in data[name]), name


def test_nlu_may_decide_yes_no_only_for_buttons_and_short_non_names() -> None:
    assert nlu_may_decide_yes_no("/affirm")
    assert nlu_may_decide_yes_no("det gör vi")
    assert not nlu_may_decide_yes_no("Mohammed Ali")
    assert not nlu_may_decide_yes_no("Moraparkens Vänner")
    assert not nlu_may_decide_yes_no("vi träffas varje vecka i våra egna lokaler")
    assert looks_like_a_name("Anna Berg") and not looks_like_a_name("tre år")


def test_a_long_answer_is_shortened_in_the_check_question() -> None:
    assert quoted("kort") == "kort"
    assert quoted("x" * 100).endswith("…") and len(quoted("x" * 100)) == 60
