"""The parser's shared parts: Swedish help sections and the options many commands take.

Every command module registers its own subcommands through `command` and `command_group`, so
`--database` and `--som` are written here once and the sections are named in Swedish without
reaching into argparse's private fields.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from bot.intake_queue.statuses import Status

PROG = "iop-handlaggare"
DB_HELP = "databasens adress (standard: DATABASE_URL, annars SQLite-filen i var/)"
HELP_TEXT = "visa den här hjälpen och avsluta"

Handler = Callable[[argparse.Namespace], int]


class SwedishParser(argparse.ArgumentParser):
    """A parser whose sections are "argument" and "flaggor": argparse's own words are English.

    Positional arguments go to the first section and flags to the second; argparse's default
    sections stay empty and so are never shown.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False  # -h is added where its place in the usage line is wanted
        super().__init__(*args, **kwargs)
        self.argument_section = self.add_argument_group("argument")
        self.flag_section = self.add_argument_group("flaggor")

    def add_argument(self, *names: Any, **kwargs: Any) -> argparse.Action:
        """Add to the Swedish section that fits: a flag starts with '-', an argument does not."""
        is_flag = bool(names) and str(names[0])[:1] in self.prefix_chars
        section = self.flag_section if is_flag else self.argument_section
        return section.add_argument(*names, **kwargs)


def add_help(parser: argparse.ArgumentParser) -> None:
    """The -h flag with a Swedish help line."""
    parser.add_argument("-h", "--help", action="help", help=HELP_TEXT)


def add_database(parser: argparse.ArgumentParser, default: Any = argparse.SUPPRESS) -> None:
    """`--database`, before or after the command; SUPPRESS keeps a later one from resetting it."""
    parser.add_argument("--database", metavar="URL", default=default, help=DB_HELP)


def add_actor(parser: argparse.ArgumentParser, who: str, default: str = "användarnamnet") -> None:
    """`--som`: whose name goes into the history (see `common.actor`)."""
    parser.add_argument("--som", metavar="NAMN", help=f"{who} (standard: {default})")


def add_reference(
    parser: argparse.ArgumentParser, help_text: str | None = "ärendets referens"
) -> None:
    """REF: the case the command is about, e.g. IOP-2026-0001."""
    parser.add_argument("ref", metavar="REF", help=help_text)


def command(
    commands: Any,
    name: str,
    help_text: str,
    handler: Handler,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand that works on the database: `--database`, `-h` and its handler."""
    sub = commands.add_parser(name, help=help_text, description=description or help_text)
    add_database(sub)
    add_help(sub)
    sub.set_defaults(handler=handler)
    return sub


def command_group(commands: Any, name: str, help_text: str, description: str) -> Any:
    """A command with its own subcommands, like `db upgrade` or `konto skapa`."""
    parent = commands.add_parser(name, help=help_text, description=description)
    add_help(parent)
    return parent.add_subparsers(title="kommandon", metavar="KOMMANDO", required=True)


def statuses() -> str:
    """The status values a caseworker may type, for help and error texts."""
    return ", ".join(s.value for s in Status)
