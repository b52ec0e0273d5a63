"""Swedish public holidays and the eves a kommun's offices close on, computed for any year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.holidays import closed_days, easter_sunday, is_closed_day, named_days

# Easter Sundays from published calendars.
EASTERS = {
    2000: date(2000, 4, 23),
    2008: date(2008, 3, 23),
    2011: date(2011, 4, 24),
    2019: date(2019, 4, 21),
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2038: date(2038, 4, 25),
}


@pytest.mark.parametrize(("year", "easter"), sorted(EASTERS.items()))
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_days_of_2026_by_name():
    days = {name: day for day, name in closed_days(2026).items()}
    assert days["långfredagen"] == date(2026, 4, 3)
    assert days["Kristi himmelsfärdsdag"] == date(2026, 5, 14)
    assert days["pingstdagen"] == date(2026, 5, 24)
    assert days["midsommarafton"] == date(2026, 6, 19)
    assert days["midsommardagen"] == date(2026, 6, 20)
    assert days["alla helgons dag"] == date(2026, 10, 31)
    assert days["Sveriges nationaldag"] == date(2026, 6, 6)
    assert len(days) == 17


@given(st.integers(min_value=1900, max_value=2200))
def test_every_year_has_its_days_in_the_right_places(year):
    days = {name: day for day, name in named_days(year)}
    assert len(days) == 17
    assert set(closed_days(year)) == set(days.values())
    assert date(year, 3, 22) <= days["påskdagen"] <= date(year, 4, 25)
    assert days["påskdagen"].isoweekday() == 7
    assert days["långfredagen"].isoweekday() == 5
    assert days["Kristi himmelsfärdsdag"].isoweekday() == 4
    assert days["midsommarafton"].isoweekday() == 5
    assert date(year, 6, 19) <= days["midsommarafton"] <= date(year, 6, 25)
    assert days["alla helgons dag"].isoweekday() == 6
    assert date(year, 10, 31) <= days["alla helgons dag"] <= date(year, 11, 6)


def test_two_holidays_on_one_date_keep_both_names():
    # Easter 23 March 2008: Kristi himmelsfärdsdag fell on 1 May.
    assert closed_days(2008)[date(2008, 5, 1)] == "första maj och Kristi himmelsfärdsdag"


def test_ordinary_days_are_not_closed():
    assert not is_closed_day(date(2026, 12, 1))
    assert not is_closed_day(date(2026, 6, 18))
    assert is_closed_day(date(2026, 12, 24))
