"""`gallra` and `radera samtal|arende`: retention by the profile's time, and erasure on request.

An intake that became a case is a public document: it is only erased under the kommun's
decision on gallring, which the caseworker must name.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from bot.cli.common import CliError, actor, normal, open_queue
from bot.cli.parser import add_actor, add_reference, command, command_group
from bot.intake_queue import retention


def register(commands: Any) -> None:
    """Add `gallra` and `radera` with its subcommands."""
    _register_purge(commands)
    _register_erase(commands)


def _register_purge(commands: Any) -> None:
    gallra = command(
        commands,
        "gallra",
        "radera samtal som aldrig blev ett initiativ, efter profilens lagringstid",
        _purge,
        description=(
            "Radera samtal som aldrig blev ett initiativ och där inget hänt under lagringstiden "
            "(profilens retention_days), liksom överlämningar och återuppringningar som ingen rört "
            "under lagringstiden och gamla inloggningar. "
            "Körs lämpligen varje natt (cron eller systemd-timer)."
        ),
    )
    gallra.add_argument(
        "--dagar", type=int, metavar="N", help="lagringstid i dagar (standard: profilens)"
    )
    gallra.add_argument("--provkor", action="store_true", help="visa bara vad som skulle raderas")


def _register_erase(commands: Any) -> None:
    radera = command_group(
        commands,
        "radera",
        "radera ett samtal, eller gallra ett ärende enligt beslut",
        "Radera ett samtal som inte blev ett ärende, eller gallra ett ärende enligt kommunens "
        "beslut om gallring.",
    )
    samtal = command(
        radera,
        "samtal",
        "radera ett samtal (som inte blev ett ärende) med dess överlämningar",
        _erase_conversation,
    )
    samtal.add_argument("conversation_id", metavar="SAMTALS-ID")
    samtal.add_argument("--orsak", required=True, metavar="TEXT", help="varför (sparas i loggen)")
    add_actor(samtal, "vem som raderar")
    arende = command(
        radera,
        "arende",
        "gallra ett ärende enligt kommunens beslut om gallring",
        _erase_case,
        description=(
            "Gallra ett ärende med historik, e-post, samtal och överlämningar. Ett inkommet "
            "initiativ är en allmän handling: det får bara raderas enligt kommunens beslut om "
            "gallring (profilens registration.gallring_decision), som du anger med --beslut. "
            "Utan ett sådant beslut i profilen vägrar kommandot."
        ),
    )
    add_reference(arende, None)
    arende.add_argument(
        "--beslut", metavar="TEXT", help="kommunens beslut om gallring, exakt som i profilen"
    )
    arende.add_argument("--orsak", required=True, metavar="TEXT", help="varför (sparas i loggen)")
    add_actor(arende, "vem som raderar")


def _purge(args: argparse.Namespace) -> int:
    from bot.profile import active_profile

    days = args.dagar if args.dagar is not None else active_profile().retention_days
    if days < 1:
        raise CliError("--dagar måste vara minst 1.")
    with open_queue(args) as queue:
        report = retention.purge_expired(queue.engine, timedelta(days=days), dry_run=args.provkor)
    verb = "Skulle radera" if report.dry_run else "Raderade"
    print(
        f"{verb} {report.conversations} samtal ({report.events} händelser), "
        f"{report.handoffs} överlämningar (varav {report.abandoned_handoffs} aldrig avslutade "
        f"och {report.callbacks} återuppringningar) och {report.sessions} gamla inloggningar, "
        f"äldre än {days} dagar."
    )
    if report.login_names_forgotten:
        print(f"Tog bort okända användarnamn ur {report.login_names_forgotten} rader i loggen.")
    return 0


def _erase_conversation(args: argparse.Namespace) -> int:
    with open_queue(args) as queue:
        retention.erase_conversation(queue.engine, args.conversation_id, actor(args), args.orsak)
    print(f"Samtalet {args.conversation_id} är raderat. Raderingen finns i granskningsloggen.")
    return 0


def _erase_case(args: argparse.Namespace) -> int:
    from bot.profile import active_profile

    reference = normal(args.ref)
    decision = active_profile().registration.gallring_decision
    with open_queue(args) as queue:
        retention.erase_case(
            queue.engine, reference, actor(args), args.orsak, decision, args.beslut
        )
    print(
        f"Ärendet {reference} är gallrat enligt {decision}. Gallringen finns i granskningsloggen."
    )
    return 0
