"""Handoffs to a person: a live chat a caseworker takes over, or a callback request.

Both land in the intake queue with the conversation so far and whatever the bot had collected,
so the caseworker never has to ask again. One open handoff per conversation: asking twice does
not make two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, text
from sqlalchemy.engine import Connection, Engine

from bot.clock import now_utc
from bot.intake_queue.cases import CaseNotFound
from bot.intake_queue.models import handoffs

if TYPE_CHECKING:
    from bot.intake_queue.unit_of_work import UnitOfWork

MAX_ID = 2**63 - 1  # the largest id the database's integer column can hold


class HandoffTaken(RuntimeError):
    """Another caseworker claimed the handoff first; the message names them (Swedish)."""


class Kind(str, Enum):
    LIVE = "live"
    CALLBACK = "callback"


class HandoffStatus(str, Enum):
    WAITING = "vantar"  # nobody has taken it yet
    ACTIVE = "pagar"  # a caseworker is chatting; the bot is paused
    CLOSED = "avslutad"

    @property
    def open(self) -> bool:
        return self is not HandoffStatus.CLOSED


class CloseReason(str, Enum):
    RESUMED = "resumed"  # the caseworker handed the conversation back to the bot
    CLOSED = "closed"  # the caseworker ended the chat, or a callback was dealt with
    CANCELLED = "cancelled"  # the user stopped waiting


@dataclass(frozen=True)
class HandoffRequest:
    """A user's request for a person: live chat or a callback, with the conversation so far and
    what the bot had collected (the callback also with how to reach the user and the question)."""

    conversation_id: str
    kind: Kind
    transcript: list[dict[str, str]]
    collected: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None
    question: str | None = None


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    kind: Kind
    status: HandoffStatus
    created_at: datetime
    claimed_by: str | None
    question: str | None
    contact: dict[str, Any]
    collected: dict[str, Any]
    transcript: list[dict[str, str]]
    closed_reason: CloseReason | None = None

    @property
    def is_live(self) -> bool:
        return self.kind is Kind.LIVE


def _from_row(row: Any) -> Handoff:
    return Handoff(
        id=row.id,
        conversation_id=row.conversation_id,
        kind=Kind(row.kind),
        status=HandoffStatus(row.status),
        created_at=row.created_at,
        claimed_by=row.claimed_by,
        question=row.question,
        contact=json.loads(row.contact),
        collected=json.loads(row.collected),
        transcript=json.loads(row.transcript),
        closed_reason=CloseReason(row.closed_reason) if row.closed_reason else None,
    )


class HandoffRepository:
    """Handoffs inside the caller's transaction; a check and the change it guards share it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def open_for(self, conversation_id: str) -> Handoff | None:
        row = self.connection.execute(
            select(handoffs)
            .where(handoffs.c.conversation_id == conversation_id)
            .where(handoffs.c.status != HandoffStatus.CLOSED.value)
            .order_by(handoffs.c.id.desc())
            .limit(1)
        ).first()
        return _from_row(row) if row is not None else None

    def add(self, request: HandoffRequest) -> Handoff:
        """Create the handoff, or return the one already open for this conversation. The look
        and the insert are one transaction; on PostgreSQL a lock on the conversation id keeps
        two requests at once from both finding none."""
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                {"key": f"iop_handoff:{request.conversation_id}"},
            )
        existing = self.open_for(request.conversation_id)
        if existing is not None:
            return existing
        moment = now_utc()
        self.connection.execute(
            handoffs.insert().values(
                conversation_id=request.conversation_id,
                kind=request.kind.value,
                status=HandoffStatus.WAITING.value,
                created_at=moment,
                updated_at=moment,
                claimed_by=None,
                question=request.question,
                contact=json.dumps(request.contact or {}, ensure_ascii=False),
                collected=json.dumps(request.collected or {}, ensure_ascii=False),
                transcript=json.dumps(request.transcript, ensure_ascii=False),
            )
        )
        created = self.open_for(request.conversation_id)
        assert created is not None
        return created

    def get(self, handoff_id: int) -> Handoff:
        if not 1 <= handoff_id <= MAX_ID:  # the database cannot even look such a number up
            raise CaseNotFound(f"Det finns ingen överlämning med nummer {handoff_id}.")
        row = self._row(handoff_id)
        if row is None:
            raise CaseNotFound(f"Det finns ingen överlämning med nummer {handoff_id}.")
        return _from_row(row)

    def waiting(self) -> list[Handoff]:
        rows = self.connection.execute(
            select(handoffs)
            .where(handoffs.c.status != HandoffStatus.CLOSED.value)
            .order_by(handoffs.c.created_at)
        ).all()
        return [_from_row(r) for r in rows]

    def recently_closed(self, limit: int) -> list[Handoff]:
        rows = self.connection.execute(
            select(handoffs)
            .where(handoffs.c.status == HandoffStatus.CLOSED.value)
            .order_by(handoffs.c.updated_at.desc())
            .limit(limit)
        ).all()
        return [_from_row(r) for r in rows]

    def claim(self, handoff_id: int, username: str) -> Handoff:
        """Take an open handoff nobody else has taken; a closed one stays closed.

        The check is part of the UPDATE itself, so of two caseworkers clicking at once exactly
        one gets the conversation.
        """
        updated = self.connection.execute(
            handoffs.update()
            .where(handoffs.c.id == handoff_id)
            .where(handoffs.c.status != HandoffStatus.CLOSED.value)
            .where(or_(handoffs.c.claimed_by.is_(None), handoffs.c.claimed_by == username))
            .values(status=HandoffStatus.ACTIVE.value, claimed_by=username, updated_at=now_utc())
        ).rowcount
        row = self._row(handoff_id)
        if updated:
            return _from_row(row)
        if row is None or row.status == HandoffStatus.CLOSED.value:
            raise CaseNotFound(f"Ingen öppen överlämning med nummer {handoff_id}.")
        raise HandoffTaken(f"{row.claimed_by} har redan tagit den här.")

    def close(self, handoff_id: int, reason: CloseReason = CloseReason.CLOSED) -> Handoff:
        """End an open handoff; closing it twice is refused, so only one side's action counts."""
        result = self.connection.execute(
            handoffs.update()
            .where(handoffs.c.id == handoff_id)
            .where(handoffs.c.status != HandoffStatus.CLOSED.value)
            .values(
                status=HandoffStatus.CLOSED.value,
                updated_at=now_utc(),
                closed_reason=reason.value,
            )
        )
        if result.rowcount == 0:
            raise CaseNotFound(f"Ingen öppen överlämning med nummer {handoff_id}.")
        return _from_row(self._row(handoff_id))

    def _row(self, handoff_id: int) -> Any:
        return self.connection.execute(select(handoffs).where(handoffs.c.id == handoff_id)).first()


def audit_subject(handoff_id: int) -> str:
    """How the audit log names a handoff."""
    return f"overlamning {handoff_id}"


CLOSE_ACTIONS = {
    CloseReason.RESUMED: "overlamning_hand_back",
    CloseReason.CLOSED: "overlamning_close",
    CloseReason.CANCELLED: "overlamning_cancel",
}


class Handoffs:
    """The handoffs for callers that hold an Engine (the gateway, the action server): each call
    is its own unit of work, and a caseworker's claim or close writes its audit line in it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _unit(self) -> UnitOfWork:
        from bot.intake_queue.unit_of_work import UnitOfWork

        return UnitOfWork(self.engine)

    def open_for(self, conversation_id: str) -> Handoff | None:
        with self._unit() as uow:
            return uow.handoffs.open_for(conversation_id)

    def request(self, request: HandoffRequest) -> Handoff:
        """Create the handoff, or return the one already open for this conversation."""
        with self._unit() as uow:
            return uow.handoffs.add(request)

    def get(self, handoff_id: int) -> Handoff:
        with self._unit() as uow:
            return uow.handoffs.get(handoff_id)

    def recent(self, limit: int = 50) -> list[Handoff]:
        """Open handoffs first (oldest first: they have waited longest), then recently closed."""
        with self._unit() as uow:
            return uow.handoffs.waiting() + uow.handoffs.recently_closed(limit)

    def waiting(self) -> list[Handoff]:
        with self._unit() as uow:
            return uow.handoffs.waiting()

    def claim(self, handoff_id: int, username: str) -> Handoff:
        """Take an open handoff; the claim and its audit line commit together."""
        with self._unit() as uow:
            claimed = uow.handoffs.claim(handoff_id, username)
            uow.audit.add(username, "overlamning_claim", audit_subject(handoff_id))
        return claimed

    def close(
        self, handoff_id: int, reason: CloseReason = CloseReason.CLOSED, actor: str | None = None
    ) -> Handoff:
        """End an open handoff. With the caseworker's `actor`, the audit line is written in the
        same transaction; without one (the user stopped waiting) there is no line."""
        with self._unit() as uow:
            closed = uow.handoffs.close(handoff_id, reason)
            if actor is not None:
                uow.audit.add(actor, CLOSE_ACTIONS[reason], audit_subject(handoff_id))
        return closed
