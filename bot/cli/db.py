"""`db upgrade`: create or update the intake queue's tables (the only command that migrates)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import describe_url, engine_for
from bot.cli.parser import command, command_group
from bot.intake_queue import migrate


def register(commands: Any) -> None:
    """Add `db` and its subcommands."""
    db_commands = command_group(commands, "db", "databasen", "Underhåll av databasen.")
    command(
        db_commands,
        "upgrade",
        "skapa eller uppdatera tabellerna för ärendekön",
        _db_upgrade,
        description="Skapa eller uppdatera tabellerna för ärendekön (Alembic-migreringar).",
    )


def _db_upgrade(args: argparse.Namespace) -> int:
    engine = engine_for(args.database)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    print(f"Databasen {describe_url(args.database)} har nu det senaste schemat.")
    return 0
