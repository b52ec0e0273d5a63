"""The entry point: build the parser from the command modules, run one command, say errors.

Errors the caseworker can act on are one line on stderr and exit code 2; a traceback would only
hide what to do next.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from bot.cli import accounts, audit_log, cases, db, details, erasure, export, mail, report
from bot.cli.common import EXIT_ERROR, CliError, describe_url
from bot.cli.parser import PROG, SwedishParser, add_database, add_help
from bot.intake_queue import accounts as account_store
from bot.intake_queue import case_details, retention
from bot.intake_queue.database import database_url
from bot.intake_queue.repository import CaseNotFound, CaseTaken
from bot.intake_queue.statuses import TransitionError
from bot.record import RecordError

# In the order `--help` lists them.
COMMAND_MODULES = (db, cases, details, export, accounts, erasure, mail, audit_log, report)

EPILOG = (
    "Exempel:\n"
    f"  {PROG} lista --status inkommen\n"
    f"  {PROG} ta IOP-2026-0001\n"
    f"  {PROG} status IOP-2026-0001 under_bedomning --notering 'Läser ansökan'\n"
    f"  {PROG} exportera IOP-2026-0001 --format pdf\n"
    f"  {PROG} rapport --ut rapporter/\n"
    f"  {PROG} post"
)

# Problems whose message already says what to do.
PLAIN_ERRORS = (
    CaseNotFound,
    CaseTaken,
    TransitionError,
    CliError,
    account_store.AccountError,
    retention.ErasureRefused,
    case_details.DetailError,
)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (0, or 2 after a one-line message on stderr)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error argparse has already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    try:
        args.database = args.database or database_url()
        return args.handler(args)
    except PLAIN_ERRORS as error:
        return _fail(str(error))
    except RecordError as error:
        problems = "; ".join(line.strip(" -") for line in str(error).splitlines()[1:])
        return _fail(f"Ärendet stämmer inte med schemat: {problems or error}")
    except (OperationalError, InterfaceError) as error:  # unreachable, locked, no such file
        return _fail(f"Kan inte använda databasen {describe_url(args.database)}: {_reason(error)}")
    except DBAPIError as error:
        return _fail(f"Databasfel ({describe_url(args.database)}): {_reason(error)}")
    except SQLAlchemyError as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return _fail(f"Databasfel ({describe_url(args.database)}): {reason}")
    except OSError as error:
        return _fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; each command module adds its own subcommands."""
    parser = SwedishParser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Handläggarens verktyg för IOP-initiativ som kommit in via IOP-lotsen.",
        epilog=EPILOG,
    )
    add_help(parser)
    add_database(parser, default=None)
    commands = parser.add_subparsers(title="kommandon", metavar="KOMMANDO", required=True)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def _reason(error: DBAPIError) -> str:
    """The driver's own first line (SQLAlchemy adds SQL and a link, not useful here)."""
    return (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_ERROR
