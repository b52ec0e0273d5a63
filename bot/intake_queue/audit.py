"""The audit log: one line per caseworker action, erasure or retention run.

Entries name the case reference, handoff number or conversation id and the action, never the
personal data itself, so the log can be kept after what it describes has been erased.

A failed login names the account only if there is one by that name. Anything else typed as a
username – often an e-mail address, or a password in the wrong field – is not kept: the line
reads "okänt användarnamn" with a short keyed hash (HMAC with a key that lives only in this
process), so repeated tries of the same name can be told apart today, but the name itself can
never be read back or guessed from the log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from bot.clock import as_utc, now_utc
from bot.intake_queue.models import audit_log, caseworkers

FAILED_LOGIN = "inloggning_misslyckad"
UNKNOWN_USERNAME = "okänt användarnamn"
_KEY = secrets.token_bytes(32)  # never stored: the hashes cannot be reversed after a restart


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str | None


@dataclass(frozen=True)
class AuditLine:
    """A line to write with a change, in the change's own transaction."""

    actor: str
    action: str
    subject: str
    detail: str | None = None


class AuditRepository:
    """The audit log inside the caller's transaction: a line commits or rolls back with the
    change it describes."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, actor: str, action: str, subject: str, detail: str | None = None) -> None:
        """Write one entry. A failed login's actor is what the user typed: kept only if it is
        an account's name."""
        if action == FAILED_LOGIN:
            actor = failed_login_actor(self.connection, actor)
        self.connection.execute(
            audit_log.insert().values(
                at=now_utc(), actor=actor, action=action, subject=subject, detail=detail
            )
        )

    def write(self, line: AuditLine) -> None:
        self.add(line.actor, line.action, line.subject, line.detail)

    def entries(self, subject: str | None = None, limit: int = 200) -> list[AuditEntry]:
        """Newest first."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if subject is not None:
            query = query.where(audit_log.c.subject == subject)
        rows = self.connection.execute(query).all()
        return [AuditEntry(as_utc(r.at), r.actor, r.action, r.subject, r.detail) for r in rows]

    def forget_unknown_login_names(self) -> int:
        """Failed-login lines written before names were checked: those that name no account
        lose the name. Returns how many were changed."""
        accounts = select(caseworkers.c.username)
        return self.connection.execute(
            audit_log.update()
            .where(audit_log.c.action == FAILED_LOGIN)
            .where(audit_log.c.actor.not_in(accounts))
            .where(audit_log.c.actor.not_like(f"{UNKNOWN_USERNAME}%"))
            .values(actor=UNKNOWN_USERNAME)
        ).rowcount


def record(
    target: Engine | Connection, actor: str, action: str, subject: str, detail: str | None = None
) -> None:
    """Write one entry on its own, or inside a given transaction (it then commits or rolls back
    with that work). A change and its line belong in one unit of work (unit_of_work.py)."""
    if isinstance(target, Connection):
        AuditRepository(target).add(actor, action, subject, detail)
    else:
        with target.begin() as connection:
            AuditRepository(connection).add(actor, action, subject, detail)


def failed_login_actor(connection: Connection, typed: str) -> str:
    """The account's username if one is called so, else no trace of what was typed."""
    username = typed.strip().lower()
    known = connection.execute(
        select(caseworkers.c.username).where(caseworkers.c.username == username)
    ).first()
    if known is not None:
        return known.username
    digest = hmac.new(_KEY, username.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{UNKNOWN_USERNAME} {digest[:8]}"


def forget_unknown_login_names(connection: Connection) -> int:
    """See AuditRepository.forget_unknown_login_names."""
    return AuditRepository(connection).forget_unknown_login_names()


def entries(engine: Engine, subject: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first."""
    with engine.connect() as connection:
        return AuditRepository(connection).entries(subject, limit)
