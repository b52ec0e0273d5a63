"""Where a request for a person goes, and where the bot carries on: the decisions alone.

Plain values in, a route out: no Rasa, no database, and the moment is set per case.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pytest

from actions.shared import FAILED, in_thread
from bot.clock import KOMMUN_TIME_ZONE
from bot.handoff_routing import Resume, Route, choose_route, handoff_just_ended, resume_point
from bot.intake_queue.handoffs import Kind
from bot.profile import LiveChat

WEEKDAYS_8_TO_16 = LiveChat(
    days=[1, 2, 3, 4, 5], opens="08:00", closes="16:00", hours_text="vardagar 8–16"
)
TUESDAY_10 = datetime(2026, 3, 3, 10, 0, tzinfo=KOMMUN_TIME_ZONE)
TUESDAY_17 = datetime(2026, 3, 3, 17, 0, tzinfo=KOMMUN_TIME_ZONE)
SATURDAY_10 = datetime(2026, 3, 7, 10, 0, tzinfo=KOMMUN_TIME_ZONE)
GOOD_FRIDAY_10 = datetime(2026, 4, 3, 10, 0, tzinfo=KOMMUN_TIME_ZONE)


@pytest.mark.parametrize(
    ("moment", "online", "route"),
    [
        (TUESDAY_10, True, Route.LIVE),
        (TUESDAY_10, False, Route.NOBODY_ONLINE),
        (TUESDAY_17, True, Route.CHAT_CLOSED),
        (SATURDAY_10, True, Route.CHAT_CLOSED),
        (GOOD_FRIDAY_10, True, Route.CHAT_CLOSED),
        (SATURDAY_10, False, Route.CHAT_CLOSED),
    ],
)
def test_with_nothing_open_the_hours_and_who_is_online_decide(moment, online, route):
    assert choose_route(WEEKDAYS_8_TO_16, moment, online, open_handoff=None) is route


@pytest.mark.parametrize("moment", [TUESDAY_10, SATURDAY_10])
@pytest.mark.parametrize("online", [True, False])
def test_an_open_handoff_decides_whatever_the_hour(moment, online):
    # A waiting callback is not asked for twice; an open live chat is kept, not opened again.
    assert choose_route(WEEKDAYS_8_TO_16, moment, online, Kind.CALLBACK) is Route.CALLBACK_OPEN
    assert choose_route(WEEKDAYS_8_TO_16, moment, online, Kind.LIVE) is Route.LIVE


def user(text: str, external: bool = False) -> dict:
    return {"event": "user", "text": text, "metadata": {"is_external": True} if external else {}}


def test_only_the_external_mark_or_a_resume_since_the_last_message_means_a_handoff_ended():
    typed = [user("hej"), user("EXTERNAL: handoff_ended")]
    assert not handoff_just_ended(typed)
    assert handoff_just_ended([user("hej"), user("EXTERNAL: handoff_ended", external=True)])
    assert handoff_just_ended([user("hej"), {"event": "resume"}, user("hallå")])
    # A resume before the user's previous message is an old handoff, not this one.
    assert not handoff_just_ended([{"event": "resume"}, user("hej"), user("hallå")])
    assert not handoff_just_ended([])


@pytest.mark.parametrize(
    ("ended", "intake", "checklist", "where"),
    [
        (False, True, True, Resume.NOT_A_HANDOFF),
        (True, True, True, Resume.INTAKE),
        (True, False, True, Resume.CHECKLIST),
        (True, False, False, Resume.NOTHING),
    ],
)
def test_the_bot_picks_up_the_intake_first_then_the_checklist(ended, intake, checklist, where):
    assert resume_point(ended, intake, checklist) is where


async def test_failed_blocking_work_is_logged_by_its_type_only(caplog):
    def broken() -> None:
        raise OSError("hemligt: 19850312-1234")

    with caplog.at_level(logging.DEBUG, logger="actions.shared"):
        assert await in_thread(broken, "Storing a callback request") is FAILED
    assert "Storing a callback request failed: OSError" in caplog.messages
    assert not any("19850312" in message for message in caplog.messages)
    assert await in_thread(lambda: 42, "Counting") == 42
