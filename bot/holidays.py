"""Days a Swedish kommun's offices are closed: the public holidays (helgdagar, lag 1989:253) and
the eves treated as holidays (påsk-, midsommar-, jul- and nyårsafton).

Computed, not listed, so no year runs out; Easter by the Gregorian computus.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_weekday_from(start: date, isoweekday: int) -> date:
    return start + timedelta(days=(isoweekday - start.isoweekday()) % 7)


def named_days(year: int) -> list[tuple[date, str]]:
    """The 17 days of `year`, in calendar order; two may share a date (1 May 2008)."""
    easter = easter_sunday(year)
    midsummer_day = _first_weekday_from(date(year, 6, 20), 6)  # Saturday 20–26 June
    days = [
        (date(year, 1, 1), "nyårsdagen"),
        (date(year, 1, 6), "trettondedag jul"),
        (easter - timedelta(days=2), "långfredagen"),
        (easter - timedelta(days=1), "påskafton"),
        (easter, "påskdagen"),
        (easter + timedelta(days=1), "annandag påsk"),
        (date(year, 5, 1), "första maj"),
        (easter + timedelta(days=39), "Kristi himmelsfärdsdag"),
        (easter + timedelta(days=49), "pingstdagen"),
        (date(year, 6, 6), "Sveriges nationaldag"),
        (midsummer_day - timedelta(days=1), "midsommarafton"),
        (midsummer_day, "midsommardagen"),
        (_first_weekday_from(date(year, 10, 31), 6), "alla helgons dag"),  # Sat 31 Oct–6 Nov
        (date(year, 12, 24), "julafton"),
        (date(year, 12, 25), "juldagen"),
        (date(year, 12, 26), "annandag jul"),
        (date(year, 12, 31), "nyårsafton"),
    ]
    return sorted(days, key=lambda named: named[0])


@lru_cache(maxsize=64)
def closed_days(year: int) -> dict[date, str]:
    """Every day of `year` the offices are closed for a holiday, with its Swedish name(s)."""
    closed: dict[date, str] = {}
    for day, name in named_days(year):
        closed[day] = f"{closed[day]} och {name}" if day in closed else name
    return closed


def is_closed_day(day: date) -> bool:
    return day in closed_days(day.year)
