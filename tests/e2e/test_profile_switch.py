"""Switching IOP_PROFILE changes the questions, with the same model, Python and domain.yml."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from bot.profile import load_profile
from tests.conftest import PROJECT_ROOT
from tests.e2e.servers import VENV_BIN, rasa_stack
from tests.e2e.texts import question, response_text

FORUM = load_profile("linkoping_forum")
MORA = load_profile("mora")


@pytest.fixture(scope="module")
def forum_stack(tmp_path_factory):
    with rasa_stack(tmp_path_factory.mktemp("forum"), profile="linkoping_forum") as running:
        yield running


def test_forum_profile_asks_forums_eight_criteria_in_order(forum_stack):
    sender = uuid.uuid4().hex
    intro, first = forum_stack.texts(sender, "jag vill testa om vår idé passar")
    assert intro == response_text(FORUM, "utter_checklist_intro", total=8)
    asked = [first]
    for _ in range(len(FORUM.criteria) - 1):
        asked += forum_stack.texts(sender, "ja")
    assert asked == [question(FORUM, n) for n in range(1, 9)]
    assert FORUM.criteria[1].question not in {c.question for c in MORA.criteria}
    verdict = forum_stack.texts(sender, "ja")
    assert verdict[1] == response_text(
        FORUM, "utter_verdict_next_steps", next_steps=FORUM.next_steps
    )


def test_greeting_names_the_profiles_kommun(forum_stack):
    reply = forum_stack.texts(uuid.uuid4().hex, "hej")[0]
    assert reply == response_text(FORUM, "utter_greet")
    assert MORA.kommun.name not in reply


def test_action_server_refuses_to_start_with_a_broken_profile(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("schema_version: 1\nid: trasig\n", encoding="utf-8")
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", "0"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "IOP_PROFILE": str(broken), "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "is invalid" in result.stderr and "criteria: field required" in result.stderr
