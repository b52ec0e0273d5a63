"""Caseworker accounts and handoffs in the intake queue, on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.intake_queue.accounts import (
    AccountError,
    authenticate,
    create_account,
    hash_password,
    list_accounts,
    set_active,
    verify_password,
)
from bot.intake_queue.console_sessions import (
    ONLINE_WINDOW,
    SESSION_LIFETIME,
    ConsoleSessions,
    caseworkers_available,
    token_hash,
)
from bot.intake_queue.handoffs import (
    CloseReason,
    HandoffRequest,
    Handoffs,
    HandoffStatus,
    HandoffTaken,
    Kind,
)
from bot.intake_queue.models import console_sessions
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
    first = desk.request(
        HandoffRequest("conv-1", Kind.LIVE, transcript, collected={"org_name": "Mora IK"})
    )
    again = desk.request(HandoffRequest("conv-1", Kind.LIVE, transcript))
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
    assert (
        desk.request(HandoffRequest("conv-1", Kind.LIVE, transcript)).id != first.id
    )  # a new request later


def test_of_two_caseworkers_claiming_at_once_exactly_one_gets_the_conversation(engine):
    from concurrent.futures import ThreadPoolExecutor

    desk = Handoffs(engine)
    handoff = desk.request(HandoffRequest("conv-race", Kind.LIVE, []))

    def claim(username: str) -> str:
        try:
            return desk.claim(handoff.id, username).claimed_by or ""
        except HandoffTaken as taken:
            return f"refused: {taken}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(claim, ["karin", "bo"]))
    winners = [r for r in results if not r.startswith("refused")]
    assert len(winners) == 1
    winner = winners[0]
    assert desk.get(handoff.id).claimed_by == winner
    loser = "bo" if winner == "karin" else "karin"
    with pytest.raises(HandoffTaken, match=f"{winner} har redan tagit"):
        desk.claim(handoff.id, loser)  # later, too: the database refuses, not only the console
    assert desk.claim(handoff.id, winner).claimed_by == winner  # taking it again is fine


def test_a_callback_request_keeps_contact_and_question(engine):
    desk = Handoffs(engine)
    contact = {"name": "Anna Berg", "email": "anna@exempel.se", "phone": "+46701234567"}
    handoff = desk.request(
        HandoffRequest("conv-2", Kind.CALLBACK, [], contact=contact, question="Hur lång tid?")
    )
    assert [h.id for h in desk.waiting()] == [handoff.id]
    assert desk.waiting()[0].contact == contact
    assert desk.waiting()[0].question == "Hur lång tid?"


def test_close_records_why_and_only_once(engine):
    desk = Handoffs(engine)
    handoff = desk.request(HandoffRequest("conv-3", Kind.LIVE, []))
    closed = desk.close(handoff.id, CloseReason.RESUMED)
    assert (closed.status, closed.closed_reason) == (HandoffStatus.CLOSED, CloseReason.RESUMED)
    with pytest.raises(CaseNotFound):
        desk.close(handoff.id, CloseReason.CLOSED)  # the second click changes nothing
    assert desk.get(handoff.id).closed_reason is CloseReason.RESUMED
    assert [h.id for h in desk.recent()] == [handoff.id]


def test_console_sessions_store_only_a_hash_and_end_at_logout(engine):
    create_account(engine, "karin", "Karin", PASSWORD)
    sessions = ConsoleSessions(engine)
    session = sessions.start("karin")
    with engine.connect() as connection:
        stored = connection.execute(select(console_sessions.c.token_hash)).scalar_one()
    assert stored == token_hash(session.token) and session.token not in stored
    found = sessions.find(session.token)
    assert found is not None and found.csrf_token == session.csrf_token
    assert sessions.find("not-a-token") is None and sessions.find("") is None
    sessions.end(session.token)
    assert sessions.find(session.token) is None


def test_a_caseworker_is_online_while_pinging_and_taking_chats(engine):
    create_account(engine, "karin", "Karin", PASSWORD)
    sessions = ConsoleSessions(engine)
    assert not caseworkers_available(engine)
    session = sessions.start("karin")
    now = datetime.now(timezone.utc)
    assert caseworkers_available(engine, now)
    assert not caseworkers_available(engine, now + ONLINE_WINDOW + timedelta(seconds=5))
    sessions.set_available(session.token, False)
    assert not caseworkers_available(engine)
    sessions.set_available(session.token, True)
    assert caseworkers_available(engine)
    sessions.end_all_for("karin")
    assert not caseworkers_available(engine)


def test_sessions_expire(engine):
    create_account(engine, "karin", "Karin", PASSWORD)
    session = ConsoleSessions(engine).start("karin")
    later = datetime.now(timezone.utc) + SESSION_LIFETIME + timedelta(minutes=1)
    assert not caseworkers_available(engine, later)
    with engine.begin() as connection:
        expired = datetime.now(timezone.utc) - timedelta(seconds=2)
        connection.execute(console_sessions.update().values(expires_at=expired))
    assert ConsoleSessions(engine).find(session.token) is None
