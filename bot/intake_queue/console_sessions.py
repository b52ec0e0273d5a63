"""Logged-in caseworkers in the web console, and whether anyone is there to take a live chat.

The cookie holds a random token; the table keeps only its SHA-256, so a copy of the database
cannot be used to log in. Each session has its own CSRF token for the console's forms. A
caseworker counts as online while the console keeps the session alive (a ping every half
minute), they have not switched live chats off and their account is not blocked.

A session ends at logout, after SESSION_LIFETIME, or when the account is blocked
(accounts.set_active). Whoever holds an open console socket is told at once through
`subscribe` (the web gateway's hub closes that caseworker's sockets); a block made elsewhere
(the CLI is another process) is noticed by the socket's own regular re-check.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection, Engine

from bot.clock import now_utc
from bot.intake_queue.audit import AuditLine
from bot.intake_queue.models import caseworkers, console_sessions

if TYPE_CHECKING:
    from bot.intake_queue.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SESSION_LIFETIME = timedelta(hours=10)  # one working day; then log in again
ONLINE_WINDOW = timedelta(seconds=90)  # three missed pings and you are offline


@dataclass(frozen=True)
class ConsoleSession:
    token: str  # only known right after start(); find() returns "" here
    csrf_token: str
    username: str
    available: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Ended:
    """Sessions that just ended: one session (`token_hash`) or all of a caseworker's."""

    token_hash: str | None = None
    username: str | None = None


Listener = Callable[[Ended], None]


def _valid(now: datetime):  # type: ignore[no-untyped-def]
    """A session that is neither ended nor expired, of an account that is not blocked."""
    active_accounts = select(caseworkers.c.username).where(caseworkers.c.active.is_(True))
    return and_(
        console_sessions.c.ended_at.is_(None),
        console_sessions.c.expires_at > now,
        console_sessions.c.username.in_(active_accounts),
    )


class SessionRepository:
    """Console sessions inside the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, username: str, available: bool = True) -> ConsoleSession:
        """A new session after a successful login."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        moment = now_utc()
        self.connection.execute(
            console_sessions.insert().values(
                token_hash=token_hash(token),
                username=username,
                csrf_token=csrf,
                available=available,
                created_at=moment,
                last_seen=moment,
                expires_at=moment + SESSION_LIFETIME,
            )
        )
        return ConsoleSession(token, csrf, username, available)

    def find(self, token: str) -> ConsoleSession | None:
        """The live session for a cookie value, or None (unknown, expired, logged out or the
        account blocked)."""
        if not token:
            return None
        row = self.connection.execute(
            select(console_sessions)
            .where(console_sessions.c.token_hash == token_hash(token))
            .where(_valid(now_utc()))
        ).first()
        if row is None:
            return None
        return ConsoleSession("", row.csrf_token, row.username, bool(row.available))

    def update(self, token: str, **values: object) -> None:
        """Change an open session (last seen, available, ended)."""
        self.connection.execute(
            console_sessions.update()
            .where(console_sessions.c.token_hash == token_hash(token))
            .where(console_sessions.c.ended_at.is_(None))
            .values(**values)
        )

    def end_all_for(self, username: str) -> None:
        """End every open session of this account."""
        self.connection.execute(
            console_sessions.update()
            .where(console_sessions.c.username == username.strip().lower())
            .where(console_sessions.c.ended_at.is_(None))
            .values(ended_at=now_utc())
        )

    def anyone_available(self, moment: datetime) -> bool:
        row = self.connection.execute(
            select(console_sessions.c.id)
            .where(_valid(moment))
            .where(console_sessions.c.available.is_(True))
            .where(console_sessions.c.last_seen >= moment - ONLINE_WINDOW)
            .limit(1)
        ).first()
        return row is not None


def _unit(engine: Engine) -> UnitOfWork:
    from bot.intake_queue.unit_of_work import UnitOfWork

    return UnitOfWork(engine)


class ConsoleSessions:
    """The sessions for the gateway, which holds an Engine and tells listeners of ends. Each
    call is one unit of work; an `audit` line given is written in it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Called (in the caller's thread) after a session or an account's sessions ended."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def start(
        self, username: str, available: bool = True, audit: AuditLine | None = None
    ) -> ConsoleSession:
        """A new session after a successful login, with the login's audit line if given."""
        with _unit(self.engine) as uow:
            session = uow.sessions.add(username, available)
            if audit is not None:
                uow.audit.write(audit)
        return session

    def find(self, token: str) -> ConsoleSession | None:
        """The live session for a cookie value, or None."""
        with _unit(self.engine) as uow:
            return uow.sessions.find(token)

    def touch(self, token: str) -> None:
        """The console is still open: keeps the caseworker online."""
        self._update(token, None, last_seen=now_utc())

    def set_available(self, token: str, available: bool, audit: AuditLine | None = None) -> None:
        self._update(token, audit, available=available, last_seen=now_utc())

    def end(self, token: str, audit: AuditLine | None = None) -> None:
        """Log out: the cookie and the open console sockets of this session stop working."""
        self._update(token, audit, ended_at=now_utc())
        self._tell(Ended(token_hash=token_hash(token)))

    def end_all_for(self, username: str) -> None:
        """A blocked account is logged out everywhere."""
        with _unit(self.engine) as uow:
            uow.sessions.end_all_for(username)
        self._tell(Ended(username=username.strip().lower()))

    def _tell(self, ended: Ended) -> None:
        for listener in list(self._listeners):
            try:
                listener(ended)
            except Exception:  # a listener's failure must not undo a logout
                log.exception("A console session listener failed")

    def _update(self, token: str, audit: AuditLine | None, **values: object) -> None:
        with _unit(self.engine) as uow:
            uow.sessions.update(token, **values)
            if audit is not None:
                uow.audit.write(audit)


def caseworkers_available(engine: Engine, now: datetime | None = None) -> bool:
    """Is someone logged in to the console (session valid, account not blocked), taking live
    chats, and seen in the last minute or so?"""
    with _unit(engine) as uow:
        return uow.sessions.anyone_available(now or now_utc())
