"""One transaction per use case: a change and its audit line commit together or not at all,
whether the console or the command line made it, on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.cli import main
from bot.intake_queue import audit, use_cases
from bot.intake_queue.accounts import AccountError, create_account, find_account
from bot.intake_queue.audit import AuditRepository
from bot.intake_queue.cases import Claim
from bot.intake_queue.console_sessions import ConsoleSessions
from bot.intake_queue.handoffs import CloseReason, HandoffRequest, Handoffs, HandoffStatus, Kind
from bot.intake_queue.models import audit_log
from bot.intake_queue.repository import CaseTaken, IntakeQueue
from bot.intake_queue.statuses import Status, TransitionError
from bot.intake_queue.unit_of_work import UnitOfWork
from bot.profile import load_profile
from bot.record import build_record
from tests.intake_fixtures import all_yes, complete_state
from tests.postgres import fresh_database

MORA = load_profile("mora")
PASSWORD = "ett långt lösenord 42"


class AuditDown(SQLAlchemyError):
    """The audit log cannot be written (a full disk, a lost connection)."""


@pytest.fixture(params=["sqlite", "postgresql"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IntakeQueue]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'uow.db'}"
    else:
        url = fresh_database(
            request.getfixturevalue("postgres_server"), f"uow_{uuid.uuid4().hex[:10]}"
        )
    opened = IntakeQueue.open(url)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def broken_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every audit write fails, after the change it describes was made in the transaction."""

    def fail(*_: Any, **__: Any) -> None:
        raise AuditDown("the audit log could not be written")

    monkeypatch.setattr(AuditRepository, "add", fail)


def submit(queue: IntakeQueue, name: str = "Föreningen Gemenskap") -> str:
    state = complete_state(MORA, {"org_name": name})
    return queue.submit(
        state.key,
        lambda ref, at: build_record(MORA, state, all_yes(MORA), f"c-{name}", ref, at),
        [],
    ).reference


def lines(queue: IntakeQueue) -> list[tuple[str, str, str, str | None]]:
    """The audit log, oldest first."""
    return [(e.actor, e.action, e.subject, e.detail) for e in reversed(audit.entries(queue.engine))]


def history_length(queue: IntakeQueue, reference: str) -> int:
    return len(queue.get(reference)["status_history"])


# -- the unit of work itself ---------------------------------------------------------------------


def test_a_unit_of_work_commits_on_a_clean_exit_and_rolls_back_on_an_exception(
    queue: IntakeQueue,
) -> None:
    with UnitOfWork(queue.engine) as uow:
        uow.audit.add("karin", "test", "kept")
    with pytest.raises(RuntimeError), UnitOfWork(queue.engine) as uow:
        uow.audit.add("karin", "test", "dropped")
        raise RuntimeError("something went wrong after the write")
    assert [subject for _, _, subject, _ in lines(queue)] == ["kept"]
    unit = UnitOfWork(queue.engine)
    with unit:
        pass
    with pytest.raises(RuntimeError), unit:  # one unit, one transaction
        pass


def test_every_repository_shares_the_units_one_transaction(queue: IntakeQueue) -> None:
    reference = submit(queue)
    with pytest.raises(RuntimeError), UnitOfWork(queue.engine) as uow:
        uow.cases.claim(Claim(reference, "karin"))
        uow.details.update(reference, concerned_bodies='["Socialnämnden"]')
        uow.accounts.add("karin", "Karin", PASSWORD)
        uow.handoffs.add(HandoffRequest("conv-1", Kind.CALLBACK, []))
        uow.audit.add("karin", "ta_arende", reference)
        assert uow.cases.get(reference)["assigned_to"] == "karin"  # seen inside the unit
        raise RuntimeError("roll it all back")
    with UnitOfWork(queue.engine) as uow:
        assert uow.cases.get(reference)["assigned_to"] is None
        assert uow.details.get(reference).concerned_bodies == ()
        assert uow.accounts.find("karin") is None
        assert uow.handoffs.open_for("conv-1") is None
        assert uow.audit.entries() == []


# -- a change and its line: together or not at all ----------------------------------------------


def test_a_claim_is_not_kept_when_its_audit_line_cannot_be_written(
    queue: IntakeQueue, broken_audit: None
) -> None:
    reference = submit(queue)
    before = history_length(queue, reference)
    with pytest.raises(AuditDown):
        use_cases.claim_case(queue.engine, Claim(reference, "karin"))
    assert queue.get(reference)["assigned_to"] is None
    assert history_length(queue, reference) == before


def test_a_status_change_is_not_kept_when_its_audit_line_cannot_be_written(
    queue: IntakeQueue, broken_audit: None
) -> None:
    reference = submit(queue)
    with pytest.raises(AuditDown):
        use_cases.change_status(queue.engine, reference, Status.UNDER_BEDOMNING, "karin", "x")
    assert queue.get(reference)["status"] == Status.INKOMMEN.value


def test_accounts_are_not_changed_when_the_audit_line_cannot_be_written(
    queue: IntakeQueue, broken_audit: None
) -> None:
    with pytest.raises(AuditDown):
        use_cases.create_account(queue.engine, "karin", "Karin", PASSWORD, "admin")
    assert find_account(queue.engine, "karin") is None
    create_account(queue.engine, "bo", "Bo", PASSWORD)
    with pytest.raises(AuditDown):
        use_cases.set_account_active(queue.engine, "bo", False, "admin")
    assert find_account(queue.engine, "bo").active


def test_a_detail_is_not_kept_when_its_audit_line_cannot_be_written(
    queue: IntakeQueue, broken_audit: None
) -> None:
    from bot.intake_queue import case_details

    reference = submit(queue)
    with pytest.raises(AuditDown):
        case_details.set_concerned_bodies(queue.engine, reference, ["Socialnämnden"], "karin")
    assert case_details.get_details(queue.engine, reference).concerned_bodies == ()


def test_handoff_claims_and_closes_are_not_kept_without_their_audit_line(
    queue: IntakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    handoffs = Handoffs(queue.engine)
    waiting = handoffs.request(HandoffRequest("conv-1", Kind.LIVE, []))
    monkeypatch.setattr(AuditRepository, "add", _fail)
    with pytest.raises(AuditDown):
        handoffs.claim(waiting.id, "karin")
    assert handoffs.get(waiting.id).status is HandoffStatus.WAITING
    monkeypatch.undo()
    handoffs.claim(waiting.id, "karin")
    monkeypatch.setattr(AuditRepository, "add", _fail)
    with pytest.raises(AuditDown):
        handoffs.close(waiting.id, CloseReason.CLOSED, actor="karin")
    assert handoffs.get(waiting.id).status is HandoffStatus.ACTIVE
    monkeypatch.undo()
    handoffs.close(waiting.id, CloseReason.RESUMED, actor="karin")
    assert lines(queue) == [
        ("karin", "overlamning_claim", f"overlamning {waiting.id}", None),
        ("karin", "overlamning_hand_back", f"overlamning {waiting.id}", None),
    ]


def _fail(*_: Any, **__: Any) -> None:
    raise AuditDown("the audit log could not be written")


def test_a_change_that_fails_leaves_no_audit_line(queue: IntakeQueue) -> None:
    reference = submit(queue)
    use_cases.claim_case(queue.engine, Claim(reference, "karin"))
    with pytest.raises(CaseTaken):
        use_cases.claim_case(queue.engine, Claim(reference, "bo"))
    with pytest.raises(TransitionError):
        use_cases.change_status(queue.engine, reference, Status.AVSLUTAD_IOP_TECKNAS, "karin", "")
    with pytest.raises(OSError):
        use_cases.export_case(queue.engine, reference, "karin", "exportera_pdf", _disk_full)
    create_account(queue.engine, "bo", "Bo", PASSWORD)
    with pytest.raises(AccountError):
        use_cases.create_account(queue.engine, "bo", "Bo igen", PASSWORD, "admin")
    assert lines(queue) == [("karin", "ta_arende", reference, None)]


def _disk_full(_record: dict[str, Any]) -> None:
    raise OSError(28, "No space left on device")


def test_console_sessions_end_with_their_audit_line_or_not_at_all(
    queue: IntakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = ConsoleSessions(queue.engine)
    create_account(queue.engine, "anna", "Anna", PASSWORD)
    session = sessions.start("anna")
    monkeypatch.setattr(AuditRepository, "add", _fail)
    with pytest.raises(AuditDown):
        sessions.set_available(
            session.token, False, audit.AuditLine("anna", "tar_inte_emot", "konsolen")
        )
    with pytest.raises(AuditDown):
        sessions.end(session.token, audit.AuditLine("anna", "utloggning", "konsolen"))
    found = sessions.find(session.token)
    assert found is not None and found.available


# -- the command line: every change audited with --som, in its own transaction -----------------


def cli(queue: IntakeQueue, *args: str) -> int:
    return main(["--database", str(queue.engine.url.render_as_string(False)), *args])


def cli_changes(reference: str, tmp_path: Path) -> list[tuple[list[str], str, str]]:
    """Each changing command, the action it writes and the subject it names."""
    out = str(tmp_path / "case.json")
    return [
        (["ta", reference, "--som", "Karin"], "ta_arende", reference),
        (["ta", reference, "--ta-over", "--som", "Bo"], "ta_over_arende", reference),
        (
            ["status", reference, "under_bedomning", "--notering", "Läser", "--som", "Bo"],
            "andra_status",
            reference,
        ),
        (
            ["exportera", reference, "--format", "json", "--ut", out, "--som", "Bo"],
            "exportera_json",
            reference,
        ),
        (
            ["konto", "skapa", "eva", "--namn", "Eva", "--losenord-fran-stdin", "--som", "Bo"],
            "skapa_konto",
            "konto eva",
        ),
        (["konto", "sparra", "eva", "--som", "Bo"], "sparra_konto", "konto eva"),
        (["konto", "oppna", "eva", "--som", "Bo"], "oppna_konto", "konto eva"),
    ]


def test_every_changing_cli_command_writes_its_audit_line_with_the_som_name(
    queue: IntakeQueue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    reference = submit(queue)
    expected = []
    for args, action, subject in cli_changes(reference, tmp_path):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert cli(queue, *args) == 0, capsys.readouterr().err
        actor = args[args.index("--som") + 1]
        expected.append((actor, action, subject))
    assert [line[:3] for line in lines(queue)] == expected
    record = queue.get(reference)
    assert (record["assigned_to"], record["status"]) == ("Bo", Status.UNDER_BEDOMNING.value)
    assert find_account(queue.engine, "eva").active


def test_a_cli_change_rolls_back_when_its_audit_line_cannot_be_written(
    queue: IntakeQueue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    reference = submit(queue)
    create_account(queue.engine, "eva", "Eva", PASSWORD)
    before = queue.get(reference)
    monkeypatch.setattr(AuditRepository, "add", _fail)
    for args, _, _ in cli_changes(reference, tmp_path):
        if args[:2] == ["konto", "skapa"]:
            args = [*args[:2], "ny.person", *args[3:]]
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert cli(queue, *args) == 2, args
        assert "Databasfel" in capsys.readouterr().err
    monkeypatch.undo()
    after = queue.get(reference)
    assert (after["assigned_to"], after["status"]) == (before["assigned_to"], before["status"])
    assert after["status_history"] == before["status_history"]
    assert find_account(queue.engine, "ny.person") is None
    assert find_account(queue.engine, "eva").active
    assert list(tmp_path.glob("*.json")) == list(tmp_path.glob(".*.tmp")) == []  # no file left
    with queue.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(audit_log)).scalar() == 0


def test_a_login_session_starts_with_its_audit_line_or_not_at_all(
    queue: IntakeQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.intake_queue.models import console_sessions

    sessions = ConsoleSessions(queue.engine)
    create_account(queue.engine, "anna", "Anna", PASSWORD)
    line = audit.AuditLine("anna", "inloggning", "konsolen")
    monkeypatch.setattr(AuditRepository, "add", _fail)
    with pytest.raises(AuditDown):
        sessions.start("anna", audit=line)
    monkeypatch.undo()
    with queue.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(console_sessions)).scalar() == 0
    assert sessions.find(sessions.start("anna", audit=line).token) is not None
    assert lines(queue) == [("anna", "inloggning", "konsolen", None)]
