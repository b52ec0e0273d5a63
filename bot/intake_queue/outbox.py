"""The outbox: e-mail stored in the same transaction as the case it is about, sent later.

Why an outbox: the case and its e-mail must agree. An SMTP call inside the submit transaction
would hold the user waiting on a mail server and could send mail for a case that then rolls
back; sending after the commit could lose the mail if the process dies in between. Here the
rows commit with the case, and bot/mail/sender.py delivers them.

Each row is claimed before it is sent (status `sending` with a random claim token, set by an
UPDATE that only matches a row still `pending`), so two senders never send the same row; on
PostgreSQL the candidates are also picked with FOR UPDATE SKIP LOCKED so they do not queue on
each other. A row is `sent` only after the SMTP server accepted it. A claim older than
CLAIM_TIMEOUT (the sender died mid-send) is taken again; the row keeps its Message-ID, so a
mail that did get through the first time can be recognised as the same message.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from enum import Enum
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection, Engine

from bot.clock import as_utc, now_utc
from bot.intake_queue.models import outbox

if TYPE_CHECKING:
    from bot.intake_queue.unit_of_work import UnitOfWork

CLAIM_TIMEOUT = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
MESSAGE_ID_DOMAIN = "iop-lotsen.localhost"  # Message-IDs when no domain is given


class MailStatus(str, Enum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # the server refused for good (e.g. no such recipient): needs a person

    @property
    def label(self) -> str:
        return {
            MailStatus.PENDING: "väntar",
            MailStatus.SENDING: "skickas",
            MailStatus.SENT: "skickat",
            MailStatus.FAILED: "misslyckades",
        }[self]


@dataclass(frozen=True)
class NewMessage:
    """A message to store; attachment_record is the record (JSON) the attachments are made of."""

    purpose: str  # registrator | kvittens
    recipient: str
    subject: str
    body: str
    attachment_record: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    reference: str
    purpose: str
    recipient: str
    reply_to: str | None
    subject: str
    body: str
    attachment_record: str | None
    message_id: str
    status: MailStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    claim_token: str | None = None


def enqueue(
    connection: Connection,
    initiative_id: int | None,
    reference: str,
    messages: list[NewMessage],
    moment: datetime | None = None,
    domain: str = MESSAGE_ID_DOMAIN,
) -> None:
    """Store messages inside the caller's transaction: they commit or roll back with it.

    `domain` is the right-hand side of the Message-IDs (the kommun's mail domain)."""
    moment = moment or now_utc()
    for message in messages:
        connection.execute(
            outbox.insert().values(
                initiative_id=initiative_id,
                reference=reference,
                purpose=message.purpose,
                recipient=message.recipient,
                reply_to=message.reply_to,
                subject=message.subject,
                body=message.body,
                attachment_record=message.attachment_record,
                message_id=make_msgid(idstring=reference, domain=domain),
                status=MailStatus.PENDING.value,
                attempts=0,
                next_attempt_at=moment,
                created_at=moment,
            )
        )


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    """Due pending rows, and rows whose sender vanished mid-send."""
    return or_(
        and_(outbox.c.status == MailStatus.PENDING.value, outbox.c.next_attempt_at <= now),
        and_(
            outbox.c.status == MailStatus.SENDING.value,
            outbox.c.claimed_at < now - CLAIM_TIMEOUT,
        ),
    )


class OutboxRepository:
    """The outbox inside the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(
        self, initiative_id: int | None, reference: str, new: list[NewMessage], domain: str
    ) -> None:
        """Store `new` now, inside the unit of work's transaction (see `enqueue`)."""
        enqueue(self.connection, initiative_id, reference, new, domain=domain)

    def claim(self, limit: int, now: datetime) -> list[OutboxMessage]:
        """Take up to `limit` due messages for one sender; nobody else gets them meanwhile."""
        token = secrets.token_hex(16)
        candidates = select(outbox.c.id).where(_claimable(now)).order_by(outbox.c.id).limit(limit)
        if self.connection.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        ids = [row.id for row in self.connection.execute(candidates)]
        if not ids:
            return []
        # The same condition again: on SQLite another sender may have claimed them meanwhile.
        self.connection.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids), _claimable(now))
            .values(
                status=MailStatus.SENDING.value,
                claim_token=token,
                claimed_at=now,
                attempts=outbox.c.attempts + 1,
            )
        )
        rows = self.connection.execute(
            select(outbox).where(outbox.c.claim_token == token).order_by(outbox.c.id)
        ).all()
        return [_message(row) for row in rows]

    def finish(self, message: OutboxMessage, **values: object) -> bool:
        """Only the sender holding the claim may finish it."""
        result = self.connection.execute(
            update(outbox)
            .where(outbox.c.id == message.id, outbox.c.claim_token == message.claim_token)
            .values(claim_token=None, **values)
        )
        return result.rowcount == 1

    def retry_failed(self, now: datetime) -> int:
        return self.connection.execute(
            update(outbox)
            .where(outbox.c.status == MailStatus.FAILED.value)
            .values(status=MailStatus.PENDING.value, next_attempt_at=now)
        ).rowcount

    def messages(self, include_sent: bool = False, limit: int = 200) -> list[OutboxMessage]:
        """Unsent messages (and recent sent ones if asked), oldest first."""
        query = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if not include_sent:
            query = query.where(outbox.c.status != MailStatus.SENT.value)
        rows = self.connection.execute(query).all()
        return [_message(row) for row in reversed(rows)]

    def for_case(self, reference: str) -> list[OutboxMessage]:
        rows = self.connection.execute(
            select(outbox).where(outbox.c.reference == reference).order_by(outbox.c.id)
        ).all()
        return [_message(row) for row in rows]


def _unit(engine: Engine) -> UnitOfWork:
    from bot.intake_queue.unit_of_work import UnitOfWork

    return UnitOfWork(engine)


def claim(engine: Engine, limit: int = 20, now: datetime | None = None) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this sender; nobody else gets them meanwhile."""
    with _unit(engine) as uow:
        return uow.outbox.claim(limit, now or now_utc())


def mark_sent(engine: Engine, message: OutboxMessage, now: datetime | None = None) -> bool:
    """The server accepted it. The attachments' record is dropped: the case keeps the record."""
    return _finish(
        engine,
        message,
        status=MailStatus.SENT.value,
        sent_at=now or now_utc(),
        last_error=None,
        attachment_record=None,
    )


def mark_retry(
    engine: Engine, message: OutboxMessage, error: str, now: datetime | None = None
) -> datetime:
    """A temporary failure: try again later, waiting longer each time (1, 2, 4 … 60 minutes)."""
    wait = min(FIRST_RETRY * 2 ** max(message.attempts - 1, 0), LONGEST_WAIT)
    when = (now or now_utc()) + wait
    _finish(
        engine,
        message,
        status=MailStatus.PENDING.value,
        next_attempt_at=when,
        last_error=error[:2000],
    )
    return when


def mark_failed(engine: Engine, message: OutboxMessage, error: str) -> None:
    """The server refused for good; an operator decides (`iop-handlaggare skicka-post --igen`)."""
    _finish(engine, message, status=MailStatus.FAILED.value, last_error=error[:2000])


def _finish(engine: Engine, message: OutboxMessage, **values: object) -> bool:
    with _unit(engine) as uow:
        return uow.outbox.finish(message, **values)


def retry_failed(engine: Engine, now: datetime | None = None) -> int:
    """Put every failed message back in line (after the operator fixed the address or server)."""
    with _unit(engine) as uow:
        return uow.outbox.retry_failed(now or now_utc())


def messages(engine: Engine, include_sent: bool = False, limit: int = 200) -> list[OutboxMessage]:
    """For the operator: unsent messages (and recent sent ones if asked), oldest first."""
    with _unit(engine) as uow:
        return uow.outbox.messages(include_sent, limit)


def for_case(engine: Engine, reference: str) -> list[OutboxMessage]:
    with _unit(engine) as uow:
        return uow.outbox.for_case(reference)


def _message(row) -> OutboxMessage:  # type: ignore[no-untyped-def]
    return OutboxMessage(
        id=row.id,
        reference=row.reference,
        purpose=row.purpose,
        recipient=row.recipient,
        reply_to=row.reply_to,
        subject=row.subject,
        body=row.body,
        attachment_record=row.attachment_record,
        message_id=row.message_id,
        status=MailStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=as_utc(row.next_attempt_at),
        last_error=row.last_error,
        created_at=as_utc(row.created_at),
        sent_at=as_utc(row.sent_at) if row.sent_at else None,
        claim_token=row.claim_token,
    )
