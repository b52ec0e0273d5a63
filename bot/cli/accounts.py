"""`konto skapa|lista|sparra|oppna`: the caseworkers' accounts for the console.

Creating, blocking and unblocking write an audit line naming who did it (--som), in the same
transaction as the change (use_cases.py)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from bot.cli.common import CliError, actor, open_queue
from bot.cli.parser import PROG, add_actor, command, command_group
from bot.intake_queue import accounts, use_cases


def register(commands: Any) -> None:
    """Add `konto` and its subcommands."""
    konto = command_group(commands, "konto", "handläggarkonton för konsolen", "Handläggarkonton.")
    skapa = command(konto, "skapa", "skapa ett konto", _create, "Skapa ett handläggarkonto.")
    skapa.add_argument("username", metavar="ANVÄNDARNAMN", help="t.ex. karin.andersson")
    skapa.add_argument("--namn", required=True, help="namnet som visas, t.ex. 'Karin Andersson'")
    skapa.add_argument(
        "--losenord-fran-stdin",
        action="store_true",
        help="läs lösenordet från standard in (annars frågar programmet två gånger)",
    )
    add_actor(skapa, "vem som skapar kontot")
    command(konto, "lista", "lista konton", _list, "Lista handläggarkonton.")
    sparra = command(
        konto, "sparra", "stäng av ett konto", _disable, "Stäng av ett handläggarkonto."
    )
    sparra.add_argument("username", metavar="ANVÄNDARNAMN")
    add_actor(sparra, "vem som stänger av")
    oppna = command(
        konto, "oppna", "öppna ett avstängt konto igen", _enable, "Öppna ett avstängt konto igen."
    )
    oppna.add_argument("username", metavar="ANVÄNDARNAMN")
    add_actor(oppna, "vem som öppnar")


def _create(args: argparse.Namespace) -> int:
    if args.losenord_fran_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Lösenord: ")
        if getpass.getpass("Samma lösenord igen: ") != password:
            raise CliError("Lösenorden var inte lika. Inget konto skapades.")
    name = actor(args)
    with open_queue(args) as queue:
        account = use_cases.create_account(queue.engine, args.username, args.namn, password, name)
    print(f"Kontot {account.username} ({account.display_name}) är skapat.")
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_queue(args) as queue:
        found = accounts.list_accounts(queue.engine)
    for account in found:
        state = "aktivt" if account.active else "avstängt"
        print(f"{account.username}\t{account.display_name}\t{state}")
    if not found:
        print(f"Inga konton. Skapa ett med: {PROG} konto skapa ANVÄNDARNAMN --namn NAMN")
    return 0


def _disable(args: argparse.Namespace) -> int:
    return _set_active(args, False, "är avstängt och dess inloggningar är avslutade.")


def _enable(args: argparse.Namespace) -> int:
    return _set_active(args, True, "är öppet igen. Logga in på nytt i konsolen.")


def _set_active(args: argparse.Namespace, active: bool, done: str) -> int:
    """Block or unblock an account; `done` ends the sentence "Kontot NAMN …" told after."""
    name = actor(args)
    with open_queue(args) as queue:
        use_cases.set_account_active(queue.engine, args.username, active, name)
    print(f"Kontot {args.username} {done}")
    return 0
