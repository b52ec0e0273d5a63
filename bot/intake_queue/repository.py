"""Operations on the intake queue: submit (idempotent), list, show, claim, move, report.

Every status change and claim is written to iop_status_history in the same transaction as the
change itself, so the history can never disagree with the case.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.intake_queue import migrate
from bot.intake_queue.database import make_engine
from bot.intake_queue.models import initiatives, status_history
from bot.intake_queue.statuses import DECISIONS, Status, check_transition
from bot.intake_queue.transcripts import stored_events_transcript

SYSTEM_ACTOR = "IOP-lotsen"
# Reference years and day filters follow the kommun's calendar, not UTC: an initiative handed
# in at 00:30 on New Year's Day belongs to the new year.
LOCAL_TIME = ZoneInfo("Europe/Stockholm")
_SUBMIT_ATTEMPTS = 8


class CaseTaken(ValueError):
    """Another caseworker has the case; taking it over must be asked for (Swedish message)."""


class CaseNotFound(LookupError):
    """No initiative with that reference; the message is shown to the caseworker as is."""


@dataclass(frozen=True)
class Submission:
    reference: str
    created: bool  # False when this intake had already been submitted


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


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def format_reference(year: int, sequence: int) -> str:
    return f"IOP-{year}-{sequence:04d}"


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; everything we store is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class IntakeQueue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None, upgrade: bool = True) -> IntakeQueue:
        """Connect, and bring the schema up to date unless the operator manages migrations."""
        engine = make_engine(url)
        if upgrade:
            migrate.upgrade(engine)
        return cls(engine)

    # -- the chat side ---------------------------------------------------------------------------

    def find_by_key(self, intake_key: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(initiatives.c.reference).where(initiatives.c.intake_key == intake_key)
            ).scalar_one_or_none()

    def submit(
        self,
        intake_key: str,
        build_record: Callable[[str, str], dict[str, Any]],
        transcript: list[dict[str, str]],
        submitted_at: datetime | None = None,
    ) -> Submission:
        """Store a new initiative once. A second call with the same key returns the first one.

        `build_record(reference, submitted_at_iso)` makes the validated record once the
        reference is known. The per-year sequence is taken as max + 1 and protected by a unique
        constraint: two submissions racing for one number make one of them try the next.
        """
        existing = self.find_by_key(intake_key)
        if existing:
            return Submission(existing, created=False)
        moment = submitted_at or now_utc()
        for _ in range(_SUBMIT_ATTEMPTS):
            try:
                with self.engine.begin() as connection:
                    reference = self._insert(
                        connection, intake_key, build_record, transcript, moment
                    )
                return Submission(reference, created=True)
            except IntegrityError:
                existing = self.find_by_key(intake_key)
                if existing:  # the same intake won a race (a double click)
                    return Submission(existing, created=False)
        raise RuntimeError("Could not allocate a reference number; try again.")

    def _insert(
        self,
        connection: Connection,
        intake_key: str,
        build_record: Callable[[str, str], dict[str, Any]],
        transcript: list[dict[str, str]],
        moment: datetime,
    ) -> str:
        year = moment.astimezone(LOCAL_TIME).year
        last = connection.execute(
            select(func.max(initiatives.c.sequence)).where(initiatives.c.year == year)
        ).scalar()
        sequence = (last or 0) + 1
        reference = format_reference(year, sequence)
        record = build_record(reference, moment.isoformat())
        result = connection.execute(
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
        first_step = {
            "from_status": None,
            "to_status": Status.INKOMMEN.value,
            "actor": SYSTEM_ACTOR,
            "at": moment.isoformat(),
            "note": "Inlämnad via chatten",
        }
        connection.execute(
            status_history.insert().values(
                initiative_id=initiative_id, **{**first_step, "at": moment}
            )
        )
        # The record as `get()` will return it, for the registrator's and the contact's e-mail.
        stored = {
            **record,
            "status": Status.INKOMMEN.value,
            "assigned_to": None,
            "status_history": [first_step],
            "transcript": transcript,
        }
        _enqueue_mail(connection, initiative_id, stored)
        return reference

    # -- the caseworker side ---------------------------------------------------------------------

    def list_cases(
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
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            CaseSummary(
                reference=row.reference,
                organisation=row.organisation_name,
                status=Status(row.status),
                assigned_to=row.assigned_to,
                submitted_at=_aware(row.submitted_at),
            )
            for row in rows
        ]

    def get(self, reference: str) -> dict[str, Any]:
        """The full record as exported: current status, assignee, history and transcript."""
        with self.engine.connect() as connection:
            row = self._row(connection, reference)
            history = connection.execute(
                select(status_history)
                .where(status_history.c.initiative_id == row.id)
                .order_by(status_history.c.id)
            ).all()
            transcript = stored_events_transcript(connection, row.conversation_id)
        record = json.loads(row.record)
        record["status"] = row.status
        record["assigned_to"] = row.assigned_to
        record["status_history"] = [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "actor": h.actor,
                "at": _aware(h.at).isoformat(),
                "note": h.note,
            }
            for h in history
        ]
        record["transcript"] = transcript or json.loads(row.transcript)
        return record

    def claim(
        self, reference: str, actor: str, note: str | None = None, take_over: bool = False
    ) -> None:
        """Take the case. The status stays; the history records who took it and when.

        A case another caseworker has is only taken with `take_over`, so nobody loses a case
        without knowing; the row is locked, so two claims at once cannot both think it free.
        """
        with self.engine.begin() as connection:
            row = self._row(connection, reference, for_update=True)
            if row.assigned_to and row.assigned_to != actor and not take_over:
                raise CaseTaken(
                    f"{row.reference} handläggs redan av {row.assigned_to}. "
                    "Vill du ta över det, välj ”Ta över ärendet” (i CLI:t --ta-over)."
                )
            moment = now_utc()
            connection.execute(
                initiatives.update()
                .where(initiatives.c.id == row.id)
                .values(assigned_to=actor, updated_at=moment)
            )
            self._log(
                connection,
                row.id,
                row.status,
                row.status,
                actor,
                moment,
                note or f"Handläggs av {actor}",
            )

    def set_status(self, reference: str, new: Status, actor: str, note: str | None) -> Status:
        """Move the case along the arbetsgång; returns the previous status."""
        with self.engine.begin() as connection:
            row = self._row(connection, reference, for_update=True)
            current = Status(row.status)
            check_transition(current, new)
            moment = now_utc()
            connection.execute(
                initiatives.update()
                .where(initiatives.c.id == row.id)
                .values(status=new.value, updated_at=moment)
            )
            self._log(connection, row.id, current.value, new.value, actor, moment, note)
        return current

    def yearly_counts(self) -> dict[int, YearCounts]:
        """The yearly follow-up: initiatives by the year they were submitted, decisions by the
        year they were made (from the status history, Swedish time). A case decided this year
        adds to this year's decisions and leaves last year's figures as they were reported."""
        counts: dict[int, YearCounts] = {}
        submitted = select(initiatives.c.year, func.count()).group_by(initiatives.c.year)
        decisions = (
            select(status_history.c.initiative_id, status_history.c.to_status, status_history.c.at)
            .where(status_history.c.to_status.in_([s.value for s in DECISIONS]))
            .order_by(status_history.c.id)
        )
        with self.engine.connect() as connection:
            for year, count in connection.execute(submitted):
                counts[year] = YearCounts(submitted=count)
            decided: set[int] = set()
            for initiative_id, to_status, at in connection.execute(decisions):
                if initiative_id in decided:  # a case is decided once; the first one counts
                    continue
                decided.add(initiative_id)
                year = _aware(at).astimezone(LOCAL_TIME).year
                current = counts.get(year, YearCounts())
                if to_status == Status.AVSLUTAD_IOP_TECKNAS.value:
                    counts[year] = replace(current, signed=current.signed + 1)
                else:
                    counts[year] = replace(current, not_relevant=current.not_relevant + 1)
        return dict(sorted(counts.items()))

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _row(connection: Connection, reference: str, for_update: bool = False) -> Any:
        query = select(initiatives).where(initiatives.c.reference == reference.strip().upper())
        if for_update and connection.dialect.name != "sqlite":
            query = query.with_for_update()
        row = connection.execute(query).first()
        if row is None:
            raise CaseNotFound(f"Inget ärende med referensen {reference}.")
        return row

    @staticmethod
    def _log(
        connection: Connection,
        initiative_id: int,
        from_status: str | None,
        to_status: str,
        actor: str,
        moment: datetime,
        note: str | None,
    ) -> None:
        connection.execute(
            status_history.insert().values(
                initiative_id=initiative_id,
                from_status=from_status,
                to_status=to_status,
                actor=actor,
                at=moment,
                note=note,
            )
        )


def _enqueue_mail(connection: Connection, initiative_id: int, record: dict[str, Any]) -> None:
    """Registration and receipt e-mail, in the submit's own transaction (bot/mail/messages.py)."""
    from bot.intake_queue.outbox import enqueue
    from bot.mail.messages import submission_messages
    from bot.profile import ProfileError, active_profile, load_profile

    profile = active_profile()
    if profile.id != record["kommun"]["id"]:  # a record made with another bundled profile
        try:
            profile = load_profile(record["kommun"]["id"])
        except ProfileError:  # the active profile is the best guess there is
            profile = active_profile()
    domain = profile.registration.registrator_email.rpartition("@")[2]
    enqueue(
        connection,
        initiative_id,
        record["reference"],
        submission_messages(record, profile),
        domain=domain,
    )


def _start_of(day: date, plus_days: int = 0) -> datetime:
    """Midnight in Swedish time at the start of `day` (+ days), as an aware datetime."""
    local = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TIME) + timedelta(days=plus_days)
    return local.astimezone(timezone.utc)
