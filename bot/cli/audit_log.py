"""`logg`: the audit log, who did what and when."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import open_queue
from bot.cli.parser import command
from bot.export.columns import align_columns
from bot.export.labels import format_time
from bot.intake_queue import audit


def register(commands: Any) -> None:
    """Add `logg`."""
    logg = command(commands, "logg", "granskningsloggen: vem gjorde vad och när", _audit_log)
    logg.add_argument("--antal", type=int, default=50, metavar="N", help="hur många (standard 50)")


def _audit_log(args: argparse.Namespace) -> int:
    with open_queue(args) as queue:
        found = audit.entries(queue.engine, limit=max(1, args.antal))
    rows = [["Tid", "Vem", "Vad", "Gäller", "Detaljer"]] + [
        [format_time(e.at), e.actor, e.action, e.subject, e.detail or ""] for e in found
    ]
    print(align_columns(rows))
    return 0
