"""Registration and receipt e-mail end to end: submit a case, run the sender against a real
local SMTP server (aiosmtpd on a free port), read what arrived. On SQLite and a real PostgreSQL
server: a server that is down, a sender that died mid-send, a refused address, two senders at
once, and the CLI an operator uses."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from bot.cli import main
from bot.intake_queue import outbox
from bot.intake_queue.audit import AuditRepository
from bot.intake_queue.models import audit_log
from bot.intake_queue.models import outbox as outbox_table
from bot.intake_queue.outbox import MailStatus
from bot.intake_queue.repository import IntakeQueue, now_utc
from bot.mail import messages as mail_messages
from bot.mail.sender import NotConfigured, deliver_pending
from bot.mail.settings import MailSettings
from bot.privacy import mask_personal_numbers
from bot.profile import load_profile
from bot.record import build_record
from tests.intake_fixtures import all_yes, complete_state
from tests.postgres import free_port, fresh_database

MORA = load_profile("mora")
SECRET_CONVERSATION = "c0ffee" + "5e" * 29  # a widget session id: must never be mailed
TRANSCRIPT = [
    {"at": "2026-11-24T10:00:00+00:00", "sender": "user", "text": "Hej! Vi vill lämna in"},
    {"at": "2026-11-24T10:00:01+00:00", "sender": "bot", "text": "Vad heter organisationen?"},
]
CONTACT = "Anna.Berg@gemenskapmora.se"


class Inbox:
    """An aiosmtpd handler that keeps what it accepts and refuses the addresses it is told to."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def by_recipient(self) -> dict[str, EmailMessage]:
        return {rcpt[0]: message for rcpt, message in self.received}


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def settings_for(port: int) -> MailSettings:
    return MailSettings(
        host="127.0.0.1", port=port, starttls=False, sender="IOP-lotsen <iop@mora.se>", timeout=5
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mail.db'}"
    return fresh_database(
        request.getfixturevalue("postgres_server"), f"mail_{uuid.uuid4().hex[:10]}"
    )


@pytest.fixture
def queue(url: str) -> Iterator[IntakeQueue]:
    opened = IntakeQueue.open(url)
    yield opened
    opened.engine.dispose()


def submit(queue: IntakeQueue, name: str = "Föreningen Gemenskap i Mora") -> str:
    state = complete_state(MORA, {"org_name": name})
    return queue.submit(
        state.key,
        lambda ref, at: build_record(MORA, state, all_yes(MORA), SECRET_CONVERSATION, ref, at),
        TRANSCRIPT,
    ).reference


def attachments(message: EmailMessage) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_payload(decode=True))
        for part in message.iter_attachments()
    }


def make_due(queue: IntakeQueue) -> None:
    """Skip the backoff wait, as if the time had come."""
    with queue.engine.begin() as connection:
        connection.execute(
            update(outbox_table).values(next_attempt_at=now_utc() - timedelta(seconds=1))
        )


def rows(queue: IntakeQueue) -> list[Any]:
    with queue.engine.connect() as connection:
        return connection.execute(select(outbox_table).order_by(outbox_table.c.id)).all()


# -- the happy path ------------------------------------------------------------------------------


def test_submit_mails_the_registrator_and_the_contact(queue: IntakeQueue, smtp) -> None:
    inbox, port = smtp
    reference = submit(queue)
    assert [(r.purpose, r.status) for r in rows(queue)] == [
        ("registrator", "pending"),
        ("kvittens", "pending"),
    ]

    report = deliver_pending(queue.engine, settings_for(port))
    assert len(report.sent) == 2 and not report.retrying and not report.failed
    mail = inbox.by_recipient()
    assert set(mail) == {MORA.registration.registrator_email, CONTACT}

    registration = mail[MORA.registration.registrator_email]
    assert registration["Subject"] == f"Nytt IOP-initiativ att registrera: {reference}"
    assert registration["From"] == "IOP-lotsen <iop@mora.se>"
    assert reference in registration.get_body(("plain",)).get_content()
    files = attachments(registration)
    assert set(files) == {f"{reference}.pdf", f"{reference}.json"}
    assert files[f"{reference}.pdf"][0] == "application/pdf"
    assert files[f"{reference}.pdf"][1].startswith(b"%PDF")
    mailed = json.loads(files[f"{reference}.json"][1].decode("utf-8"))
    stored = queue.get(reference)
    assert mailed == {**stored, "conversation_id": mail_messages.REDACTED_CONVERSATION}

    receipt = mail[CONTACT]
    body = receipt.get_body(("plain",)).get_content()
    assert receipt["Subject"] == f"Vi har tagit emot ditt IOP-initiativ – {reference}"
    assert receipt["Reply-To"] == MORA.kommun.contact.email
    assert list(receipt.iter_attachments()) == []
    assert body.startswith("Hej Anna Berg!")
    assert f"referensen {reference}" in body and "Mora kommun har tagit emot det" in body
    assert " ".join(MORA.next_steps.split()) in " ".join(body.split())
    assert f"Skicka handlingar till {MORA.registration.documents_email}" in body
    assert f"skriv {reference} i ämnesraden" in body
    assert MORA.kommun.contact.phone in body and MORA.kommun.contact.email in body
    assert "(saknas)" in body and "(kommer senare)" in body  # what the organisation still owes

    for rcpt, message in inbox.received:
        raw = message.as_string()
        assert SECRET_CONVERSATION not in raw, rcpt  # not in the text, not in the attachments
        text = message.get_body(("plain",)).get_content()
        assert mask_personal_numbers(text) == text  # no personal identity number to mask
    # Sent once, recorded, the attachment copy dropped, the Message-ID the one stored.
    stored_rows = rows(queue)
    assert [r.status for r in stored_rows] == ["sent", "sent"]
    assert all(r.attachment_record is None and r.sent_at for r in stored_rows)
    assert {r.message_id for r in stored_rows} == {m["Message-ID"] for _, m in inbox.received}
    assert deliver_pending(queue.engine, settings_for(port)).sent == []
    assert len(inbox.received) == 2


def test_the_mail_commits_or_rolls_back_with_the_case(
    queue: IntakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("the outbox could not be written")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        submit(queue)
    assert queue.list_cases() == [] and rows(queue) == []


def test_a_mail_text_that_fails_does_not_cost_the_initiative(
    queue: IntakeQueue, smtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp

    def broken(*_: Any) -> list[Any]:
        raise KeyError("a field this code does not know")

    monkeypatch.setattr(mail_messages, "_full_messages", broken)
    reference = submit(queue)
    assert [c.reference for c in queue.list_cases()] == [reference]
    assert len(deliver_pending(queue.engine, settings_for(port)).sent) == 2
    mail = inbox.by_recipient()
    registration = mail[MORA.registration.registrator_email]
    assert reference in registration.get_body(("plain",)).get_content()
    assert {f for f in attachments(registration)} == {f"{reference}.pdf", f"{reference}.json"}
    receipt = mail[CONTACT].get_body(("plain",)).get_content()
    assert f"referensen {reference}" in receipt and MORA.registration.documents_email in receipt


# -- when things go wrong ------------------------------------------------------------------------


def test_server_down_nothing_lost_then_delivered_once(queue: IntakeQueue) -> None:
    reference = submit(queue)
    port = free_port()  # nobody listens here yet
    report = deliver_pending(queue.engine, settings_for(port))
    assert report.sent == [] and len(report.retrying) == 2
    waiting = rows(queue)
    assert [(r.status, r.attempts) for r in waiting] == [("pending", 1), ("pending", 1)]
    assert all("Kunde inte nå e-postservern" in r.last_error for r in waiting)
    assert all(outbox._message(r).next_attempt_at > now_utc() for r in waiting)  # backoff
    # Not due yet: a second run right away leaves them alone.
    assert deliver_pending(queue.engine, settings_for(port)).retrying == []

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        make_due(queue)
        assert len(deliver_pending(queue.engine, settings_for(port)).sent) == 2
        make_due(queue)
        assert deliver_pending(queue.engine, settings_for(port)).sent == []
    finally:
        controller.stop()
    assert sorted(r[0] for r, _ in inbox.received) == sorted(
        [MORA.registration.registrator_email, CONTACT]
    )
    assert all(reference in m["Subject"] for _, m in inbox.received)
    assert [(r.status, r.attempts, r.last_error) for r in rows(queue)] == [("sent", 2, None)] * 2


def test_a_sender_that_died_mid_send_is_taken_over_with_the_same_message_id(
    queue: IntakeQueue, smtp
) -> None:
    inbox, port = smtp
    submit(queue)
    lost = outbox.claim(queue.engine)  # claimed, then the process died
    assert len(lost) == 2
    assert deliver_pending(queue.engine, settings_for(port)).sent == []  # still claimed
    with queue.engine.begin() as connection:
        connection.execute(
            update(outbox_table).values(claimed_at=now_utc() - outbox.CLAIM_TIMEOUT * 2)
        )
    assert len(deliver_pending(queue.engine, settings_for(port)).sent) == 2
    assert {m["Message-ID"] for _, m in inbox.received} == {m.message_id for m in lost}
    assert outbox.mark_sent(queue.engine, lost[0]) is False  # the old claim is void


def test_a_refused_address_is_flagged_and_can_be_retried(
    queue: IntakeQueue, smtp, url: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    inbox, port = smtp
    inbox.refuse.add(CONTACT)
    reference = submit(queue)
    report = deliver_pending(queue.engine, settings_for(port))
    assert len(report.sent) == 1 and len(report.failed) == 1
    failed = [r for r in rows(queue) if r.status == "failed"]
    assert [r.recipient for r in failed] == [CONTACT] and "550" in failed[0].last_error

    for name, value in (("IOP_SMTP_HOST", "127.0.0.1"), ("IOP_SMTP_PORT", str(port))):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("IOP_SMTP_STARTTLS", "0")
    monkeypatch.setenv("IOP_MAIL_FROM", "iop@mora.se")
    assert main(["--database", url, "post"]) == 0
    listing = capsys.readouterr().out
    assert reference in listing and "misslyckades" in listing and "550" in listing
    inbox.refuse.clear()
    assert main(["--database", url, "skicka-post", "--igen", "--som", "Bo"]) == 0
    out = capsys.readouterr().out
    assert "1 misslyckat meddelande ställdes i kö igen." in out
    assert [line[:4] for line in audit_lines(queue)] == [
        ("Bo", "skicka_post_igen", "utkorgen", "1 meddelande")
    ]
    assert f"Skickat: {reference} till {CONTACT} (kvittens)" in out
    assert sorted(r[0] for r, _ in inbox.received) == sorted(
        [MORA.registration.registrator_email, CONTACT]
    )
    assert main(["--database", url, "post"]) == 0
    assert "Utkorgen är tom" in capsys.readouterr().out


def audit_lines(queue: IntakeQueue) -> list[tuple[Any, ...]]:
    with queue.engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.subject, audit_log.c.detail)
        ).all()
    return [tuple(row) for row in rows]


def test_requeuing_failed_mail_is_not_kept_without_its_audit_line(
    queue: IntakeQueue, url: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    submit(queue)
    with queue.engine.begin() as connection:
        connection.execute(update(outbox_table).values(status=MailStatus.FAILED.value))

    def fail(*_: Any, **__: Any) -> None:
        raise OperationalError("INSERT INTO audit_log", {}, Exception("disk full"))

    monkeypatch.setattr(AuditRepository, "add", fail)
    assert main(["--database", url, "skicka-post", "--igen", "--som", "Bo"]) == 2
    assert "disk full" in capsys.readouterr().err  # the operator is told why
    assert {r.status for r in rows(queue)} == {MailStatus.FAILED.value}
    assert audit_lines(queue) == []


def test_without_a_mail_server_the_mail_waits_and_the_operator_is_told(
    queue: IntakeQueue, url: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    for name in ("IOP_SMTP_HOST", "IOP_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    reference = submit(queue)
    with pytest.raises(NotConfigured, match="IOP_SMTP_HOST saknas"):
        deliver_pending(queue.engine, MailSettings.from_environment())
    assert main(["--database", url, "skicka-post"]) == 2
    err = capsys.readouterr().err
    assert "IOP_SMTP_HOST saknas" in err and "Väntande meddelanden: 2." in err
    assert err.count("\n") == 1
    assert main(["--database", url, "post"]) == 0
    out = capsys.readouterr().out
    assert out.count(reference) == 2 and "väntar" in out
    assert "IOP_SMTP_HOST är inte satt" in out
    assert [r.status for r in rows(queue)] == ["pending", "pending"]


# -- several senders -----------------------------------------------------------------------------


def test_two_senders_at_once_send_each_message_once(queue: IntakeQueue, smtp) -> None:
    inbox, port = smtp
    references = [submit(queue, f"Förening nummer {i}") for i in range(6)]
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def sender() -> None:
        try:
            start.wait()
            while deliver_pending(queue.engine, settings_for(port), limit=2).sent:
                pass
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [m["Message-ID"] for _, m in inbox.received]
    assert len(ids) == len(set(ids)) == 12
    assert sorted(m["Subject"].rsplit(" ", 1)[-1] for _, m in inbox.received) == sorted(
        references * 2
    )
    assert {r.status for r in rows(queue)} == {MailStatus.SENT.value}


# -- the running service -------------------------------------------------------------------------


async def test_the_gateway_delivers_the_outbox_by_itself(
    queue: IntakeQueue, smtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from aiohttp.test_utils import TestServer

    from bot.web.app import create_app
    from bot.web.settings import GatewaySettings

    inbox, port = smtp
    for name, value in {
        "IOP_SMTP_HOST": "127.0.0.1",
        "IOP_SMTP_PORT": str(port),
        "IOP_SMTP_STARTTLS": "0",
        "IOP_MAIL_FROM": "iop@mora.se",
        "IOP_MAIL_INTERVAL": "0.2",
    }.items():
        monkeypatch.setenv(name, value)
    reference = submit(queue)
    settings = GatewaySettings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="t",
        database_url=str(queue.engine.url),
        allowed_origins=(),
        secure_cookies=False,
    )
    async with TestServer(create_app(settings, queue)):
        # Up to a minute on a busy machine; usually well under a second. The server has the
        # mail a moment before the gateway marks it sent, so both are waited for.
        for _ in range(600):
            if len(inbox.received) == 2 and all(r.status == "sent" for r in rows(queue)):
                break
            await asyncio.sleep(0.1)
    assert sorted(r[0] for r, _ in inbox.received) == sorted(
        [MORA.registration.registrator_email, CONTACT]
    )
    assert all(reference in m["Subject"] for _, m in inbox.received)
    assert [r.status for r in rows(queue)] == ["sent", "sent"]
