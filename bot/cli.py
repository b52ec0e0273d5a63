"""`iop-handlaggare`: the caseworker's (handläggare's) command line for the intake queue.

List, read, take and move cases along the arbetsgång, export one case as JSON/HTML/PDF, and make
the yearly follow-up report. Errors the caseworker can act on are one line on stderr and exit
code 2; a traceback would only hide what to do next.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)

from bot.export.columns import align_columns
from bot.export.labels import format_date, format_time, swedish_time
from bot.export.text_export import render_text
from bot.intake_queue import accounts, audit, case_details, migrate, retention
from bot.intake_queue.database import database_url, describe, make_engine
from bot.intake_queue.repository import CaseNotFound, CaseSummary, CaseTaken, IntakeQueue
from bot.intake_queue.statuses import Status, TransitionError
from bot.record import RecordError, validate_record

PROG = "iop-handlaggare"
EXIT_ERROR = 2
UPGRADE_HINT = f"Kör först: {PROG} db upgrade"
ACTOR_MAX = 120  # iop_status_history.actor is VARCHAR(120)
DB_HELP = "databasens adress (standard: DATABASE_URL, annars SQLite-filen i var/)"
FORMATS = ("json", "html", "pdf")


class CliError(Exception):
    """A problem the caseworker can fix (a typo, a missing table); shown as one line."""


# -- entry point ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (0, or 2 after a one-line message on stderr)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error argparse has already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    try:
        args.database = args.database or database_url()
        return args.handler(args)
    except (
        CaseNotFound,
        CaseTaken,
        TransitionError,
        CliError,
        accounts.AccountError,
        retention.ErasureRefused,
        case_details.DetailError,
    ) as error:
        return _fail(str(error))
    except RecordError as error:
        problems = "; ".join(line.strip(" -") for line in str(error).splitlines()[1:])
        return _fail(f"Ärendet stämmer inte med schemat: {problems or error}")
    except (OperationalError, InterfaceError) as error:  # unreachable, locked, no such file
        return _fail(f"Kan inte använda databasen {_describe(args.database)}: {_reason(error)}")
    except DBAPIError as error:
        return _fail(f"Databasfel ({_describe(args.database)}): {_reason(error)}")
    except SQLAlchemyError as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return _fail(f"Databasfel ({_describe(args.database)}): {reason}")
    except OSError as error:
        return _fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        return 130


def _reason(error: DBAPIError) -> str:
    """The driver's own first line (SQLAlchemy adds SQL and a link, not useful here)."""
    return (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_ERROR


# -- the parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    # --database works before and after the command; SUPPRESS keeps the first from being reset.
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)
    parser = argparse.ArgumentParser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
        description="Handläggarens verktyg för IOP-initiativ som kommit in via IOP-lotsen.",
        epilog=(
            "Exempel:\n"
            f"  {PROG} lista --status inkommen\n"
            f"  {PROG} ta IOP-2026-0001\n"
            f"  {PROG} status IOP-2026-0001 under_bedomning --notering 'Läser ansökan'\n"
            f"  {PROG} exportera IOP-2026-0001 --format pdf\n"
            f"  {PROG} rapport --ut rapporter/\n"
            f"  {PROG} post"
        ),
    )
    _swedish_sections(parser)
    parser.add_argument("--database", metavar="URL", default=None, help=DB_HELP)
    commands = parser.add_subparsers(title="kommandon", metavar="KOMMANDO", required=True)

    def command(
        name: str,
        help_text: str,
        handler: Callable[[argparse.Namespace], int],
        group: Any = commands,
        description: str | None = None,
    ) -> argparse.ArgumentParser:
        sub = group.add_parser(
            name,
            help=help_text,
            description=description or help_text,
            parents=[database],
            add_help=False,
        )
        _swedish_sections(sub)
        sub.set_defaults(handler=handler)
        return sub

    def command_group(name: str, help_text: str, description: str) -> Any:
        """A command with its own subcommands, like `db upgrade` or `konto skapa`."""
        parent = commands.add_parser(name, help=help_text, description=description, add_help=False)
        _swedish_sections(parent)
        return parent.add_subparsers(title="kommandon", metavar="KOMMANDO", required=True)

    db_commands = command_group("db", "databasen", "Underhåll av databasen.")
    command(
        "upgrade",
        "skapa eller uppdatera tabellerna för ärendekön",
        _db_upgrade,
        group=db_commands,
        description="Skapa eller uppdatera tabellerna för ärendekön (Alembic-migreringar).",
    )

    lista = command("lista", "lista ärenden, nyaste först", _list)
    lista.add_argument("--status", metavar="STATUS", help=f"bara ärenden med status: {_statuses()}")
    lista.add_argument("--fran", metavar="ÅÅÅÅ-MM-DD", help="inlämnade från och med dagen")
    lista.add_argument("--till", metavar="ÅÅÅÅ-MM-DD", help="inlämnade till och med dagen")
    lista.add_argument("--json", action="store_true", help="skriv listan som JSON")

    visa = command("visa", "visa ett ärende: uppgifter, status och historik", _show)
    visa.add_argument("ref", metavar="REF", help="ärendets referens, t.ex. IOP-2026-0001")

    ta = command("ta", "ta ett ärende (bli dess handläggare)", _claim)
    ta.add_argument("ref", metavar="REF", help="ärendets referens")
    ta.add_argument(
        "--som", metavar="NAMN", help="handläggarens namn (standard: ditt användarnamn)"
    )
    ta.add_argument("--notering", metavar="TEXT", help="notering i historiken")
    ta.add_argument(
        "--ta-over", action="store_true", help="ta över ett ärende som någon annan handlägger"
    )

    status = command("status", "flytta ett ärende i arbetsgången", _move)
    status.add_argument("ref", metavar="REF", help="ärendets referens")
    status.add_argument("new_status", metavar="NY_STATUS", help=f"ny status: {_statuses()}")
    status.add_argument(
        "--notering", metavar="TEXT", required=True, help="varför (sparas i historiken)"
    )
    status.add_argument("--som", metavar="NAMN", help="vem som flyttar (standard: användarnamnet)")

    yttrande = command(
        "yttrande",
        "spara upphandlingsenhetens yttrande (kriteriet om marknad)",
        _procurement_opinion,
        description=(
            "Spara upphandlingsenhetens yttrande om det finns en marknad eller en "
            "konkurrenssituation (riktlinjens checklista). Ett nytt yttrande ersätter det förra."
        ),
    )
    yttrande.add_argument("ref", metavar="REF", help="ärendets referens")
    yttrande.add_argument("--text", required=True, metavar="TEXT", help="vad enheten svarade")
    yttrande.add_argument(
        "--lamnat-av", required=True, metavar="NAMN", help="vem som lämnade yttrandet"
    )
    yttrande.add_argument("--datum", metavar="ÅÅÅÅ-MM-DD", help="när (standard: i dag)")
    yttrande.add_argument("--som", metavar="NAMN", help="vem som sparar (standard: användarnamnet)")

    berorda = command(
        "berorda",
        "ange vilka nämnder och bolag initiativet berör",
        _concerned_bodies,
        description=(
            "Ange vilka nämnder och bolag initiativet berör. Listan ersätter den förra; "
            "--rensa tömmer den."
        ),
    )
    berorda.add_argument("ref", metavar="REF", help="ärendets referens")
    berorda.add_argument(
        "namn", nargs="*", metavar="NAMN", help="t.ex. 'Socialnämnden' 'Mora Energi AB'"
    )
    berorda.add_argument("--rensa", action="store_true", help="töm listan")
    berorda.add_argument("--som", metavar="NAMN", help="vem som ändrar (standard: användarnamnet)")

    intyg = command(
        "intyg-mottaget",
        "notera att en undertecknad kopia av intyget om värdegrund har kommit in",
        _declaration_copy,
    )
    intyg.add_argument("ref", metavar="REF", help="ärendets referens")
    intyg.add_argument("--datum", metavar="ÅÅÅÅ-MM-DD", help="när den kom in (standard: i dag)")
    intyg.add_argument("--som", metavar="NAMN", help="vem som noterar (standard: användarnamnet)")

    export = command("exportera", "exportera ett ärende som JSON, HTML eller PDF", _export)
    export.add_argument("ref", metavar="REF", help="ärendets referens")
    export.add_argument("--format", choices=FORMATS, required=True, help="filformat")
    export.add_argument(
        "--ut", metavar="FIL", help="filen att skriva (standard: REF.format här; - = skärmen)"
    )

    konto_commands = command_group("konto", "handläggarkonton för konsolen", "Handläggarkonton.")
    skapa = command(
        "skapa", "skapa ett konto", _account_create, konto_commands, "Skapa ett handläggarkonto."
    )
    skapa.add_argument("username", metavar="ANVÄNDARNAMN", help="t.ex. karin.andersson")
    skapa.add_argument("--namn", required=True, help="namnet som visas, t.ex. 'Karin Andersson'")
    skapa.add_argument(
        "--losenord-fran-stdin",
        action="store_true",
        help="läs lösenordet från standard in (annars frågar programmet två gånger)",
    )
    command("lista", "lista konton", _account_list, konto_commands, "Lista handläggarkonton.")
    sparra = command(
        "sparra",
        "stäng av ett konto",
        _account_disable,
        konto_commands,
        "Stäng av ett handläggarkonto.",
    )
    sparra.add_argument("username", metavar="ANVÄNDARNAMN")

    gallra = command(
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

    radera_commands = command_group(
        "radera",
        "radera ett samtal, eller gallra ett ärende enligt beslut",
        "Radera ett samtal som inte blev ett ärende, eller gallra ett ärende enligt kommunens "
        "beslut om gallring.",
    )
    samtal = command(
        "samtal",
        "radera ett samtal (som inte blev ett ärende) med dess överlämningar",
        _erase_conversation,
        radera_commands,
    )
    samtal.add_argument("conversation_id", metavar="SAMTALS-ID")
    samtal.add_argument("--orsak", required=True, metavar="TEXT", help="varför (sparas i loggen)")
    samtal.add_argument("--som", metavar="NAMN", help="vem som raderar (standard: användarnamnet)")
    arende = command(
        "arende",
        "gallra ett ärende enligt kommunens beslut om gallring",
        _erase_case,
        radera_commands,
        description=(
            "Gallra ett ärende med historik, e-post, samtal och överlämningar. Ett inkommet "
            "initiativ är en allmän handling: det får bara raderas enligt kommunens beslut om "
            "gallring (profilens registration.gallring_decision), som du anger med --beslut. "
            "Utan ett sådant beslut i profilen vägrar kommandot."
        ),
    )
    arende.add_argument("ref", metavar="REF")
    arende.add_argument(
        "--beslut", metavar="TEXT", help="kommunens beslut om gallring, exakt som i profilen"
    )
    arende.add_argument("--orsak", required=True, metavar="TEXT", help="varför (sparas i loggen)")
    arende.add_argument("--som", metavar="NAMN", help="vem som raderar (standard: användarnamnet)")

    post = command(
        "post",
        "utkorgen: e-post som väntar eller inte gick att skicka",
        _outbox,
        description=(
            "Visa e-post till registrator och kontaktpersoner som väntar på att skickas eller "
            "som e-postservern inte tog emot, med senaste felet."
        ),
    )
    post.add_argument("--alla", action="store_true", help="visa även skickade meddelanden")
    skicka = command(
        "skicka-post",
        "skicka väntande e-post nu",
        _send_mail,
        description=(
            "Skicka väntande e-post nu via e-postservern i IOP_SMTP_HOST (webbtjänsten gör det "
            "annars själv varje minut). Meddelanden som väntar på ett nytt försök skickas när "
            "det är dags; --igen ställer de misslyckade i kö igen först."
        ),
    )
    skicka.add_argument(
        "--igen", action="store_true", help="försök igen med meddelanden som misslyckats"
    )

    logg = command("logg", "granskningsloggen: vem gjorde vad och när", _audit_log)
    logg.add_argument("--antal", type=int, default=50, metavar="N", help="hur många (standard 50)")

    report = command(
        "rapport",
        "årsuppföljning: inkomna initiativ och beslut per år",
        _report,
        description=(
            "Årsuppföljning enligt riktlinjen: initiativ räknas det år de kom in, beslut (IOP "
            "tecknas, ej aktuellt) det år beslutet togs. Ett avslutat år ändras alltså inte."
        ),
    )
    report.add_argument(
        "--ut",
        metavar="KATALOG",
        default=".",
        help="katalog för iop-rapport.csv och iop-rapport.png (standard: här)",
    )
    return parser


def _swedish_sections(parser: argparse.ArgumentParser) -> None:
    """argparse's own words are English; the caseworker's tool should speak Swedish."""
    parser._positionals.title = "argument"
    parser._optionals.title = "flaggor"
    parser.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")


def _statuses() -> str:
    return ", ".join(s.value for s in Status)


# -- commands ------------------------------------------------------------------------------------


def _db_upgrade(args: argparse.Namespace) -> int:
    engine = _engine(args.database)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    print(f"Databasen {_describe(args.database)} har nu det senaste schemat.")
    return 0


def _account_create(args: argparse.Namespace) -> int:
    if args.losenord_fran_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Lösenord: ")
        if getpass.getpass("Samma lösenord igen: ") != password:
            raise CliError("Lösenorden var inte lika. Inget konto skapades.")
    with _queue(args) as queue:
        account = accounts.create_account(queue.engine, args.username, args.namn, password)
    print(f"Kontot {account.username} ({account.display_name}) är skapat.")
    return 0


def _account_list(args: argparse.Namespace) -> int:
    with _queue(args) as queue:
        found = accounts.list_accounts(queue.engine)
    for account in found:
        state = "aktivt" if account.active else "avstängt"
        print(f"{account.username}\t{account.display_name}\t{state}")
    if not found:
        print(f"Inga konton. Skapa ett med: {PROG} konto skapa ANVÄNDARNAMN --namn NAMN")
    return 0


def _account_disable(args: argparse.Namespace) -> int:
    with _queue(args) as queue:
        accounts.set_active(queue.engine, args.username, False)
    print(f"Kontot {args.username} är avstängt och dess inloggningar är avslutade.")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from bot.profile import active_profile

    days = args.dagar if args.dagar is not None else active_profile().retention_days
    if days < 1:
        raise CliError("--dagar måste vara minst 1.")
    with _queue(args) as queue:
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
    with _queue(args) as queue:
        retention.erase_conversation(queue.engine, args.conversation_id, _actor(args), args.orsak)
    print(f"Samtalet {args.conversation_id} är raderat. Raderingen finns i granskningsloggen.")
    return 0


def _erase_case(args: argparse.Namespace) -> int:
    from bot.profile import active_profile

    reference = _normal(args.ref)
    decision = active_profile().registration.gallring_decision
    with _queue(args) as queue:
        retention.erase_case(
            queue.engine, reference, _actor(args), args.orsak, decision, args.beslut
        )
    print(
        f"Ärendet {reference} är gallrat enligt {decision}. Gallringen finns i granskningsloggen."
    )
    return 0


def _outbox(args: argparse.Namespace) -> int:
    from bot.intake_queue import outbox

    with _queue(args) as queue:
        found = outbox.messages(queue.engine, include_sent=args.alla)
    if not found:
        print("Utkorgen är tom: all e-post är skickad." if not args.alla else "Ingen e-post.")
        return 0
    rows = [["Nr", "Ärende", "Till", "Status", "Försök", "Nästa försök / skickat", "Senaste fel"]]
    for message in found:
        when = message.sent_at if message.sent_at else message.next_attempt_at
        rows.append(
            [
                str(message.id),
                message.reference,
                f"{message.recipient} ({message.purpose})",
                message.status.label,
                str(message.attempts),
                format_time(when),
                (message.last_error or "")[:80],
            ]
        )
    print(align_columns(rows))
    waiting = sum(m.status is not outbox.MailStatus.SENT for m in found)
    print(f"\n{waiting} meddelande{'' if waiting == 1 else 'n'} väntar eller har misslyckats.")
    if waiting and not _mail_settings().configured:
        print("IOP_SMTP_HOST är inte satt: inget skickas förrän e-postservern är inställd.")
    return 0


def _send_mail(args: argparse.Namespace) -> int:
    from bot.intake_queue import outbox
    from bot.mail.sender import NotConfigured, deliver_pending
    from bot.mail.settings import MailSettingsError

    settings = _mail_settings()
    with _queue(args) as queue:
        if args.igen:
            print(
                f"{outbox.retry_failed(queue.engine)} misslyckade meddelanden ställdes i kö igen."
            )
        try:
            report = deliver_pending(queue.engine, settings, limit=500)
        except (NotConfigured, MailSettingsError) as error:
            waiting = len(outbox.messages(queue.engine))
            raise CliError(f"{error} Väntande meddelanden: {waiting}.") from error
    for message in report.sent:
        print(f"Skickat: {message.reference} till {message.recipient} ({message.purpose})")
    for message, reason in report.retrying:
        print(f"Försöker igen senare: {message.reference} till {message.recipient}: {reason}")
    for message, reason in report.failed:
        print(f"Misslyckades: {message.reference} till {message.recipient}: {reason}")
    if not (report.sent or report.retrying or report.failed):
        print("Inget att skicka just nu.")
    return EXIT_ERROR if report.failed or report.retrying else 0


def _mail_settings() -> Any:
    from bot.mail.settings import MailSettings, MailSettingsError

    try:
        return MailSettings.from_environment()
    except MailSettingsError as error:
        raise CliError(str(error)) from error


def _audit_log(args: argparse.Namespace) -> int:
    with _queue(args) as queue:
        found = audit.entries(queue.engine, limit=max(1, args.antal))
    rows = [["Tid", "Vem", "Vad", "Gäller", "Detaljer"]] + [
        [format_time(e.at), e.actor, e.action, e.subject, e.detail or ""] for e in found
    ]
    print(align_columns(rows))
    return 0


def _list(args: argparse.Namespace) -> int:
    status = _parse_status(args.status) if args.status else None
    since = _parse_date(args.fran, "--fran")
    until = _parse_date(args.till, "--till")
    if since and until and since > until:
        raise CliError("--fran måste vara samma dag som eller före --till.")
    with _queue(args) as queue:
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
        print(align_columns(rows))
        print(f"\n{len(cases)} ärende{'' if len(cases) == 1 else 'n'}.")
    else:
        print("Inga ärenden matchar urvalet." if (status or since or until) else "Inga ärenden.")
    return 0


def _show(args: argparse.Namespace) -> int:
    with _queue(args) as queue:
        record = queue.get(args.ref)
        details = case_details.get_details(queue.engine, args.ref)
    print(render_text(record), end="")
    print()
    print(_details_text(details), end="")
    return 0


def _claim(args: argparse.Namespace) -> int:
    actor = _actor(args)
    with _queue(args) as queue:
        queue.claim(args.ref, actor, args.notering, take_over=args.ta_over)
        action = "ta_over_arende" if args.ta_over else "ta_arende"
        audit.record(queue.engine, actor, action, _normal(args.ref))
    print(f"{_normal(args.ref)} handläggs nu av {actor}.")
    return 0


def _move(args: argparse.Namespace) -> int:
    new = _parse_status(args.new_status)
    if not args.notering.strip():
        raise CliError("Skriv en notering med --notering: den sparas i historiken.")
    actor = _actor(args)
    with _queue(args) as queue:
        previous = queue.set_status(args.ref, new, actor, args.notering.strip())
        audit.record(queue.engine, actor, "andra_status", _normal(args.ref), new.value)
    print(f"{_normal(args.ref)}: {previous.label} → {new.label} ({actor}).")
    return 0


def _procurement_opinion(args: argparse.Namespace) -> int:
    given_on = _parse_date(args.datum, "--datum") or case_details.today()
    with _queue(args) as queue:
        case_details.set_procurement_opinion(
            queue.engine, args.ref, args.text, args.lamnat_av, given_on, _actor(args)
        )
    print(f"{_normal(args.ref)}: upphandlingsenhetens yttrande är sparat ({given_on}).")
    return 0


def _concerned_bodies(args: argparse.Namespace) -> int:
    if args.rensa == bool(args.namn):
        raise CliError("Ange nämnder och bolag, eller --rensa för att tömma listan.")
    with _queue(args) as queue:
        bodies = case_details.set_concerned_bodies(
            queue.engine, args.ref, [] if args.rensa else args.namn, _actor(args)
        )
    listed = ", ".join(bodies) if bodies else "inga"
    print(f"{_normal(args.ref)}: berörda nämnder och bolag: {listed}.")
    return 0


def _declaration_copy(args: argparse.Namespace) -> int:
    received_on = _parse_date(args.datum, "--datum") or case_details.today()
    actor = _actor(args)
    with _queue(args) as queue:
        case_details.record_declaration_copy(queue.engine, args.ref, received_on, actor)
    print(
        f"{_normal(args.ref)}: undertecknad kopia av intyget mottagen {received_on} "
        f"(noterat av {actor})."
    )
    return 0


def _details_text(details: case_details.CaseDetails) -> str:
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


def _export(args: argparse.Namespace) -> int:
    with _queue(args) as queue:
        record = queue.get(args.ref)
    # Every format, not only JSON: the file a caseworker files must match the contract.
    validate_record(record)
    content = _render(record, args.format)
    if args.ut == "-":
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return 0
    path = Path(args.ut) if args.ut else Path.cwd() / f"{record['reference']}.{args.format}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    print(f"Sparade {path}")
    return 0


def _render(record: dict[str, Any], format_: str) -> str | bytes:
    """Imported when used: fpdf2 and Jinja2 are not needed to list cases."""
    if format_ == "json":
        from bot.export.json_export import export_json

        return export_json(record)
    if format_ == "html":
        from bot.export.html_export import render_html

        return render_html(record)
    from bot.export.pdf_export import render_pdf

    return render_pdf(record)


def _report(args: argparse.Namespace) -> int:
    from bot.export.report import render_chart_png, render_table_text, write_csv, yearly_table

    with _queue(args) as queue:
        counts = queue.yearly_counts()
    directory = Path(args.ut)
    directory.mkdir(parents=True, exist_ok=True)
    rows = yearly_table(counts)
    print(render_table_text(rows))
    print("\nInitiativ räknas det år de kom in, beslut det år beslutet togs.")
    csv_path = write_csv(rows, directory / "iop-rapport.csv")
    png_path = render_chart_png(counts, directory / "iop-rapport.png")
    print(f"Sparade {csv_path} och {png_path}")
    return 0


# -- helpers -------------------------------------------------------------------------------------


def _engine(url: str) -> Engine:
    with _connection_problems(url):
        return make_engine(url)


@contextmanager
def _connection_problems(url: str) -> Iterator[None]:
    """A wrong URL or a missing driver, said in words (the URL's password hidden)."""
    try:
        yield
    except ImportError as error:
        raise CliError(
            f"Databasdrivrutinen för {_describe(url)} är inte installerad ({error.name})."
        ) from error
    except ArgumentError as error:
        raise CliError(f"Ogiltig databasadress {_describe(url)}: {error}") from error


@contextmanager
def _queue(args: argparse.Namespace) -> Iterator[IntakeQueue]:
    """The queue, once we know its tables are there and current; never migrates by itself."""
    url = args.database
    _require_sqlite_file(url)
    with _connection_problems(url):
        queue = IntakeQueue.open(url, upgrade=False)
    try:
        if not migrate.is_current(queue.engine):
            raise CliError(
                f"Databasen {_describe(url)} saknar ärendekön eller har ett äldre schema. "
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


def _describe(url: str) -> str:
    try:
        return describe(url)
    except ArgumentError:
        return "(ogiltig adress)"


def _parse_status(value: str) -> Status:
    try:
        return Status(value.strip().lower())
    except ValueError:
        raise CliError(f"Okänd status '{value}'. Välj en av: {_statuses()}.") from None


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CliError(f"Ogiltigt datum '{value}' för {option}; skriv ÅÅÅÅ-MM-DD.") from None


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


def _actor(args: argparse.Namespace) -> str:
    """The name written to the history; the column holds at most ACTOR_MAX characters."""
    actor = (args.som or "").strip() or _current_user()
    if len(actor) > ACTOR_MAX:
        raise CliError(f"Namnet i --som får vara högst {ACTOR_MAX} tecken.")
    return actor


def _current_user() -> str:
    """Who is at the keyboard, for the history: $USER, else the login name."""
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (OSError, KeyError):
        raise CliError("Kunde inte avgöra vem du är; ange ditt namn med --som NAMN.") from None


def _normal(reference: str) -> str:
    return reference.strip().upper()


if __name__ == "__main__":
    sys.exit(main())
