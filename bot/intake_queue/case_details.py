"""What the caseworker records about a case beside the record: upphandlingsenhetens yttrande,
the nämnder and bolag concerned, and the arrival of a signed copy of the value declaration.

Kept in columns of iop_initiatives, never in the record JSON: the record is the initiative as
received (an allmän handling) and must not change afterwards. Every change writes an audit line
in the same transaction, so the log cannot disagree with the case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

from bot.clock import KOMMUN_TIME_ZONE, now_utc
from bot.intake_queue.cases import CaseRepository
from bot.intake_queue.models import initiatives

if TYPE_CHECKING:
    from bot.intake_queue.unit_of_work import UnitOfWork

OPINION_MAX = 4000
NAME_MAX = 120
BODIES_MAX = 30


class DetailError(ValueError):
    """A value the caseworker can correct; the message says how (Swedish)."""


@dataclass(frozen=True)
class ProcurementOpinion:
    text: str
    given_by: str
    given_on: date


@dataclass(frozen=True)
class DeclarationCopy:
    received_on: date
    recorded_by: str


@dataclass(frozen=True)
class CaseDetails:
    reference: str
    procurement_opinion: ProcurementOpinion | None
    concerned_bodies: tuple[str, ...]
    declaration_copy: DeclarationCopy | None


def today() -> date:
    """Today in the kommun's calendar, for dates a caseworker leaves out."""
    return now_utc().astimezone(KOMMUN_TIME_ZONE).date()


class DetailRepository:
    """The caseworker's details of a case, inside the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, reference: str) -> CaseDetails:
        row = CaseRepository(self.connection).row(reference)
        opinion = None
        if row.procurement_opinion:
            opinion = ProcurementOpinion(
                row.procurement_opinion, row.procurement_opinion_by, row.procurement_opinion_on
            )
        copy = None
        if row.declaration_copy_received_on:
            copy = DeclarationCopy(
                row.declaration_copy_received_on, row.declaration_copy_received_by
            )
        bodies = tuple(json.loads(row.concerned_bodies)) if row.concerned_bodies else ()
        return CaseDetails(row.reference, opinion, bodies, copy)

    def update(self, reference: str, **values: object) -> str:
        """Change detail columns of the case; returns its reference as stored."""
        row = CaseRepository(self.connection).row(reference)
        self.connection.execute(
            initiatives.update()
            .where(initiatives.c.id == row.id)
            .values(updated_at=now_utc(), **values)
        )
        return str(row.reference)


def _unit(engine: Engine) -> UnitOfWork:
    from bot.intake_queue.unit_of_work import UnitOfWork

    return UnitOfWork(engine)


def get_details(engine: Engine, reference: str) -> CaseDetails:
    with _unit(engine) as uow:
        return uow.details.get(reference)


def set_procurement_opinion(
    engine: Engine, reference: str, text: str, given_by: str, given_on: date, actor: str
) -> ProcurementOpinion:
    """Store (or replace) the yttrande the guideline asks for on the "marknad" criterion."""
    text, given_by = text.strip(), given_by.strip()
    if not text:
        raise DetailError("Skriv vad upphandlingsenheten svarade.")
    if len(text) > OPINION_MAX:
        raise DetailError(f"Yttrandet får vara högst {OPINION_MAX} tecken.")
    _check_name(given_by, "Vem som lämnade yttrandet")
    _check_not_future(given_on, "Datumet för yttrandet")
    _update(
        engine,
        reference,
        actor,
        "yttrande_upphandling",
        f"lämnat av {given_by} {given_on.isoformat()}",
        procurement_opinion=text,
        procurement_opinion_by=given_by,
        procurement_opinion_on=given_on,
    )
    return ProcurementOpinion(text, given_by, given_on)


def set_concerned_bodies(
    engine: Engine, reference: str, bodies: list[str], actor: str
) -> tuple[str, ...]:
    """Replace the list of nämnder and bolag concerned; an empty list clears it."""
    cleaned: list[str] = []
    for body in bodies:
        name = " ".join(body.split())
        if name and name.casefold() not in {c.casefold() for c in cleaned}:
            _check_name(name, "Varje nämnd eller bolag")
            cleaned.append(name)
    if len(cleaned) > BODIES_MAX:
        raise DetailError(f"Ange högst {BODIES_MAX} nämnder och bolag.")
    value = json.dumps(cleaned, ensure_ascii=False) if cleaned else None
    detail = "; ".join(cleaned) or "listan tömd"
    _update(engine, reference, actor, "berorda_namnder_bolag", detail, concerned_bodies=value)
    return tuple(cleaned)


def record_declaration_copy(
    engine: Engine, reference: str, received_on: date, actor: str
) -> DeclarationCopy:
    """Note that a signed paper or PDF copy of the value declaration has arrived."""
    _check_not_future(received_on, "Datumet då kopian kom in")
    _update(
        engine,
        reference,
        actor,
        "intyg_kopia_mottagen",
        f"undertecknad kopia mottagen {received_on.isoformat()}",
        declaration_copy_received_on=received_on,
        declaration_copy_received_by=actor,
    )
    return DeclarationCopy(received_on, actor)


def _update(
    engine: Engine, reference: str, actor: str, action: str, detail: str, **values: object
) -> None:
    """Change the case's details and write the audit line with it, in one transaction."""
    with _unit(engine) as uow:
        stored = uow.details.update(reference, **values)
        uow.audit.add(actor, action, stored, detail)


def _check_name(name: str, what: str) -> None:
    if not name:
        raise DetailError(f"{what} måste anges.")
    if len(name) > NAME_MAX:
        raise DetailError(f"{what} får vara högst {NAME_MAX} tecken.")


def _check_not_future(day: date, what: str) -> None:
    if day > today():
        raise DetailError(f"{what} kan inte ligga i framtiden ({day.isoformat()}).")
