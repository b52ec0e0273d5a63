"""Retention and erasure on SQLite and a real PostgreSQL server, with Rasa's own events table:
what never became an initiative goes after the retention period, erasure is one command, and
each leaves an audit entry without personal data."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import text

from bot.cli import main
from bot.intake_queue import audit
from bot.intake_queue.handoffs import HandoffRequest, Handoffs, Kind
from bot.intake_queue.repository import CaseNotFound, IntakeQueue
from bot.intake_queue.retention import ErasureRefused, erase_case, erase_conversation, purge_expired
from bot.profile import PROFILE_DIR, active_profile, load_profile
from bot.record import build_record
from tests.intake_fixtures import all_yes, complete_state
from tests.postgres import fresh_database

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
RETENTION = timedelta(days=90)
OLD = NOW - RETENTION - timedelta(days=1)
RECENT = NOW - timedelta(days=10)
DECISION = "Dokumenthanteringsplan för kommunstyrelsen, KS 2024/117"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'retention.db'}"
    return fresh_database(
        request.getfixturevalue("postgres_server"), f"ret_{uuid.uuid4().hex[:10]}"
    )


@pytest.fixture
def queue(url: str) -> IntakeQueue:
    queue = IntakeQueue.open(url)
    SQLTrackerStore.SQLEvent.__table__.create(queue.engine)  # exactly Rasa's table
    yield queue
    queue.engine.dispose()


def say(queue: IntakeQueue, conversation: str, when: datetime, message: str = "Hej") -> None:
    with queue.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, data) "
                "VALUES (:sender, 'user', :ts, :data)"
            ),
            {
                "sender": conversation,
                "ts": when.timestamp(),
                "data": json.dumps({"event": "user", "text": message}),
            },
        )


def events_of(queue: IntakeQueue, conversation: str) -> int:
    with queue.engine.connect() as connection:
        return connection.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": conversation}
        ).scalar_one()


def submit_case(queue: IntakeQueue, conversation: str) -> str:
    profile = load_profile("mora")
    state = complete_state(profile)
    return queue.submit(
        state.key,
        lambda ref, at: build_record(profile, state, all_yes(profile), conversation, ref, at),
        [],
        submitted_at=OLD,
    ).reference


def test_purge_removes_only_old_conversations_that_never_became_initiatives(queue) -> None:
    say(queue, "old-abandoned", OLD - timedelta(days=3))
    say(queue, "old-abandoned", OLD)
    say(queue, "old-but-active", OLD)
    say(queue, "old-but-active", RECENT)  # still going: kept
    say(queue, "old-case", OLD)
    reference = submit_case(queue, "old-case")  # became an initiative: kept
    handoffs = Handoffs(queue.engine)
    closed = handoffs.request(
        HandoffRequest("old-abandoned", Kind.CALLBACK, [], question="Ring mig")
    )
    handoffs.close(closed.id)
    with queue.engine.begin() as connection:
        connection.execute(text("UPDATE iop_handoffs SET updated_at = :t"), {"t": OLD})

    preview = purge_expired(queue.engine, RETENTION, dry_run=True, now=NOW)
    assert (preview.conversations, preview.events, preview.handoffs) == (1, 2, 1)
    assert events_of(queue, "old-abandoned") == 2  # a dry run deletes nothing

    report = purge_expired(queue.engine, RETENTION, now=NOW)
    assert (report.conversations, report.events, report.handoffs) == (1, 2, 1)
    assert events_of(queue, "old-abandoned") == 0
    assert events_of(queue, "old-but-active") == 2
    assert events_of(queue, "old-case") == 1
    assert queue.get(reference)["conversation_id"] == "old-case"
    assert handoffs.recent() == []
    entry = audit.entries(queue.engine)[0]
    assert (entry.actor, entry.action) == ("gallring", "gallring")
    assert "1 samtal" in (entry.detail or "")

    again = purge_expired(queue.engine, RETENTION, now=NOW)
    assert again.conversations == 0


def test_erasing_a_conversation_on_request(queue) -> None:
    say(queue, "conv-x", RECENT, "Mitt namn är Eva")
    Handoffs(queue.engine).request(HandoffRequest("conv-x", Kind.CALLBACK, [], question="Ring mig"))
    assert erase_conversation(queue.engine, "conv-x", "karin", "begäran 2026-11-30") == 1
    assert events_of(queue, "conv-x") == 0
    assert Handoffs(queue.engine).open_for("conv-x") is None
    entry = audit.entries(queue.engine, subject="conv-x")[0]
    assert (entry.actor, entry.action, entry.detail) == (
        "karin",
        "radera_samtal",
        "begäran 2026-11-30",
    )
    with pytest.raises(CaseNotFound):
        erase_conversation(queue.engine, "conv-x", "karin", "igen")


def test_a_case_conversation_is_erased_with_its_case(queue) -> None:
    say(queue, "conv-case", RECENT)
    reference = submit_case(queue, "conv-case")
    with pytest.raises(ErasureRefused, match=reference):
        erase_conversation(queue.engine, "conv-case", "karin", "begäran")
    assert events_of(queue, "conv-case") == 1

    erase_case(queue.engine, reference, "karin", "utgallrad", DECISION, f"  {DECISION.upper()} ")
    with pytest.raises(CaseNotFound):
        queue.get(reference)
    assert events_of(queue, "conv-case") == 0
    entry = audit.entries(queue.engine, subject=reference)[0]
    assert entry.action == "radera_arende"
    assert entry.detail == f"gallrad enligt {DECISION}; utgallrad"


def test_a_case_is_only_erased_under_a_gallring_decision(queue) -> None:
    """A received initiative is an allmän handling: no decision, no erasure."""
    say(queue, "conv-kept", RECENT)
    reference = submit_case(queue, "conv-kept")
    with pytest.raises(ErasureRefused, match="allmän handling") as refused:
        erase_case(queue.engine, reference, "karin", "begäran enligt art. 17", None, None)
    assert "gallring_decision" in str(refused.value) and "17.3 b" in str(refused.value)
    with pytest.raises(ErasureRefused, match=f"exakt som i profilen: '{DECISION}'"):
        erase_case(queue.engine, reference, "karin", "x", DECISION, "något annat beslut")
    assert queue.get(reference)["reference"] == reference
    assert events_of(queue, "conv-kept") == 1
    assert audit.entries(queue.engine, subject=reference) == []


def test_erasing_a_case_takes_its_unsent_mail_with_it(queue) -> None:
    from bot.intake_queue import outbox

    reference = submit_case(queue, "conv-mail")
    assert len(outbox.for_case(queue.engine, reference)) == 2
    erase_case(queue.engine, reference, "karin", "utgallrad", DECISION, DECISION)
    assert outbox.for_case(queue.engine, reference) == []


def test_cli_purge_erase_and_log(queue, url: str, capsys, monkeypatch, tmp_path: Path) -> None:
    say(queue, "conv-cli", datetime.now(timezone.utc) - timedelta(days=400))
    assert main(["--database", url, "gallra", "--provkor"]) == 0
    assert "Skulle radera 1 samtal" in capsys.readouterr().out
    assert main(["--database", url, "gallra"]) == 0
    assert "Raderade 1 samtal" in capsys.readouterr().out
    assert events_of(queue, "conv-cli") == 0

    reference = submit_case(queue, "conv-cli-case")
    assert main(["--database", url, "radera", "samtal", "conv-cli-case", "--orsak", "x"]) == 2
    assert f"hör till ärende {reference}" in capsys.readouterr().err
    erase = ["--database", url, "radera", "arende", reference, "--orsak", "begäran"]
    assert main([*erase, "--som", "karin"]) == 2
    err = capsys.readouterr().err
    assert "allmän handling" in err and "registration.gallring_decision" in err
    assert err.count("\n") == 1 and queue.get(reference)["reference"] == reference

    monkeypatch.setenv("IOP_PROFILE", str(profile_with_decision(tmp_path)))
    active_profile.cache_clear()
    assert main([*erase, "--beslut", "KS 2024/117", "--som", "karin"]) == 2
    assert f"exakt som i profilen: '{DECISION}'" in capsys.readouterr().err
    assert main([*erase, "--som", "karin"]) == 2  # the decision must be named
    assert f"exakt som i profilen: '{DECISION}'" in capsys.readouterr().err
    code = main([*erase, "--beslut", DECISION, "--som", "karin"])
    assert code == 0
    assert f"gallrat enligt {DECISION}" in capsys.readouterr().out
    assert main(["--database", url, "logg"]) == 0
    log = capsys.readouterr().out
    assert "radera_arende" in log and reference in log and "gallring" in log
    assert f"gallrad enligt {DECISION}; begäran" in log


def profile_with_decision(directory: Path) -> Path:
    """Mora's profile as a kommun with a gallring decision would have it."""
    raw = yaml.safe_load((PROFILE_DIR / "mora.yml").read_text(encoding="utf-8"))
    raw["registration"]["gallring_decision"] = DECISION
    path = directory / "mora_med_gallring.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


# -- abandoned handoffs and callbacks, failed-login names (issue 13, item 8) ---------------------


def _age_handoff(queue: IntakeQueue, handoff_id: int, when: datetime) -> None:
    with queue.engine.begin() as connection:
        connection.execute(
            text("UPDATE iop_handoffs SET created_at = :t, updated_at = :t WHERE id = :i"),
            {"t": when, "i": handoff_id},
        )


def test_abandoned_handoffs_and_callbacks_go_after_the_retention_period(queue) -> None:
    handoffs = Handoffs(queue.engine)
    phone = {"name": "Eva Lund", "phone": "070-123 45 67"}
    never_rung = handoffs.request(
        HandoffRequest("conv-cb", Kind.CALLBACK, [], contact=phone, question="Ring")
    )
    never_closed = handoffs.request(HandoffRequest("conv-live", Kind.LIVE, []))
    handoffs.claim(never_closed.id, "karin")
    closed = handoffs.request(HandoffRequest("conv-closed", Kind.CALLBACK, [], contact=phone))
    handoffs.close(closed.id)
    recent = handoffs.request(HandoffRequest("conv-recent", Kind.CALLBACK, [], contact=phone))
    case_handoff = handoffs.request(HandoffRequest("conv-case-h", Kind.CALLBACK, [], contact=phone))
    submit_case(queue, "conv-case-h")  # the case keeps its handoff until the case goes
    for old in (never_rung, never_closed, closed, case_handoff):
        _age_handoff(queue, old.id, OLD)
    _age_handoff(queue, recent.id, RECENT)

    preview = purge_expired(queue.engine, RETENTION, dry_run=True, now=NOW)
    assert (preview.handoffs, preview.abandoned_handoffs, preview.callbacks) == (3, 2, 2)
    assert len(handoffs.recent()) == 5  # a dry run deletes nothing

    report = purge_expired(queue.engine, RETENTION, now=NOW)
    assert (report.handoffs, report.abandoned_handoffs, report.callbacks) == (3, 2, 2)
    left = {h.conversation_id for h in handoffs.recent()}
    assert left == {"conv-recent", "conv-case-h"}
    assert handoffs.open_for("conv-cb") is None and handoffs.open_for("conv-live") is None
    entry = audit.entries(queue.engine)[0]
    assert "3 överlämningar (varav 2 aldrig avslutade och 2 återuppringningar)" in entry.detail
    assert "070" not in entry.detail and "Eva" not in entry.detail


def test_a_failed_login_keeps_an_account_name_but_nothing_else(queue) -> None:
    from bot.intake_queue.accounts import create_account

    create_account(queue.engine, "anna", "Anna Berg", "ett-långt-lösenord-42")
    typed = ["eva.lund@mora.se", "Sommar2026!", "eva.lund@mora.se", " Anna "]
    for name in typed:
        audit.record(queue.engine, name, audit.FAILED_LOGIN, "konsolen")
    actors = [e.actor for e in reversed(audit.entries(queue.engine))]
    assert actors[3] == "anna"  # a real account may be named
    unknown = actors[:3]
    assert all(a.startswith(audit.UNKNOWN_USERNAME) for a in unknown)
    assert unknown[0] == unknown[2] != unknown[1]  # the same name tried twice shows as such
    stored = " ".join(f"{e.actor} {e.subject} {e.detail}" for e in audit.entries(queue.engine))
    for secret in ("eva", "lund", "mora.se", "sommar", "2026!"):
        assert secret not in stored.lower()


def test_retention_forgets_failed_login_names_written_before(queue) -> None:
    """Lines from before the check (the username in clear) lose a name that is no account's."""
    from bot.intake_queue.accounts import create_account

    create_account(queue.engine, "anna", "Anna Berg", "ett-långt-lösenord-42")
    with queue.engine.begin() as connection:
        for actor in ("eva.lund@mora.se", "anna"):
            connection.execute(
                text(
                    "INSERT INTO iop_audit_log (at, actor, action, subject) "
                    "VALUES (:at, :actor, 'inloggning_misslyckad', 'konsolen')"
                ),
                {"at": RECENT, "actor": actor},
            )
    report = purge_expired(queue.engine, RETENTION, now=NOW)
    assert report.login_names_forgotten == 1
    failed = [e.actor for e in audit.entries(queue.engine) if e.action == audit.FAILED_LOGIN]
    assert sorted(failed) == ["anna", audit.UNKNOWN_USERNAME]
