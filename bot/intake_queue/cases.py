"""The cases repository: initiatives and their status history, on one open Connection.

A repository never commits: it works inside the unit of work that made it
(bot/intake_queue/unit_of_work.py), so a change, its history and its audit line commit or roll
back together. Every status change and claim is written to iop_status_history beside the change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot.clock import KOMMUN_TIME_ZONE, as_utc, now_utc
from bot.intake_queue.models import initiatives, status_history
from bot.intake_queue.statuses import DECISIONS, Status, check_transition
from bot.intake_queue.transcripts import stored_events_transcript

SYSTEM_ACTOR = "IOP-lotsen"


class CaseTaken(ValueError):
    """Another caseworker has the case; taking it over must be asked for (Swedish message)."""


class CaseNotFound(LookupError):
    """No initiative with that reference; the message is shown to the caseworker as is."""


@dataclass(frozen=True)
class Claim:
    """A caseworker taking a case, with a note for its history; `take_over` takes it from a
    colleague, which never happens unasked. `at`: when, if not now (tests, imports)."""

    reference: str
    actor: str
    note: str | None = None
    take_over: bool = False
    at: datetime | None = None


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    organisation: str
    status: Status
    assigned_to: str | None
    submitted_at: datetime


@dataclass(frozen=True)
class YearCounts:
    """One year of the follow-up the guideline asks for (antal ansökningar, beslut om IOP)."""

    submitted: int = 0  # initiatives handed in that year
    signed: int = 0  # decided that year: avtal om IOP tecknat
    not_relevant: int = 0  # decided that year: fortsatt process mot IOP inte aktuell

    @property
    def decisions(self) -> int:
        return self.signed + self.not_relevant


def format_reference(year: int, sequence: int) -> str:
    return f"IOP-{year}-{sequence:04d}"


def normal_reference(reference: str) -> str:
    """A reference as stored, whatever the caseworker typed: IOP-2026-0001."""
    return reference.strip().upper()


class CaseRepository:
    """Initiatives, read and changed inside the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def find_by_key(self, intake_key: str) -> str | None:
        return self.connection.execute(
            select(initiatives.c.reference).where(initiatives.c.intake_key == intake_key)
        ).scalar_one_or_none()

    def row(self, reference: str, for_update: bool = False) -> Any:
        """The case's row; `for_update` locks it (PostgreSQL) until the transaction ends."""
        query = select(initiatives).where(initiatives.c.reference == normal_reference(reference))
        if for_update and self.connection.dialect.name != "sqlite":
            query = query.with_for_update()
        row = self.connection.execute(query).first()
        if row is None:
            raise CaseNotFound(f"Inget ärende med referensen {reference}.")
        return row

    def add(
        self,
        intake_key: str,
        build_record: Callable[[str, str], dict[str, Any]],
        transcript: list[dict[str, str]],
        moment: datetime,
    ) -> tuple[int, dict[str, Any]]:
        """Insert a new initiative with the next number of its year; returns its id and the
        record as `get()` will return it. A race for the number fails on the unique constraint."""
        year = moment.astimezone(KOMMUN_TIME_ZONE).year
        last = self.connection.execute(
            select(func.max(initiatives.c.sequence)).where(initiatives.c.year == year)
        ).scalar()
        sequence = (last or 0) + 1
        reference = format_reference(year, sequence)
        record = build_record(reference, moment.isoformat())
        result = self.connection.execute(
            initiatives.insert().values(
                reference=reference,
                year=year,
                sequence=sequence,
                intake_key=intake_key,
                kommun_id=record["kommun"]["id"],
                conversation_id=record["conversation_id"],
                organisation_name=record["organisation"]["name"],
                status=Status.INKOMMEN.value,
                assigned_to=None,
                submitted_at=moment,
                updated_at=moment,
                record=json.dumps(record, ensure_ascii=False),
                transcript=json.dumps(transcript, ensure_ascii=False),
            )
        )
        initiative_id = result.inserted_primary_key[0]
        note = "Inlämnad via chatten"
        self._log(initiative_id, None, Status.INKOMMEN.value, SYSTEM_ACTOR, moment, note)
        first_step = {
            "from_status": None,
            "to_status": Status.INKOMMEN.value,
            "actor": SYSTEM_ACTOR,
            "at": moment.isoformat(),
            "note": note,
        }
        stored = {
            **record,
            "status": Status.INKOMMEN.value,
            "assigned_to": None,
            "status_history": [first_step],
            "transcript": transcript,
        }
        return initiative_id, stored

    def list(
        self,
        status: Status | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[CaseSummary]:
        """Newest first; `until` is inclusive (the whole day)."""
        query = select(initiatives).order_by(initiatives.c.submitted_at.desc())
        if status is not None:
            query = query.where(initiatives.c.status == status.value)
        if since is not None:
            query = query.where(initiatives.c.submitted_at >= _start_of(since))
        if until is not None:
            query = query.where(initiatives.c.submitted_at < _start_of(until, plus_days=1))
        return [
            CaseSummary(
                reference=row.reference,
                organisation=row.organisation_name,
                status=Status(row.status),
                assigned_to=row.assigned_to,
                submitted_at=as_utc(row.submitted_at),
            )
            for row in self.connection.execute(query).all()
        ]

    def get(self, reference: str) -> dict[str, Any]:
        """The full record as exported: current status, assignee, history and transcript."""
        row = self.row(reference)
        history = self.connection.execute(
            select(status_history)
            .where(status_history.c.initiative_id == row.id)
            .order_by(status_history.c.id)
        ).all()
        transcript = stored_events_transcript(self.connection, row.conversation_id)
        record = json.loads(row.record)
        record["status"] = row.status
        record["assigned_to"] = row.assigned_to
        record["status_history"] = [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "actor": h.actor,
                "at": as_utc(h.at).isoformat(),
                "note": h.note,
            }
            for h in history
        ]
        record["transcript"] = transcript or json.loads(row.transcript)
        return record

    def claim(self, claim: Claim) -> str:
        """Take the case (the status stays); returns the stored reference.

        A case another caseworker has is only taken with `take_over`, so nobody loses a case
        without knowing; the row is locked, so two claims at once cannot both think it free.
        """
        row = self.row(claim.reference, for_update=True)
        actor = claim.actor
        if row.assigned_to and row.assigned_to != actor and not claim.take_over:
            raise CaseTaken(
                f"{row.reference} handläggs redan av {row.assigned_to}. "
                "Vill du ta över det, välj ”Ta över ärendet” (i CLI:t --ta-over)."
            )
        moment = claim.at or now_utc()
        self.connection.execute(
            initiatives.update()
            .where(initiatives.c.id == row.id)
            .values(assigned_to=actor, updated_at=moment)
        )
        note = claim.note or f"Handläggs av {actor}"
        self._log(row.id, row.status, row.status, actor, moment, note)
        return row.reference

    def set_status(
        self, reference: str, new: Status, actor: str, note: str | None, at: datetime | None = None
    ) -> Status:
        """Move the case along the arbetsgång; returns the previous status."""
        row = self.row(reference, for_update=True)
        current = Status(row.status)
        check_transition(current, new)
        moment = at or now_utc()
        self.connection.execute(
            initiatives.update()
            .where(initiatives.c.id == row.id)
            .values(status=new.value, updated_at=moment)
        )
        self._log(row.id, current.value, new.value, actor, moment, note)
        return current

    def yearly_counts(self) -> dict[int, YearCounts]:
        """Initiatives by the year they were submitted, decisions by the year they were made
        (the first decision in the history, Swedish time): a closed year never changes."""
        counts: dict[int, YearCounts] = {}
        submitted = select(initiatives.c.year, func.count()).group_by(initiatives.c.year)
        decisions = (
            select(status_history.c.initiative_id, status_history.c.to_status, status_history.c.at)
            .where(status_history.c.to_status.in_([s.value for s in DECISIONS]))
            .order_by(status_history.c.id)
        )
        for year, count in self.connection.execute(submitted):
            counts[year] = YearCounts(submitted=count)
        decided: set[int] = set()
        for initiative_id, to_status, at in self.connection.execute(decisions):
            if initiative_id in decided:
                continue
            decided.add(initiative_id)
            year = as_utc(at).astimezone(KOMMUN_TIME_ZONE).year
            current = counts.get(year, YearCounts())
            if to_status == Status.AVSLUTAD_IOP_TECKNAS.value:
                counts[year] = replace(current, signed=current.signed + 1)
            else:
                counts[year] = replace(current, not_relevant=current.not_relevant + 1)
        return dict(sorted(counts.items()))

    def _log(
        self,
        initiative_id: int,
        from_status: str | None,
        to_status: str,
        actor: str,
        moment: datetime,
        note: str | None,
    ) -> None:
        self.connection.execute(
            status_history.insert().values(
                initiative_id=initiative_id,
                from_status=from_status,
                to_status=to_status,
                actor=actor,
                at=moment,
                note=note,
            )
        )


def _start_of(day: date, plus_days: int = 0) -> datetime:
    """Midnight in Swedish time at the start of `day` (+ days), as an aware UTC datetime."""
    local = datetime(day.year, day.month, day.day, tzinfo=KOMMUN_TIME_ZONE)
    return as_utc(local + timedelta(days=plus_days))
