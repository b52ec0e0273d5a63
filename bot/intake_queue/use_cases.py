"""A caseworker's actions, each one unit of work: the change and its audit line commit together.

The console (bot/web/console/pages) and the command line (bot/cli) both come here, so an action
is audited the same way whichever way it was done, and never half: if the audit line cannot be
written the change rolls back, and a change that fails leaves no line. The case details
(case_details.py), erasures (retention.py) and handoff claims and closes (handoffs.py) are
written the same way in their own modules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from bot.clock import now_utc
from bot.intake_queue.accounts import Caseworker
from bot.intake_queue.audit import AuditLine
from bot.intake_queue.cases import Claim, normal_reference
from bot.intake_queue.statuses import Status
from bot.intake_queue.unit_of_work import UnitOfWork

T = TypeVar("T")

CLAIM = "ta_arende"
TAKE_OVER = "ta_over_arende"
CHANGE_STATUS = "andra_status"
CREATE_ACCOUNT = "skapa_konto"
BLOCK_ACCOUNT = "sparra_konto"
UNBLOCK_ACCOUNT = "oppna_konto"
ACCOUNTS_SUBJECT = "konto {username}"
REQUEUE_MAIL = "skicka_post_igen"
OUTBOX_SUBJECT = "utkorgen"


def claim_case(engine: Engine, claim: Claim) -> str:
    """Take a case (or take it over); returns its reference as stored."""
    with UnitOfWork(engine) as uow:
        stored = uow.cases.claim(claim)
        uow.audit.add(claim.actor, TAKE_OVER if claim.take_over else CLAIM, stored)
    return stored


def change_status(
    engine: Engine,
    reference: str,
    new: Status,
    actor: str,
    note: str | None,
    at: datetime | None = None,
) -> Status:
    """Move a case along the arbetsgång; returns the previous status."""
    with UnitOfWork(engine) as uow:
        previous = uow.cases.set_status(reference, new, actor, note, at)
        uow.audit.add(actor, CHANGE_STATUS, normal_reference(reference), new.value)
    return previous


def export_case(
    engine: Engine,
    reference: str,
    actor: str,
    action: str,
    deliver: Callable[[dict[str, Any]], T],
) -> T:
    """Read a case's record and hand it to `deliver` (check, render, write the file), then write
    the audit line (`action`, e.g. exportera_pdf). An export that fails leaves no line."""
    with UnitOfWork(engine) as uow:
        record = uow.cases.get(reference)
        delivered = deliver(record)
        uow.audit.add(actor, action, record["reference"])
    return delivered


def create_account(
    engine: Engine, username: str, display_name: str, password: str, actor: str
) -> Caseworker:
    """A new caseworker account, made by `actor` (the CLI's --som)."""
    with UnitOfWork(engine) as uow:
        account = uow.accounts.add(username, display_name, password)
        uow.audit.add(actor, CREATE_ACCOUNT, ACCOUNTS_SUBJECT.format(username=account.username))
    return account


def set_account_active(engine: Engine, username: str, active: bool, actor: str) -> str:
    """Unblock or block an account (blocking ends its sessions); returns the username."""
    with UnitOfWork(engine) as uow:
        stored = uow.accounts.set_active(username, active)
        action = UNBLOCK_ACCOUNT if active else BLOCK_ACCOUNT
        uow.audit.add(actor, action, ACCOUNTS_SUBJECT.format(username=stored))
    return stored


def requeue_failed_mail(engine: Engine, actor: str) -> int:
    """Put every failed e-mail back in line (the operator fixed the address or the server);
    returns how many. The line names the count, never a recipient."""
    with UnitOfWork(engine) as uow:
        count = uow.outbox.retry_failed(now_utc())
        detail = f"{count} meddelande{'' if count == 1 else 'n'}"
        uow.audit.add(actor, REQUEUE_MAIL, OUTBOX_SUBJECT, detail)
    return count


def record_action(engine: Engine, line: AuditLine) -> None:
    """An action whose only trace is its line (a login): a unit of work of one line."""
    with UnitOfWork(engine) as uow:
        uow.audit.write(line)
