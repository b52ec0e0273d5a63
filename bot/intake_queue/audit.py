"""The audit log: one line per caseworker action, erasure or retention run.

Entries name the case reference, handoff number or conversation id and the action, never the
personal data itself, so the log can be kept after what it describes has been erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from bot.intake_queue.models import audit_log
from bot.intake_queue.repository import _aware, now_utc


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str | None


def record(
    target: Engine | Connection, actor: str, action: str, subject: str, detail: str | None = None
) -> None:
    """Write one entry; inside a given transaction it commits or rolls back with that work."""
    statement = audit_log.insert().values(
        at=now_utc(), actor=actor, action=action, subject=subject, detail=detail
    )
    if isinstance(target, Connection):
        target.execute(statement)
    else:
        with target.begin() as connection:
            connection.execute(statement)


def entries(engine: Engine, subject: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [AuditEntry(_aware(r.at), r.actor, r.action, r.subject, r.detail) for r in rows]
