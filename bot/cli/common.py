"""What every command needs: the queue (checked, never migrated), parsed values and who acts.

Problems the caseworker can fix are raised as `CliError` and shown as one line by `main`.
"""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from bot.cli.parser import PROG, statuses
from bot.intake_queue import migrate
from bot.intake_queue.database import describe, make_engine
from bot.intake_queue.repository import IntakeQueue
from bot.intake_queue.statuses import Status

EXIT_ERROR = 2
UPGRADE_HINT = f"Kör först: {PROG} db upgrade"
ACTOR_MAX = 120  # iop_status_history.actor is VARCHAR(120)


class CliError(Exception):
    """A problem the caseworker can fix (a typo, a missing table); shown as one line."""


def engine_for(url: str) -> Engine:
    """An engine for `db upgrade`, with a wrong URL or missing driver said in words."""
    with connection_problems(url):
        return make_engine(url)


@contextmanager
def connection_problems(url: str) -> Iterator[None]:
    """A wrong URL or a missing driver, said in words (the URL's password hidden)."""
    try:
        yield
    except ImportError as error:
        raise CliError(
            f"Databasdrivrutinen för {describe_url(url)} är inte installerad ({error.name})."
        ) from error
    except ArgumentError as error:
        raise CliError(f"Ogiltig databasadress {describe_url(url)}: {error}") from error


@contextmanager
def open_queue(args: argparse.Namespace) -> Iterator[IntakeQueue]:
    """The queue, once we know its tables are there and current; never migrates by itself."""
    url = args.database
    _require_sqlite_file(url)
    with connection_problems(url):
        queue = IntakeQueue.open(url, upgrade=False)
    try:
        if not migrate.is_current(queue.engine):
            raise CliError(
                f"Databasen {describe_url(url)} saknar ärendekön eller har ett äldre schema. "
                + UPGRADE_HINT
            )
        yield queue
    finally:
        queue.engine.dispose()


def _require_sqlite_file(url: str) -> None:
    """SQLite would create an empty file on connect; say what is wrong instead."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        # Not echoed: a malformed URL may still hold a password.
        raise CliError(
            "Ogiltig databasadress; kontrollera DATABASE_URL eller --database."
        ) from error
    path = parsed.database
    local_file = parsed.get_backend_name() == "sqlite" and path and path != ":memory:"
    if local_file and not Path(path).exists():
        raise CliError(f"Databasfilen {path} finns inte. {UPGRADE_HINT}")


def describe_url(url: str) -> str:
    """The database's address without its password, or a word that it is malformed."""
    try:
        return describe(url)
    except ArgumentError:
        return "(ogiltig adress)"


def parse_status(value: str) -> Status:
    """The status the caseworker typed, in any case, or a list of the valid ones."""
    try:
        return Status(value.strip().lower())
    except ValueError:
        raise CliError(f"Okänd status '{value}'. Välj en av: {statuses()}.") from None


def parse_date(value: str | None, option: str) -> date | None:
    """An ÅÅÅÅ-MM-DD date from `option`, or None when it was not given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CliError(f"Ogiltigt datum '{value}' för {option}; skriv ÅÅÅÅ-MM-DD.") from None


def actor(args: argparse.Namespace) -> str:
    """The name written to the history; the column holds at most ACTOR_MAX characters."""
    name = (args.som or "").strip() or _current_user()
    if len(name) > ACTOR_MAX:
        raise CliError(f"Namnet i --som får vara högst {ACTOR_MAX} tecken.")
    return name


def _current_user() -> str:
    """Who is at the keyboard, for the history: $USER, else the login name."""
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (OSError, KeyError):
        raise CliError("Kunde inte avgöra vem du är; ange ditt namn med --som NAMN.") from None


def normal(reference: str) -> str:
    """A case reference as stored: IOP-2026-0001, whatever the caseworker typed."""
    return reference.strip().upper()
