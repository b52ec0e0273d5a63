"""Keeping personal data no longer than needed (GDPR art. 5.1 e) and erasing it on request.

- `purge_expired`: conversations that never became an initiative are deleted once nothing has
  happened in them for the profile's retention period, and so are handoffs – live chats and
  callback requests, which hold a name and a phone number or e-mail address – untouched for as
  long, whether closed or abandoned (waiting and never taken, or taken and never closed), and
  old console sessions. Failed-login audit lines from before names were checked lose a name
  that is no account's (audit.py). A kommun schedules `iop-handlaggare gallra` (cron or a
  systemd timer).
- `erase_conversation`: one person's request, one command, for a conversation that never became
  an initiative.
- `erase_case`: a received initiative is an allmän handling (arkivlagen); it may only be gallrad
  under a decision the kommun has taken (`registration.gallring_decision` in the profile). GDPR's
  right to erasure does not reach what the kommun must keep (art. 17.3 b). Without a decision
  the erasure is refused; with one, the audit line names it ("gallrad enligt …").
Each erasure leaves an audit entry that names what was erased, by whom and why, but holds no
personal data.

Conversations live in Rasa's tracker store (table `events`, same database); an initiative's own
copy of its transcript is erased with the initiative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, delete, func, inspect, select, text
from sqlalchemy.engine import Connection, CursorResult, Engine

from bot.clock import now_utc
from bot.intake_queue.cases import CaseNotFound
from bot.intake_queue.handoffs import HandoffStatus, Kind
from bot.intake_queue.models import (
    console_sessions,
    handoffs,
    initiatives,
    outbox,
    status_history,
)
from bot.intake_queue.unit_of_work import UnitOfWork

RASA_EVENTS = "events"
RETENTION_ACTOR = "gallring"
_IDS = bindparam("ids", expanding=True)


class ErasureRefused(ValueError):
    """The erasure would break a case: the message says what to do instead (Swedish)."""


@dataclass(frozen=True)
class PurgeReport:
    conversations: int
    events: int
    handoffs: int  # all handoffs deleted: closed ones and abandoned ones
    sessions: int
    dry_run: bool
    abandoned_handoffs: int = 0  # of `handoffs`: still waiting or never closed
    callbacks: int = 0  # of `handoffs`: callback requests (name and phone number or e-mail)
    login_names_forgotten: int = 0  # failed-login audit lines that lost an unknown name


def _has_events_table(connection: Connection) -> bool:
    return RASA_EVENTS in inspect(connection).get_table_names()


def _expired_conversations(connection: Connection, cutoff: datetime) -> list[str]:
    """Conversations idle since before the cutoff that no initiative refers to."""
    if not _has_events_table(connection):
        return []
    kept = {row[0] for row in connection.execute(select(initiatives.c.conversation_id))}
    rows = connection.execute(
        text("SELECT sender_id, MAX(timestamp) AS last FROM events GROUP BY sender_id")
    ).all()
    return [r.sender_id for r in rows if r.last < cutoff.timestamp() and r.sender_id not in kept]


def purge_expired(
    engine: Engine, retention: timedelta, dry_run: bool = False, now: datetime | None = None
) -> PurgeReport:
    cutoff = (now or now_utc()) - retention
    with UnitOfWork(engine) as uow:
        connection = uow.connection
        expired = _expired_conversations(connection, cutoff)
        kept = select(initiatives.c.conversation_id)
        # Any status: a callback nobody rang back or a chat nobody closed is personal data kept
        # past its time just as much as a closed one. A case's handoffs go with the case.
        old_handoffs = (
            handoffs.c.updated_at < cutoff,
            handoffs.c.conversation_id.not_in(kept),
        )
        old_sessions = console_sessions.c.expires_at < cutoff
        events = _count_events(connection, expired)
        handoff_count, abandoned, callbacks = _count_handoffs(connection, old_handoffs)
        session_count = connection.execute(
            select(func.count()).select_from(console_sessions).where(old_sessions)
        ).scalar_one()
        forgotten = 0
        if not dry_run:
            _delete_events(connection, expired)
            connection.execute(delete(handoffs).where(*old_handoffs))
            connection.execute(delete(console_sessions).where(old_sessions))
            forgotten = uow.audit.forget_unknown_login_names()
            uow.audit.add(
                RETENTION_ACTOR,
                "gallring",
                f"äldre än {cutoff.date().isoformat()}",
                f"{len(expired)} samtal, {events} händelser, {handoff_count} överlämningar "
                f"(varav {abandoned} aldrig avslutade och {callbacks} återuppringningar), "
                f"{session_count} inloggningar raderade",
            )
    return PurgeReport(
        len(expired),
        events,
        handoff_count,
        session_count,
        dry_run,
        abandoned_handoffs=abandoned,
        callbacks=callbacks,
        login_names_forgotten=forgotten,
    )


def _count_handoffs(connection: Connection, where: tuple[Any, ...]) -> tuple[int, int, int]:
    """All, not closed, and callback requests among the handoffs `where` selects."""
    not_closed = case((handoffs.c.status != HandoffStatus.CLOSED.value, 1), else_=0)
    callback = case((handoffs.c.kind == Kind.CALLBACK.value, 1), else_=0)
    row = connection.execute(
        select(
            func.count(),
            func.coalesce(func.sum(not_closed), 0),
            func.coalesce(func.sum(callback), 0),
        )
        .select_from(handoffs)
        .where(*where)
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def erase_conversation(engine: Engine, conversation_id: str, actor: str, reason: str) -> int:
    """Erase one conversation and its handoffs; returns the number of events deleted."""
    with UnitOfWork(engine) as uow:
        connection = uow.connection
        case = connection.execute(
            select(initiatives.c.reference).where(initiatives.c.conversation_id == conversation_id)
        ).first()
        if case is not None:
            raise ErasureRefused(
                f"Samtalet hör till ärende {case.reference}. Radera ärendet i stället."
            )
        deleted = _delete_events(connection, [conversation_id])
        handoff_rows = connection.execute(
            delete(handoffs).where(handoffs.c.conversation_id == conversation_id)
        ).rowcount
        if deleted == 0 and handoff_rows == 0:
            raise CaseNotFound(f"Det finns inget sparat samtal med id {conversation_id}.")
        uow.audit.add(actor, "radera_samtal", conversation_id, reason)
    return deleted


NO_GALLRING_DECISION = (
    "Ärendet {reference} raderas inte. Ett inkommet initiativ är en allmän handling och får bara "
    "gallras enligt ett beslut om gallring som kommunen har fattat (arkivlagen), och profilen "
    "anger inget sådant beslut (registration.gallring_decision). En begäran om radering enligt "
    "GDPR gäller inte det kommunen måste bevara (artikel 17.3 b). Samtal som aldrig blev ett "
    "ärende raderar du med 'radera samtal'."
)
WRONG_DECISION = (
    "Ärendet {reference} raderas inte: ange kommunens beslut om gallring exakt som i profilen: "
    "'{decision}'."
)


def _same_decision(given: str | None, decision: str) -> bool:
    def normal(text: str) -> str:
        return " ".join(text.split()).casefold()

    return given is not None and normal(given) == normal(decision)


def erase_case(
    engine: Engine,
    reference: str,
    actor: str,
    reason: str,
    gallring_decision: str | None,
    named_decision: str | None,
) -> None:
    """Gallra an initiative with its history, mail, conversation and handoffs.

    `gallring_decision` is the profile's; `named_decision` is the one the caseworker names, so
    nobody gallrar by mistake. Refused (ErasureRefused) unless both are there and agree.
    """
    if not gallring_decision:
        raise ErasureRefused(NO_GALLRING_DECISION.format(reference=reference))
    if not _same_decision(named_decision, gallring_decision):
        raise ErasureRefused(WRONG_DECISION.format(reference=reference, decision=gallring_decision))
    with UnitOfWork(engine) as uow:
        connection = uow.connection
        row = connection.execute(
            select(initiatives.c.id, initiatives.c.conversation_id).where(
                initiatives.c.reference == reference
            )
        ).first()
        if row is None:
            raise CaseNotFound(f"Det finns inget ärende med referensen {reference}.")
        connection.execute(delete(status_history).where(status_history.c.initiative_id == row.id))
        connection.execute(delete(outbox).where(outbox.c.initiative_id == row.id))
        connection.execute(delete(initiatives).where(initiatives.c.id == row.id))
        _delete_events(connection, [row.conversation_id])
        connection.execute(
            delete(handoffs).where(handoffs.c.conversation_id == row.conversation_id)
        )
        uow.audit.add(
            actor,
            "radera_arende",
            reference,
            f"gallrad enligt {gallring_decision}; {reason}",
        )


def _count_events(connection: Connection, conversation_ids: list[str]) -> int:
    return _over_events(
        connection,
        conversation_ids,
        "SELECT COUNT(*) FROM events WHERE sender_id IN :ids",
        lambda result: result.scalar_one(),
    )


def _delete_events(connection: Connection, conversation_ids: list[str]) -> int:
    return _over_events(
        connection,
        conversation_ids,
        "DELETE FROM events WHERE sender_id IN :ids",
        lambda result: result.rowcount,
    )


def _over_events(
    connection: Connection,
    conversation_ids: list[str],
    statement: str,
    tally: Callable[[CursorResult], int],
) -> int:
    """Run `statement` on these conversations' tracker events, 500 ids at a time (SQL's limits
    on bound parameters), and sum what `tally` reads off each result. No events table: 0."""
    if not conversation_ids or not _has_events_table(connection):
        return 0
    query = text(statement).bindparams(_IDS)
    return sum(
        tally(connection.execute(query, {"ids": chunk})) for chunk in _chunks(conversation_ids)
    )


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
