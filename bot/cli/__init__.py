"""`iop-handlaggare`: the caseworker's (handläggare's) command line for the intake queue.

List, read, take and move cases along the arbetsgång, export one case as JSON/HTML/PDF, and make
the yearly follow-up report. One module per command group registers its subcommands
(`cases`, `details`, `export`, `accounts`, `erasure`, `mail`, `audit_log`, `report`, `db`);
`parser` holds the shared options and `common` the queue and the checks every command uses.
"""

from bot.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
