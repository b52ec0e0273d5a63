"""`lista`, `visa`, `ta`, `status`: find, read, take and move cases along the arbetsgång.

Taking and moving a case write the audit line in the same transaction (use_cases.py)."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from typing import Any

from bot.cli.common import CliError, actor, normal, open_queue, parse_date, parse_status
from bot.cli.details import details_text
from bot.cli.parser import add_actor, add_reference, command, statuses
from bot.export.columns import align_columns
from bot.export.labels import format_date, swedish_time
from bot.export.text_export import render_text
from bot.intake_queue import case_details, use_cases
from bot.intake_queue.cases import Claim
from bot.intake_queue.repository import CaseSummary


def register(commands: Any) -> None:
    """Add `lista`, `visa`, `ta` and `status`."""
    lista = command(commands, "lista", "lista ärenden, nyaste först", _list)
    lista.add_argument("--status", metavar="STATUS", help=f"bara ärenden med status: {statuses()}")
    lista.add_argument("--fran", metavar="ÅÅÅÅ-MM-DD", help="inlämnade från och med dagen")
    lista.add_argument("--till", metavar="ÅÅÅÅ-MM-DD", help="inlämnade till och med dagen")
    lista.add_argument("--json", action="store_true", help="skriv listan som JSON")

    visa = command(commands, "visa", "visa ett ärende: uppgifter, status och historik", _show)
    add_reference(visa, "ärendets referens, t.ex. IOP-2026-0001")

    ta = command(commands, "ta", "ta ett ärende (bli dess handläggare)", _claim)
    add_reference(ta)
    add_actor(ta, "handläggarens namn", default="ditt användarnamn")
    ta.add_argument("--notering", metavar="TEXT", help="notering i historiken")
    ta.add_argument(
        "--ta-over", action="store_true", help="ta över ett ärende som någon annan handlägger"
    )

    status = command(commands, "status", "flytta ett ärende i arbetsgången", _move)
    add_reference(status)
    status.add_argument("new_status", metavar="NY_STATUS", help=f"ny status: {statuses()}")
    status.add_argument(
        "--notering", metavar="TEXT", required=True, help="varför (sparas i historiken)"
    )
    add_actor(status, "vem som flyttar")


def _list(args: argparse.Namespace) -> int:
    status = parse_status(args.status) if args.status else None
    since = parse_date(args.fran, "--fran")
    until = parse_date(args.till, "--till")
    if since and until and since > until:
        raise CliError("--fran måste vara samma dag som eller före --till.")
    with open_queue(args) as queue:
        # Ask a day wider on each side and keep the cases whose Swedish date is in range, so the
        # result never depends on how the database stores time zones.
        cases = queue.list_cases(
            status,
            since - timedelta(days=1) if since else None,
            until + timedelta(days=1) if until else None,
        )
    cases = [c for c in cases if _within(swedish_time(c.submitted_at).date(), since, until)]
    if args.json:
        print(json.dumps([_case_json(c) for c in cases], ensure_ascii=False, indent=2))
    elif cases:
        print(_case_table(cases))
        print(f"\n{len(cases)} ärende{'' if len(cases) == 1 else 'n'}.")
    else:
        print("Inga ärenden matchar urvalet." if (status or since or until) else "Inga ärenden.")
    return 0


def _case_table(cases: list[CaseSummary]) -> str:
    rows = [["Referens", "Inlämnat", "Status", "Handläggare", "Organisation"]]
    rows += [
        [
            c.reference,
            format_date(c.submitted_at),
            c.status.label,
            c.assigned_to or "–",
            c.organisation,
        ]
        for c in cases
    ]
    return align_columns(rows)


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def _case_json(case: CaseSummary) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "submitted_at": case.submitted_at.isoformat(),
        "status": case.status.value,
        "status_label": case.status.label,
        "assigned_to": case.assigned_to,
        "organisation": case.organisation,
    }


def _show(args: argparse.Namespace) -> int:
    with open_queue(args) as queue:
        record = queue.get(args.ref)
        details = case_details.get_details(queue.engine, args.ref)
    print(render_text(record), end="")
    print()
    print(details_text(details), end="")
    return 0


def _claim(args: argparse.Namespace) -> int:
    name = actor(args)
    with open_queue(args) as queue:
        claim = Claim(args.ref, name, args.notering, take_over=args.ta_over)
        use_cases.claim_case(queue.engine, claim)
    print(f"{normal(args.ref)} handläggs nu av {name}.")
    return 0


def _move(args: argparse.Namespace) -> int:
    new = parse_status(args.new_status)
    if not args.notering.strip():
        raise CliError("Skriv en notering med --notering: den sparas i historiken.")
    name = actor(args)
    with open_queue(args) as queue:
        previous = use_cases.change_status(queue.engine, args.ref, new, name, args.notering.strip())
    print(f"{normal(args.ref)}: {previous.label} → {new.label} ({name}).")
    return 0
