"""Forty organisations' realistic answers each reach the summary through the real servers.

Whatever the trained model makes of "Anna Berg", "Mohammed Ali" or "Stoppa Mobbningen i Mora",
a free-text answer is the answer (issue 11). The only extra step a set may meet is the one the
words call for: "Vill du pausa, eller är ”…” ditt svar?" for a short answer with a command word,
answered with the "Det är mitt svar" button, or a question-like name sent a second time.
"""

from __future__ import annotations

import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.profile import load_profile
from tests.e2e import texts
from tests.e2e.answer_sets import AnswerSet, answer_sets, document_replies

MORA = load_profile("mora")
SETS = answer_sets(40)
CHECK_OPENINGS = tuple(
    texts.DOMAIN["responses"][name][0]["text"].split("”")[0]
    for name in ("utter_check_pause", "utter_check_human")
)


def say(name: str, **values) -> str:
    return texts.response_text(MORA, name, **values)


class Conversation:
    """One organisation's chat over Rasa's REST channel, answering as a person would."""

    def __init__(self, stack, answers: AnswerSet) -> None:
        self.stack, self.answers, self.sender = stack, answers, uuid.uuid4().hex
        self.log: list[str] = []

    def send(self, text: str) -> list[str]:
        replies = self.stack.texts(self.sender, text)
        self.log += [f"> {text}", *replies]
        return replies

    def answer(self, text: str) -> list[str]:
        """Reply to the question on screen; press "Det är mitt svar" or insist if asked."""
        before = self.log[-1] if self.log else ""
        replies = self.send(text)
        assert replies, f"{self.answers}: no answer to {text!r}"
        if replies[-1].startswith(CHECK_OPENINGS):
            replies = self.send("/inform")
        elif replies[-1] == before:
            replies = self.send(text)  # a question-like name, sent again, is the answer
        assert replies[-1] != before, f"{self.answers}: {text!r} not taken\n" + self.transcript()
        return replies

    def transcript(self) -> str:
        return "\n".join(self.log[-12:])

    def reach_summary(self) -> list[str]:
        self.send("Hej!")
        self.send("jag vill testa om vår idé passar för IOP")
        for _ in MORA.criteria:
            verdict = self.send("ja")
        assert verdict[-1] == say("utter_verdict_offer_intake"), self.transcript()
        opening = self.send("ja")
        assert opening[-1] == say("utter_intake_q_org_name"), self.transcript()
        for reply in (*self.answers.replies, *document_replies(self.answers.documents)):
            self.answer(reply)
        self.answer("/affirm")  # "Ja, det är jag" signs
        return self.answer("Jag intygar")


def run_set(stack, answers: AnswerSet) -> str | None:
    """None when the set reached the summary with its answers shown, else what went wrong."""
    conversation = Conversation(stack, answers)
    try:
        summary = conversation.reach_summary()
        shown = "\n".join(summary)
        assert summary[-1] == say("utter_intake_q_summary"), conversation.transcript()
        assert f"Organisation: {answers.org_name}, " in shown, shown
        assert f"Kontaktperson: {answers.contact}" in shown, shown
    except AssertionError as error:
        return f"{answers}: {error}"
    return None


@pytest.mark.slow
def test_forty_realistic_answer_sets_each_reach_the_summary(stack):
    with ThreadPoolExecutor(max_workers=3) as pool:
        problems = list(pool.map(lambda answers: run_set(stack, answers), SETS))
    failures = [problem for problem in problems if problem is not None]
    report = os.environ.get("IOP_ANSWER_SETS_REPORT")  # scripts/robustness.py reads it
    if report:
        Path(report).write_text(
            json.dumps(
                {"total": len(SETS), "reached": len(SETS) - len(failures), "failures": failures},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    assert len(SETS) == 40
    assert failures == []
