"""`post` and `skicka-post`: the outbox of e-mail to the registrator and contact persons."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import EXIT_ERROR, CliError, actor, open_queue
from bot.cli.parser import add_actor, command
from bot.export.columns import align_columns
from bot.export.labels import format_time
from bot.intake_queue import use_cases


def register(commands: Any) -> None:
    """Add `post` and `skicka-post`."""
    post = command(
        commands,
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
        commands,
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
    add_actor(skicka, "vem som ställer misslyckade meddelanden i kö igen (med --igen)")


def _outbox(args: argparse.Namespace) -> int:
    from bot.intake_queue import outbox

    with open_queue(args) as queue:
        found = outbox.messages(queue.engine, include_sent=args.alla)
    if not found:
        print("Utkorgen är tom: all e-post är skickad." if not args.alla else "Ingen e-post.")
        return 0
    print(_outbox_table(found))
    waiting = sum(m.status is not outbox.MailStatus.SENT for m in found)
    print(f"\n{waiting} meddelande{'' if waiting == 1 else 'n'} väntar eller har misslyckats.")
    if waiting and not _mail_settings().configured:
        print("IOP_SMTP_HOST är inte satt: inget skickas förrän e-postservern är inställd.")
    return 0


def _outbox_table(found: list[Any]) -> str:
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
    return align_columns(rows)


def _send_mail(args: argparse.Namespace) -> int:
    from bot.intake_queue import outbox
    from bot.mail.sender import NotConfigured, deliver_pending
    from bot.mail.settings import MailSettingsError

    settings = _mail_settings()
    with open_queue(args) as queue:
        if args.igen:
            count = use_cases.requeue_failed_mail(queue.engine, actor(args))
            print(
                "1 misslyckat meddelande ställdes i kö igen."
                if count == 1
                else f"{count} misslyckade meddelanden ställdes i kö igen."
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
