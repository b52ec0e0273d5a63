"""The one clock: stored moments are UTC to the second and read on the kommun's clock."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.clock import as_utc, kommun_time, now_utc, now_utc_iso


def test_now_is_utc_without_microseconds() -> None:
    moment = now_utc()
    assert moment.tzinfo == timezone.utc
    assert moment.microsecond == 0
    assert now_utc_iso().endswith("+00:00")


def test_a_naive_stored_moment_is_utc() -> None:
    assert as_utc(datetime(2026, 3, 1, 9, 0)) == datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_the_kommun_clock_follows_summer_time() -> None:
    assert kommun_time("2026-01-15T09:00:00").hour == 10
    assert kommun_time("2026-07-15T09:00:00+00:00").hour == 11
