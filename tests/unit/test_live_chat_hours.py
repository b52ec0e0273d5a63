"""When the live chat with a caseworker is open: the profile's hours, in Swedish time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import KOMMUN_TIME_ZONE
from bot.holidays import closed_days
from bot.profile import PROFILE_DIR, LiveChat, ProfileError, load_profile
from tests.conftest import PROJECT_ROOT

STOCKHOLM = KOMMUN_TIME_ZONE
ALWAYS_OPEN = PROJECT_ROOT / "tests" / "fixtures" / "mora_chat_always_open.yml"
WEEKDAYS_8_TO_16 = LiveChat(
    days=[1, 2, 3, 4, 5], opens="08:00", closes="16:00", hours_text="vardagar 8–16"
)

aware_moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (local(2026, 3, 2, 7, 59, 59), False),  # Monday, a second before opening
        (local(2026, 3, 2, 8, 0), True),  # opening minute
        (local(2026, 3, 2, 15, 59, 59), True),  # the last second
        (local(2026, 3, 2, 16, 0), False),  # closing time is closed
        (local(2026, 3, 6, 12, 0), True),  # Friday
        (local(2026, 3, 7, 12, 0), False),  # Saturday
        (local(2026, 3, 8, 12, 0), False),  # Sunday
    ],
)
def test_weekday_hours_and_their_boundaries(moment, is_open):
    assert WEEKDAYS_8_TO_16.is_open(moment) is is_open


def test_utc_moments_are_read_in_swedish_time_winter_and_summer():
    # CET (UTC+1) in January, CEST (UTC+2) in July: 07:00 UTC is 08:00 and 09:00 in Sweden.
    assert WEEKDAYS_8_TO_16.is_open(datetime(2026, 1, 12, 7, 0, tzinfo=timezone.utc))
    assert not WEEKDAYS_8_TO_16.is_open(datetime(2026, 1, 12, 6, 59, tzinfo=timezone.utc))
    assert WEEKDAYS_8_TO_16.is_open(datetime(2026, 7, 13, 6, 0, tzinfo=timezone.utc))
    assert not WEEKDAYS_8_TO_16.is_open(datetime(2026, 7, 13, 14, 0, tzinfo=timezone.utc))


def test_the_swedish_weekday_counts_not_the_utc_one():
    # Sunday 23:30 UTC in summer is Monday 01:30 in Sweden.
    night_chat = LiveChat(days=[1], opens="00:00", closes="02:00", hours_text="måndagar 0–2")
    assert night_chat.is_open(datetime(2026, 7, 12, 23, 30, tzinfo=timezone.utc))


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        WEEKDAYS_8_TO_16.is_open(datetime(2026, 3, 2, 12, 0))


@given(aware_moments)
def test_open_exactly_on_listed_days_between_opening_and_closing(moment):
    swedish = moment.astimezone(STOCKHOLM)
    expected = swedish.isoweekday() <= 5 and 8 <= swedish.hour < 16
    expected = expected and swedish.date() not in closed_days(swedish.year)
    assert WEEKDAYS_8_TO_16.is_open(moment) is expected


@pytest.mark.parametrize(
    "day",
    [
        (2026, 1, 6),  # trettondedag jul, a Tuesday
        (2026, 4, 3),  # långfredagen
        (2026, 4, 6),  # annandag påsk
        (2026, 5, 1),  # första maj, a Friday
        (2026, 5, 14),  # Kristi himmelsfärdsdag, a Thursday
        (2026, 6, 19),  # midsommarafton, a Friday
        (2026, 12, 24),  # julafton
        (2026, 12, 31),  # nyårsafton
        (2027, 3, 29),  # annandag påsk 2027 (Easter 28 March)
        (2027, 6, 25),  # midsommarafton 2027
    ],
)
def test_the_chat_is_closed_on_weekday_holidays_and_eves(day):
    assert not WEEKDAYS_8_TO_16.is_open(local(*day, 10, 0))
    staffed_anyway = WEEKDAYS_8_TO_16.copy(update={"closed_on_holidays": False})
    assert staffed_anyway.is_open(local(*day, 10, 0))


def test_the_hours_as_said_mention_the_holidays_only_when_closed_on_them():
    assert WEEKDAYS_8_TO_16.hours_said == "vardagar 8–16 utom helgdagar och helgaftnar"
    staffed_anyway = WEEKDAYS_8_TO_16.copy(update={"closed_on_holidays": False})
    assert staffed_anyway.hours_said == "vardagar 8–16"


def test_ordinary_weekdays_next_to_holidays_stay_open():
    for day in [(2026, 4, 2), (2026, 4, 7), (2026, 5, 15), (2026, 6, 18), (2026, 12, 23)]:
        assert WEEKDAYS_8_TO_16.is_open(local(*day, 10, 0)), day


@given(aware_moments, st.sampled_from([timezone.utc, timezone(timedelta(hours=-7)), STOCKHOLM]))
def test_the_answer_does_not_depend_on_the_time_zone_the_moment_is_written_in(moment, zone):
    assert WEEKDAYS_8_TO_16.is_open(moment) is WEEKDAYS_8_TO_16.is_open(moment.astimezone(zone))


@pytest.fixture(scope="module")
def always_open_chat() -> LiveChat:
    """Read once: loading the profile takes far longer than the check itself."""
    return load_profile(str(ALWAYS_OPEN)).live_chat


@given(moment=aware_moments)
def test_all_days_from_00_00_to_24_00_is_always_open(always_open_chat, moment):
    assert always_open_chat.is_open(moment)


def test_the_bundled_profiles_have_weekday_hours_and_a_callback_promise():
    for name in ("mora", "linkoping_forum"):
        profile = load_profile(name)
        assert profile.live_chat.days == [1, 2, 3, 4, 5]
        assert profile.live_chat.hours_text
        assert profile.callback_promise.startswith("inom")


def test_the_always_open_test_profile_is_mora_apart_from_the_chat_hours():
    mora = load_profile("mora").dict()
    always_open = load_profile(str(ALWAYS_OPEN)).dict()
    for data in (mora, always_open):
        data.pop("id")
        data.pop("live_chat")
    assert always_open == mora


def _profile_with_live_chat(tmp_path, live_chat: dict) -> str:
    data = yaml.safe_load((PROFILE_DIR / "mora.yml").read_text(encoding="utf-8"))
    data["live_chat"] = live_chat
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("live_chat", "problem"),
    [
        ({"days": [0, 8], "opens": "08:00", "closes": "16:00"}, "weekdays are 1"),
        ({"days": [], "opens": "08:00", "closes": "16:00"}, "live_chat.days"),
        ({"days": [1], "opens": "8", "closes": "16:00"}, "HH:MM"),
        ({"days": [1], "opens": "08:00", "closes": "24:30"}, "HH:MM"),
        ({"days": [1], "opens": "16:00", "closes": "08:00"}, "later than opens"),
        ({"days": [1], "opens": "08:00", "closes": "08:00"}, "later than opens"),
    ],
)
def test_impossible_hours_are_refused_with_the_field_named(tmp_path, live_chat, problem):
    path = _profile_with_live_chat(tmp_path, {**live_chat, "hours_text": "vardagar 8–16"})
    with pytest.raises(ProfileError, match=problem):
        load_profile(path)


def test_a_profile_without_live_chat_hours_or_callback_promise_is_refused(tmp_path):
    data = yaml.safe_load((PROFILE_DIR / "mora.yml").read_text(encoding="utf-8"))
    del data["live_chat"], data["callback_promise"]
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        load_profile(str(path))
    assert "live_chat" in str(error.value) and "callback_promise" in str(error.value)
