"""Caseworker accounts and handoffs in the intake queue, on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import uuid

import pytest

from bot.intake_queue.accounts import (
    AccountError,
    authenticate,
    create_account,
    hash_password,
    list_accounts,
    set_active,
    verify_password,
)
from bot.intake_queue.handoffs import Handoffs, HandoffStatus, Kind
from bot.intake_queue.repository import CaseNotFound, IntakeQueue
from tests.postgres import fresh_database

PASSWORD = "rätt häst batteri häftklammer"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'q.db'}"
    else:
        url = fresh_database(
            request.getfixturevalue("postgres_server"), f"acc_{uuid.uuid4().hex[:10]}"
        )
    queue = IntakeQueue.open(url)
    yield queue.engine
    queue.engine.dispose()


def test_passwords_are_salted_scrypt_hashes_that_verify_only_the_right_password():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$")
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first)
    assert not verify_password(PASSWORD + "x", first)
    assert not verify_password(PASSWORD, "inte-en-hash")


def test_an_account_logs_in_with_its_password_only(engine):
    create_account(engine, "Karin.A", "Karin Andersson", PASSWORD)
    assert authenticate(engine, "karin.a", PASSWORD).display_name == "Karin Andersson"
    assert authenticate(engine, "karin.a", "fel lösenord här") is None
    assert authenticate(engine, "okänd", PASSWORD) is None
    set_active(engine, "karin.a", False)
    assert authenticate(engine, "karin.a", PASSWORD) is None
    assert [a.username for a in list_accounts(engine)] == ["karin.a"]


def test_bad_accounts_are_refused_with_a_reason(engine):
    with pytest.raises(AccountError, match="minst 12"):
        create_account(engine, "karin", "Karin", "kort")
    with pytest.raises(AccountError, match="Användarnamnet"):
        create_account(engine, "Karin Andersson!", "Karin", PASSWORD)
    create_account(engine, "karin", "Karin", PASSWORD)
    with pytest.raises(AccountError, match="redan"):
        create_account(engine, "karin", "Karin igen", PASSWORD)


def test_one_open_handoff_per_conversation_with_its_transcript_and_data(engine):
    desk = Handoffs(engine)
    transcript = [{"at": "2026-11-24T10:00:00+00:00", "sender": "user", "text": "En människa?"}]
    first = desk.request("conv-1", Kind.LIVE, transcript, collected={"org_name": "Mora IK"})
    again = desk.request("conv-1", Kind.LIVE, transcript)
    assert again.id == first.id
    assert first.status is HandoffStatus.WAITING
    assert first.collected == {"org_name": "Mora IK"}
    assert first.transcript == transcript
    taken = desk.claim(first.id, "karin")
    assert (taken.status, taken.claimed_by) == (HandoffStatus.ACTIVE, "karin")
    desk.close(first.id)
    assert desk.open_for("conv-1") is None
    with pytest.raises(CaseNotFound):
        desk.claim(first.id, "karin")
    assert desk.request("conv-1", Kind.LIVE, transcript).id != first.id  # a new request later


def test_a_callback_request_keeps_contact_and_question(engine):
    desk = Handoffs(engine)
    contact = {"name": "Anna Berg", "email": "anna@exempel.se", "phone": "+46701234567"}
    handoff = desk.request("conv-2", Kind.CALLBACK, [], contact=contact, question="Hur lång tid?")
    assert [h.id for h in desk.waiting()] == [handoff.id]
    assert desk.waiting()[0].contact == contact
    assert desk.waiting()[0].question == "Hur lång tid?"
