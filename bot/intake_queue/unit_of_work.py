"""One unit of work: one Connection, one transaction, every repository on it.

The pattern is cosmicpython's (chapter 6, "Unit of Work"): a use case opens
`with UnitOfWork(engine) as uow:`, changes what it needs through `uow.cases`, `uow.handoffs`,
`uow.accounts`, `uow.sessions`, `uow.details`, `uow.outbox`, writes its line with
`uow.audit.add(...)`, and the whole lot commits when the block ends cleanly. Any exception rolls
everything back, so a change never commits without its audit line, nor the line without the
change, and a check runs in the same transaction as the change it guards.

Repositories never commit; only the unit of work does. Reading is the same: one connection, one
consistent view, rolled back at the end (nothing was changed).
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.engine import Connection, Engine, RootTransaction

from bot.intake_queue.accounts import AccountRepository
from bot.intake_queue.audit import AuditRepository
from bot.intake_queue.case_details import DetailRepository
from bot.intake_queue.cases import CaseRepository
from bot.intake_queue.console_sessions import SessionRepository
from bot.intake_queue.handoffs import HandoffRepository
from bot.intake_queue.outbox import OutboxRepository


class UnitOfWork:
    """`with UnitOfWork(engine) as uow:` – commit on a clean exit, roll back on an exception."""

    cases: CaseRepository
    handoffs: HandoffRepository
    accounts: AccountRepository
    sessions: SessionRepository
    audit: AuditRepository
    details: DetailRepository
    outbox: OutboxRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    @property
    def connection(self) -> Connection:
        """The unit's connection, for the odd query no repository has (retention's events)."""
        if self._connection is None:
            raise RuntimeError("The unit of work is not open: use it in a with block.")
        return self._connection

    def __enter__(self) -> UnitOfWork:
        if self._connection is not None:
            raise RuntimeError("A unit of work is used once; open a new one.")
        self._connection = self.engine.connect()
        try:
            self._transaction = self._connection.begin()
        except BaseException:
            self._connection.close()
            raise
        connection = self._connection
        self.cases = CaseRepository(connection)
        self.handoffs = HandoffRepository(connection)
        self.accounts = AccountRepository(connection)
        self.sessions = SessionRepository(connection)
        self.audit = AuditRepository(connection)
        self.details = DetailRepository(connection)
        self.outbox = OutboxRepository(connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._connection is not None and self._transaction is not None
        try:
            if exc_type is None:
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            self._connection.close()
