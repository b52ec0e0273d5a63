"""The intake queue for callers that hold an Engine: submit (idempotent), list, show, report.
Each call is one unit of work (unit_of_work.py) over the cases repository (cases.py). A
caseworker's action (claim, move along the arbetsgång, export) changes a case together with its
audit line, so it goes through use_cases.py, from the console and the CLI alike.

The names other modules import from here (CaseNotFound, CaseTaken, CaseSummary, YearCounts,
now_utc) are kept, so callers need not know where they now live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.clock import now_utc
from bot.intake_queue import migrate
from bot.intake_queue.cases import (
    SYSTEM_ACTOR,
    CaseNotFound,
    CaseSummary,
    CaseTaken,
    YearCounts,
    format_reference,
)
from bot.intake_queue.database import make_engine
from bot.intake_queue.statuses import Status
from bot.intake_queue.unit_of_work import UnitOfWork

__all__ = [
    "SYSTEM_ACTOR",
    "CaseNotFound",
    "CaseSummary",
    "CaseTaken",
    "IntakeQueue",
    "Submission",
    "YearCounts",
    "format_reference",
    "now_utc",
]
_SUBMIT_ATTEMPTS = 8


@dataclass(frozen=True)
class Submission:
    reference: str
    created: bool  # False when this intake had already been submitted


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

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work on this queue's database."""
        return UnitOfWork(self.engine)

    # -- the chat side ---------------------------------------------------------------------------

    def find_by_key(self, intake_key: str) -> str | None:
        with self.unit_of_work() as uow:
            return uow.cases.find_by_key(intake_key)

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
        constraint: two submissions racing for one number make one of them try the next. The
        registrator's and the contact's e-mail commit in the same unit of work as the case.
        """
        existing = self.find_by_key(intake_key)
        if existing:
            return Submission(existing, created=False)
        moment = submitted_at or now_utc()
        for _ in range(_SUBMIT_ATTEMPTS):
            try:
                with self.unit_of_work() as uow:
                    initiative_id, stored = uow.cases.add(
                        intake_key, build_record, transcript, moment
                    )
                    _enqueue_mail(uow, initiative_id, stored)
                return Submission(stored["reference"], created=True)
            except IntegrityError:
                existing = self.find_by_key(intake_key)
                if existing:  # the same intake won a race (a double click)
                    return Submission(existing, created=False)
        raise RuntimeError("Could not allocate a reference number; try again.")

    # -- the caseworker side ---------------------------------------------------------------------

    def list_cases(
        self,
        status: Status | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[CaseSummary]:
        """Newest first; `until` is inclusive (the whole day)."""
        with self.unit_of_work() as uow:
            return uow.cases.list(status, since, until)

    def get(self, reference: str) -> dict[str, Any]:
        """The full record as exported: current status, assignee, history and transcript."""
        with self.unit_of_work() as uow:
            return uow.cases.get(reference)

    def yearly_counts(self) -> dict[int, YearCounts]:
        """The yearly follow-up (see CaseRepository.yearly_counts)."""
        with self.unit_of_work() as uow:
            return uow.cases.yearly_counts()


def _enqueue_mail(uow: UnitOfWork, initiative_id: int, record: dict[str, Any]) -> None:
    """Registration and receipt e-mail, in the submit's own transaction (bot/mail/messages.py)."""
    from bot.mail.messages import submission_messages
    from bot.profile import ProfileError, active_profile, load_profile

    profile = active_profile()
    if profile.id != record["kommun"]["id"]:  # a record made with another bundled profile
        try:
            profile = load_profile(record["kommun"]["id"])
        except ProfileError:  # the active profile is the best guess there is
            profile = active_profile()
    domain = profile.registration.registrator_email.rpartition("@")[2]
    uow.outbox.add(
        initiative_id,
        record["reference"],
        submission_messages(record, profile),
        domain=domain,
    )
