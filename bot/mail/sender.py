"""Deliver the outbox over SMTP: claim due messages, send each, mark it sent once the server
accepted it, otherwise try again later (temporary trouble) or flag it for a person (refused).

One SMTP connection per run. Safe to run in several processes at once (the web gateway's
background task and `iop-handlaggare skicka-post`): bot/intake_queue/outbox.py hands each
message to one sender only.
"""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

from sqlalchemy.engine import Engine

from bot.intake_queue import outbox
from bot.intake_queue.outbox import OutboxMessage
from bot.mail.settings import MailSettings

log = logging.getLogger(__name__)


class NotConfigured(RuntimeError):
    """No SMTP server is set: the messages wait (Swedish message for the operator)."""


@dataclass
class DeliveryReport:
    sent: list[OutboxMessage] = field(default_factory=list)
    retrying: list[tuple[OutboxMessage, str]] = field(default_factory=list)
    failed: list[tuple[OutboxMessage, str]] = field(default_factory=list)


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as sent; the same Message-ID on every attempt."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    email.set_content(message.body)
    if message.attachment_record:
        _attach_record(email, message)
    return email


def _attach_record(email: EmailMessage, message: OutboxMessage) -> None:
    """The record as JSON (exactly as stored in the outbox) and as the diarium PDF."""
    from bot.export.pdf_export import render_pdf  # fpdf2 only when there is something to attach

    record = json.loads(message.attachment_record or "{}")
    as_json = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    email.add_attachment(
        as_json.encode("utf-8"),
        maintype="application",
        subtype="json",
        filename=f"{message.reference}.json",
    )
    email.add_attachment(
        render_pdf(record),
        maintype="application",
        subtype="pdf",
        filename=f"{message.reference}.pdf",
    )


def deliver_pending(engine: Engine, settings: MailSettings, limit: int = 20) -> DeliveryReport:
    """Send what is due now. Raises NotConfigured when IOP_SMTP_HOST is not set."""
    if not settings.configured:
        raise NotConfigured(
            "Ingen e-postserver är inställd (IOP_SMTP_HOST saknas). Meddelandena ligger kvar "
            "i utkorgen och skickas när servern är inställd."
        )
    settings.check()
    report = DeliveryReport()
    claimed = outbox.claim(engine, limit)
    if not claimed:
        return report
    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        reason = _describe(error)
        for message in claimed:
            outbox.mark_retry(engine, message, f"Kunde inte nå e-postservern: {reason}")
            report.retrying.append((message, reason))
        log.warning("Mail server %s:%s unreachable: %s", settings.host, settings.port, reason)
        return report
    try:
        for index, message in enumerate(claimed):
            if not _send_one(engine, connection, message, settings, report):
                for rest in claimed[index + 1 :]:  # the connection is gone: later, all of them
                    outbox.mark_retry(engine, rest, "Förbindelsen med e-postservern bröts.")
                    report.retrying.append((rest, "connection lost"))
                break
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return report


def _send_one(
    engine: Engine,
    connection: smtplib.SMTP,
    message: OutboxMessage,
    settings: MailSettings,
    report: DeliveryReport,
) -> bool:
    """Send one message and record the outcome; False when the connection is no longer usable."""
    try:
        connection.send_message(build_email(message, settings.sender or ""))
    except smtplib.SMTPRecipientsRefused as error:
        _refused(engine, message, report, _describe(error))
        return True
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            _refused(engine, message, report, _describe(error))
            return True
        outbox.mark_retry(
            engine, message, f"Tillfälligt fel från e-postservern: {_describe(error)}"
        )
        report.retrying.append((message, _describe(error)))
        return error.smtp_code != 421  # 421: the server is closing the connection
    except (OSError, smtplib.SMTPException) as error:
        # Disconnected mid-message: the server may or may not have it. Same Message-ID next time.
        outbox.mark_retry(engine, message, f"Osäkert om det kom fram: {_describe(error)}")
        report.retrying.append((message, _describe(error)))
        return False
    outbox.mark_sent(engine, message)
    report.sent.append(message)
    return True


def _refused(engine: Engine, message: OutboxMessage, report: DeliveryReport, reason: str) -> None:
    outbox.mark_failed(engine, message, f"E-postservern tog inte emot meddelandet: {reason}")
    report.failed.append((message, reason))
    log.warning("Mail %s (%s) refused: %s", message.id, message.purpose, reason)


def _connect(settings: MailSettings) -> smtplib.SMTP:
    connection = smtplib.SMTP(settings.host or "", settings.port, timeout=settings.timeout)
    try:
        connection.ehlo()
        if settings.starttls:
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        if settings.user:
            connection.login(settings.user, settings.password or "")
    except BaseException:
        connection.close()
        raise
    return connection


def _describe(error: BaseException) -> str:
    """One line for the operator; never the message itself."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, socket.timeout):
        return "inget svar inom tidsgränsen"
    return str(error) or type(error).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
