"""The one clock and time zone of IOP-lotsen.

Everything is stored in UTC to the second (the database and the exported record agree on the
moment); people read it on the kommun's clock, Europe/Stockholm. Tests pass their own moments
instead of patching this module.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

# The kommun's clock: opening hours, exports and the chat's times are read on it.
KOMMUN_TIME_ZONE = ZoneInfo("Europe/Stockholm")


def now_utc() -> datetime:
    """The current moment in UTC, to the second: what we store and compare."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def now_utc_iso() -> str:
    """The current moment as ISO text in UTC, to the second (the record's timestamps)."""
    return now_utc().isoformat(timespec="seconds")


def as_utc(moment: datetime | str) -> datetime:
    """A stored moment (ISO text or datetime) as an aware UTC datetime; naive means UTC,
    because SQLite returns naive datetimes and everything we store is UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def kommun_time(moment: datetime | str) -> datetime:
    """A stored moment on the kommun's clock."""
    return as_utc(moment).astimezone(KOMMUN_TIME_ZONE)
