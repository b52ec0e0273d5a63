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
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Engine

from bot.intake_queue.models import handoffs
from bot.intake_queue.repository import CaseNotFound, now_utc

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


class Handoffs:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open_for(self, conversation_id: str) -> Handoff | None:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(handoffs)
                .where(handoffs.c.conversation_id == conversation_id)
                .where(handoffs.c.status != HandoffStatus.CLOSED.value)
                .order_by(handoffs.c.id.desc())
            ).all()
        return _from_row(rows[0]) if rows else None

    def request(
        self,
        conversation_id: str,
        kind: Kind,
        transcript: list[dict[str, str]],
        collected: dict[str, Any] | None = None,
        contact: dict[str, Any] | None = None,
        question: str | None = None,
    ) -> Handoff:
        """Create the handoff, or return the one already open for this conversation."""
        existing = self.open_for(conversation_id)
        if existing is not None:
            return existing
        moment = now_utc()
        with self.engine.begin() as connection:
            connection.execute(
                handoffs.insert().values(
                    conversation_id=conversation_id,
                    kind=kind.value,
                    status=HandoffStatus.WAITING.value,
                    created_at=moment,
                    updated_at=moment,
                    claimed_by=None,
                    question=question,
                    contact=json.dumps(contact or {}, ensure_ascii=False),
                    collected=json.dumps(collected or {}, ensure_ascii=False),
                    transcript=json.dumps(transcript, ensure_ascii=False),
                )
            )
        created = self.open_for(conversation_id)
        assert created is not None
        return created

    def get(self, handoff_id: int) -> Handoff:
        if not 1 <= handoff_id <= MAX_ID:  # the database cannot even look such a number up
            raise CaseNotFound(f"Det finns ingen överlämning med nummer {handoff_id}.")
        with self.engine.connect() as connection:
            row = connection.execute(select(handoffs).where(handoffs.c.id == handoff_id)).first()
        if row is None:
            raise CaseNotFound(f"Det finns ingen överlämning med nummer {handoff_id}.")
        return _from_row(row)

    def recent(self, limit: int = 50) -> list[Handoff]:
        """Open handoffs first (oldest first: they have waited longest), then recently closed."""
        open_ones = self.waiting()
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(handoffs)
                .where(handoffs.c.status == HandoffStatus.CLOSED.value)
                .order_by(handoffs.c.updated_at.desc())
                .limit(limit)
            ).all()
        return open_ones + [_from_row(r) for r in rows]

    def waiting(self) -> list[Handoff]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(handoffs)
                .where(handoffs.c.status != HandoffStatus.CLOSED.value)
                .order_by(handoffs.c.created_at)
            ).all()
        return [_from_row(r) for r in rows]

    def claim(self, handoff_id: int, username: str) -> Handoff:
        """Take an open handoff nobody else has taken; a closed one stays closed.

        The check is part of the UPDATE itself, so of two caseworkers clicking at once exactly
        one gets the conversation.
        """
        query = (
            handoffs.update()
            .where(handoffs.c.id == handoff_id)
            .where(handoffs.c.status != HandoffStatus.CLOSED.value)
            .where(or_(handoffs.c.claimed_by.is_(None), handoffs.c.claimed_by == username))
            .values(status=HandoffStatus.ACTIVE.value, claimed_by=username, updated_at=now_utc())
        )
        with self.engine.begin() as connection:
            updated = connection.execute(query).rowcount
            row = connection.execute(select(handoffs).where(handoffs.c.id == handoff_id)).first()
        if updated:
            return _from_row(row)
        if row is None or row.status == HandoffStatus.CLOSED.value:
            raise CaseNotFound(f"Ingen öppen överlämning med nummer {handoff_id}.")
        raise HandoffTaken(f"{row.claimed_by} har redan tagit den här.")

    def close(self, handoff_id: int, reason: CloseReason = CloseReason.CLOSED) -> Handoff:
        """End an open handoff; closing it twice is refused, so only one side's action counts."""
        return self._set(
            handoff_id, HandoffStatus.CLOSED, only_open=True, closed_reason=reason.value
        )

    def _set(
        self, handoff_id: int, status: HandoffStatus, only_open: bool = False, **values: Any
    ) -> Handoff:
        query = handoffs.update().where(handoffs.c.id == handoff_id)
        if only_open:
            query = query.where(handoffs.c.status != HandoffStatus.CLOSED.value)
        with self.engine.begin() as connection:
            result = connection.execute(
                query.values(status=status.value, updated_at=now_utc(), **values)
            )
            if result.rowcount == 0:
                raise CaseNotFound(f"Ingen öppen överlämning med nummer {handoff_id}.")
            row = connection.execute(select(handoffs).where(handoffs.c.id == handoff_id)).first()
        return _from_row(row)
