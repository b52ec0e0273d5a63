"""The e-mail an initiative sets off, and the SMTP settings, without a database or a server
(end to end: tests/integration/test_outbox_mail.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.intake_queue.outbox import MailStatus, OutboxMessage
from bot.mail.messages import REDACTED_CONVERSATION, submission_messages
from bot.mail.sender import build_email
from bot.mail.settings import MailSettings, MailSettingsError
from bot.profile import load_profile
from tests.intake_fixtures import record_for

MORA = load_profile("mora")
CONVERSATION = "f" * 64


def stored_record() -> dict:
    record = record_for(
        MORA, conversation_id=CONVERSATION, submitted_at="2026-12-31T23:30:00+00:00"
    )
    return {
        **record,
        "status": "inkommen",
        "assigned_to": None,
        "status_history": [],
        "transcript": [],
    }


def test_registrator_and_receipt_say_what_they_should() -> None:
    registration, receipt = submission_messages(stored_record(), MORA)
    assert (registration.purpose, registration.recipient) == ("registrator", "kommun@mora.se")
    assert registration.attachment_record and receipt.attachment_record is None
    assert CONVERSATION not in registration.attachment_record
    assert REDACTED_CONVERSATION in registration.attachment_record
    assert receipt.recipient == "Anna.Berg@gemenskapmora.se"
    assert receipt.reply_to == MORA.kommun.contact.email
    # 23:30 UTC on New Year's Eve is New Year's Day in Mora.
    assert "tagit emot det den 1 januari 2027" in receipt.body
    assert "du" in receipt.body.split() and "IOP-2026-0001" in receipt.subject
    for message in (registration, receipt):
        assert CONVERSATION not in message.body and CONVERSATION not in message.subject


def test_a_personal_number_in_a_name_is_masked() -> None:
    record = stored_record()
    record["contact"] = {**record["contact"], "name": "Anna Berg 19850312-1234"}
    _, receipt = submission_messages(record, MORA)
    assert "19850312-1234" not in receipt.body and "ÅÅMMDD-XXXX" in receipt.body


def test_the_email_carries_the_stored_message_id() -> None:
    message = OutboxMessage(
        id=1,
        reference="IOP-2026-0001",
        purpose="kvittens",
        recipient="anna@example.se",
        reply_to="kommun@mora.se",
        subject="Vi har tagit emot ditt IOP-initiativ – IOP-2026-0001",
        body="Hej Anna!",
        attachment_record=None,
        message_id="<1.IOP-2026-0001@mora.se>",
        status=MailStatus.SENDING,
        attempts=1,
        next_attempt_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        last_error=None,
        created_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        sent_at=None,
    )
    email = build_email(message, "IOP-lotsen <iop@mora.se>")
    assert email["Message-ID"] == "<1.IOP-2026-0001@mora.se>"
    assert email["Reply-To"] == "kommun@mora.se" and email["Auto-Submitted"] == "auto-generated"
    assert email.get_content().strip() == "Hej Anna!"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("IOP_SMTP_HOST", "IOP_SMTP_PORT", "IOP_SMTP_USER", "IOP_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("IOP_SMTP_STARTTLS", raising=False)
    monkeypatch.delenv("IOP_MAIL_FROM", raising=False)
    unset = MailSettings.from_environment()
    assert not unset.configured and unset.port == 587 and unset.starttls
    unset.check()  # nothing to check: the mail waits

    monkeypatch.setenv("IOP_SMTP_HOST", "smtp.mora.se")
    monkeypatch.setenv("IOP_SMTP_PORT", "25")
    monkeypatch.setenv("IOP_SMTP_STARTTLS", "0")
    settings = MailSettings.from_environment()
    assert (settings.host, settings.port, settings.starttls) == ("smtp.mora.se", 25, False)
    with pytest.raises(MailSettingsError, match="IOP_MAIL_FROM"):
        settings.check()
    monkeypatch.setenv("IOP_MAIL_FROM", "iop@mora.se")
    monkeypatch.setenv("IOP_SMTP_USER", "iop")
    with pytest.raises(MailSettingsError, match="IOP_SMTP_PASSWORD"):
        MailSettings.from_environment().check()
    monkeypatch.setenv("IOP_SMTP_PORT", "tjugofem")
    with pytest.raises(MailSettingsError, match="måste vara ett tal"):
        MailSettings.from_environment()


def test_the_registrator_reads_the_self_assessment_and_what_to_look_at_first() -> None:
    from bot.assessment import Answer
    from tests.intake_fixtures import all_yes

    failed = MORA.criteria[4:7]
    answers = {**all_yes(MORA), **dict.fromkeys((c.id for c in failed), Answer.NO)}
    record = {**stored_record(), **{"checklist": record_for(MORA, answers=answers)["checklist"]}}
    registration, _ = submission_messages(record, MORA)
    assert "Organisationens första bedömning (checklistan): Passar inte" in registration.body
    assert "Titta först på:" in registration.body
    for criterion in failed:
        assert " ".join(criterion.statement.split()[:4]) in registration.body
