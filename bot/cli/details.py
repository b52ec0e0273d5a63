"""`yttrande`, `berorda`, `intyg-mottaget`: the caseworker's notes beside the record."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import CliError, actor, normal, open_queue, parse_date
from bot.cli.parser import add_actor, add_reference, command
from bot.intake_queue import case_details

OPINION_HELP = "spara upphandlingsenhetens yttrande (kriteriet om marknad)"
OPINION_ABOUT = (
    "Spara upphandlingsenhetens yttrande om det finns en marknad eller en "
    "konkurrenssituation (riktlinjens checklista). Ett nytt yttrande ersätter det förra."
)
BODIES_HELP = "ange vilka nämnder och bolag initiativet berör"
BODIES_ABOUT = (
    "Ange vilka nämnder och bolag initiativet berör. Listan ersätter den förra; --rensa tömmer den."
)
COPY_HELP = "notera att en undertecknad kopia av intyget om värdegrund har kommit in"


def register(commands: Any) -> None:
    """Add `yttrande`, `berorda` and `intyg-mottaget`."""
    _register_opinion(commands)
    _register_bodies(commands)
    _register_declaration_copy(commands)


def _register_opinion(commands: Any) -> None:
    yttrande = command(commands, "yttrande", OPINION_HELP, _procurement_opinion, OPINION_ABOUT)
    add_reference(yttrande)
    yttrande.add_argument("--text", required=True, metavar="TEXT", help="vad enheten svarade")
    yttrande.add_argument(
        "--lamnat-av", required=True, metavar="NAMN", help="vem som lämnade yttrandet"
    )
    yttrande.add_argument("--datum", metavar="ÅÅÅÅ-MM-DD", help="när (standard: i dag)")
    add_actor(yttrande, "vem som sparar")


def _register_bodies(commands: Any) -> None:
    berorda = command(commands, "berorda", BODIES_HELP, _concerned_bodies, BODIES_ABOUT)
    add_reference(berorda)
    berorda.add_argument(
        "namn", nargs="*", metavar="NAMN", help="t.ex. 'Socialnämnden' 'Mora Energi AB'"
    )
    berorda.add_argument("--rensa", action="store_true", help="töm listan")
    add_actor(berorda, "vem som ändrar")


def _register_declaration_copy(commands: Any) -> None:
    intyg = command(commands, "intyg-mottaget", COPY_HELP, _declaration_copy)
    add_reference(intyg)
    intyg.add_argument("--datum", metavar="ÅÅÅÅ-MM-DD", help="när den kom in (standard: i dag)")
    add_actor(intyg, "vem som noterar")


def _procurement_opinion(args: argparse.Namespace) -> int:
    given_on = parse_date(args.datum, "--datum") or case_details.today()
    with open_queue(args) as queue:
        case_details.set_procurement_opinion(
            queue.engine, args.ref, args.text, args.lamnat_av, given_on, actor(args)
        )
    print(f"{normal(args.ref)}: upphandlingsenhetens yttrande är sparat ({given_on}).")
    return 0


def _concerned_bodies(args: argparse.Namespace) -> int:
    if args.rensa == bool(args.namn):
        raise CliError("Ange nämnder och bolag, eller --rensa för att tömma listan.")
    with open_queue(args) as queue:
        bodies = case_details.set_concerned_bodies(
            queue.engine, args.ref, [] if args.rensa else args.namn, actor(args)
        )
    listed = ", ".join(bodies) if bodies else "inga"
    print(f"{normal(args.ref)}: berörda nämnder och bolag: {listed}.")
    return 0


def _declaration_copy(args: argparse.Namespace) -> int:
    received_on = parse_date(args.datum, "--datum") or case_details.today()
    name = actor(args)
    with open_queue(args) as queue:
        case_details.record_declaration_copy(queue.engine, args.ref, received_on, name)
    print(
        f"{normal(args.ref)}: undertecknad kopia av intyget mottagen {received_on} "
        f"(noterat av {name})."
    )
    return 0


def details_text(details: case_details.CaseDetails) -> str:
    """The caseworker's notes beside the record, for `visa`."""
    opinion = details.procurement_opinion
    copy = details.declaration_copy
    lines = [
        "Handläggarens uppgifter",
        "  Berörda nämnder och bolag: " + (", ".join(details.concerned_bodies) or "inte angivna"),
        "  Upphandlingsenhetens yttrande: "
        + (f"{opinion.given_on} av {opinion.given_by}" if opinion else "saknas"),
    ]
    if opinion:
        lines += [f"    {line}" for line in opinion.text.splitlines()]
    lines.append(
        "  Undertecknad kopia av intyget: "
        + (
            f"mottagen {copy.received_on} (noterat av {copy.recorded_by})"
            if copy
            else "inte mottagen"
        )
    )
    return "\n".join(lines) + "\n"
