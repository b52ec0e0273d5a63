"""The arbetsgång's later steps, the case details beside the record and the yearly report, on
SQLite and a real PostgreSQL server, through the queue and the CLI
(the console: test_console_case_details.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.cli import main
from bot.intake_queue import audit, migrate, use_cases
from bot.intake_queue.case_details import (
    DetailError,
    get_details,
    record_declaration_copy,
    set_concerned_bodies,
    set_procurement_opinion,
    today,
)
from bot.intake_queue.repository import CaseNotFound, IntakeQueue, YearCounts
from bot.intake_queue.statuses import Status, TransitionError
from bot.profile import load_profile
from bot.record import build_record, validate_record
from tests.intake_fixtures import all_yes, complete_state
from tests.postgres import fresh_database

MORA = load_profile("mora")
LATER = [
    Status.UNDER_BEDOMNING,
    Status.FORSTA_MOTE,
    Status.KONTROLL_AV_ORGANISATION,
    Status.MOTE_MED_BERORDA,
    Status.INTERN_DISKUSSION,
    Status.UPPFOLJNINGSMOTE,
    Status.AVSLUTAD_IOP_TECKNAS,
]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'arbetsgang.db'}"
    return fresh_database(request.getfixturevalue("postgres_server"), f"ag_{uuid.uuid4().hex[:10]}")


@pytest.fixture
def queue(url: str) -> IntakeQueue:
    opened = IntakeQueue.open(url)
    yield opened
    opened.engine.dispose()


def submit(queue: IntakeQueue, moment: datetime, name: str = "Gemenskap") -> str:
    state = complete_state(MORA, {"org_name": name})
    return queue.submit(
        state.key,
        lambda ref, at: build_record(MORA, state, all_yes(MORA), f"c-{name}", ref, at),
        [],
        submitted_at=moment,
    ).reference


# -- migrations ----------------------------------------------------------------------------------


def test_migration_0005_keeps_old_cases_and_adds_the_details(url: str) -> None:
    """A database at 0004 with a case in an old status upgrades without losing anything."""
    from alembic import command

    engine = IntakeQueue.open(url, upgrade=False).engine
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO iop_initiatives (reference, year, sequence, intake_key, kommun_id, "
                "conversation_id, organisation_name, status, submitted_at, updated_at, record, "
                "transcript) VALUES ('IOP-2025-0001', 2025, 1, 'key-old-case', 'mora', 'c', "
                "'Gamla föreningen', 'dialog_med_forvaltningar', :t, :t, '{}', '[]')"
            ),
            {"t": datetime(2025, 3, 1, tzinfo=timezone.utc)},
        )
    migrate.upgrade(engine)
    assert migrate.is_current(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("iop_initiatives")}
    assert {"procurement_opinion", "concerned_bodies", "declaration_copy_received_on"} <= columns
    assert "iop_outbox" in inspect(engine).get_table_names()
    queue = IntakeQueue(engine)
    assert queue.list_cases()[0].status is Status.DIALOG_MED_FORVALTNINGAR
    use_cases.change_status(
        queue.engine, "IOP-2025-0001", Status.AVSLUTAD_IOP_TECKNAS, "karin", "Avtal tecknat"
    )
    assert get_details(engine, "IOP-2025-0001").concerned_bodies == ()
    engine.dispose()


# -- the arbetsgång ------------------------------------------------------------------------------


def test_a_case_walks_every_step_of_the_arbetsgang(queue: IntakeQueue) -> None:
    reference = submit(queue, datetime(2026, 3, 1, 10, tzinfo=timezone.utc))
    for status in LATER:
        use_cases.change_status(queue.engine, reference, status, "karin", f"Till {status.label}")
    record = queue.get(reference)
    assert [h["to_status"] for h in record["status_history"]] == [
        "inkommen",
        *(s.value for s in LATER),
    ]


def test_iop_is_signed_only_after_the_berorda_have_been_heard(queue: IntakeQueue) -> None:
    reference = submit(queue, datetime(2026, 3, 1, 10, tzinfo=timezone.utc))
    use_cases.change_status(
        queue.engine, reference, Status.MOTE_MED_BERORDA, "karin", "Möte 12 mars"
    )
    with pytest.raises(TransitionError, match="Tillåtna: intern_diskussion, uppfoljningsmote"):
        use_cases.change_status(queue.engine, reference, Status.AVSLUTAD_IOP_TECKNAS, "karin", None)
    with pytest.raises(TransitionError):
        use_cases.change_status(queue.engine, reference, Status.FORSTA_MOTE, "karin", "bakåt")
    use_cases.change_status(
        queue.engine, reference, Status.AVSLUTAD_EJ_AKTUELLT, "karin", "Bidrag passar bättre"
    )
    assert queue.get(reference)["status"] == "avslutad_ej_aktuellt"


# -- the details beside the record ---------------------------------------------------------------


def test_details_are_stored_beside_the_record_and_audited(queue: IntakeQueue) -> None:
    reference = submit(queue, datetime(2026, 3, 1, 10, tzinfo=timezone.utc))
    record_before = queue.get(reference)
    set_procurement_opinion(
        queue.engine,
        reference.lower(),
        "Ingen marknad finns för detta i Mora.",
        "Per Ek, upphandlingsenheten",
        date(2026, 3, 10),
        "karin",
    )
    bodies = set_concerned_bodies(
        queue.engine, reference, ["Socialnämnden", "  Mora  Energi AB ", "socialnämnden", ""], "bo"
    )
    assert bodies == ("Socialnämnden", "Mora Energi AB")
    record_declaration_copy(queue.engine, reference, date(2026, 3, 12), "karin")

    details = get_details(queue.engine, reference)
    assert details.procurement_opinion.text == "Ingen marknad finns för detta i Mora."
    assert details.procurement_opinion.given_by == "Per Ek, upphandlingsenheten"
    assert details.procurement_opinion.given_on == date(2026, 3, 10)
    assert details.concerned_bodies == ("Socialnämnden", "Mora Energi AB")
    assert (details.declaration_copy.received_on, details.declaration_copy.recorded_by) == (
        date(2026, 3, 12),
        "karin",
    )
    # The record as received is untouched.
    assert queue.get(reference) | {"transcript": None} == record_before | {"transcript": None}
    log = [(e.actor, e.action, e.detail) for e in audit.entries(queue.engine, subject=reference)]
    assert log == [
        ("karin", "intyg_kopia_mottagen", "undertecknad kopia mottagen 2026-03-12"),
        ("bo", "berorda_namnder_bolag", "Socialnämnden; Mora Energi AB"),
        ("karin", "yttrande_upphandling", "lämnat av Per Ek, upphandlingsenheten 2026-03-10"),
    ]
    assert set_concerned_bodies(queue.engine, reference, [], "bo") == ()
    assert get_details(queue.engine, reference).concerned_bodies == ()


def test_details_refuse_what_cannot_be_right(queue: IntakeQueue) -> None:
    reference = submit(queue, datetime(2026, 3, 1, 10, tzinfo=timezone.utc))
    tomorrow = today() + timedelta(days=1)
    with pytest.raises(DetailError, match="framtiden"):
        record_declaration_copy(queue.engine, reference, tomorrow, "karin")
    with pytest.raises(DetailError, match="Skriv vad"):
        set_procurement_opinion(queue.engine, reference, "  ", "Per", date(2026, 3, 1), "k")
    with pytest.raises(DetailError, match="högst 120"):
        set_concerned_bodies(queue.engine, reference, ["N" * 121], "k")
    with pytest.raises(CaseNotFound):
        record_declaration_copy(queue.engine, "IOP-2026-0999", date(2026, 3, 1), "k")
    assert audit.entries(queue.engine, subject=reference) == []


def test_cli_sets_and_shows_the_details(
    url: str, queue: IntakeQueue, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = submit(queue, datetime(2026, 3, 1, 10, tzinfo=timezone.utc))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--database", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run(
        "yttrande",
        reference,
        "--text",
        "Ingen marknad.",
        "--lamnat-av",
        "Per Ek",
        "--datum",
        "2026-03-10",
        "--som",
        "Karin",
    )
    assert (code, out) == (
        0,
        f"{reference}: upphandlingsenhetens yttrande är sparat (2026-03-10).\n",
    )
    code, out, _ = run("berorda", reference, "Socialnämnden", "Mora Energi AB", "--som", "Karin")
    assert out == f"{reference}: berörda nämnder och bolag: Socialnämnden, Mora Energi AB.\n"
    code, out, _ = run("intyg-mottaget", reference, "--datum", "2026-03-12", "--som", "Karin")
    assert code == 0 and "mottagen 2026-03-12 (noterat av Karin)" in out
    code, out, _ = run("visa", reference)
    assert "Berörda nämnder och bolag: Socialnämnden, Mora Energi AB" in out
    assert "Upphandlingsenhetens yttrande: 2026-03-10 av Per Ek\n    Ingen marknad." in out
    assert "Undertecknad kopia av intyget: mottagen 2026-03-12 (noterat av Karin)" in out
    code, out, err = run("berorda", reference)
    assert code == 2 and "--rensa" in err
    code, out, err = run("intyg-mottaget", reference, "--datum", "2999-01-01")
    assert code == 2 and "framtiden" in err and err.count("\n") == 1
    assert [e.action for e in audit.entries(queue.engine, subject=reference)] == [
        "intyg_kopia_mottagen",
        "berorda_namnder_bolag",
        "yttrande_upphandling",
    ]


# -- the yearly report ---------------------------------------------------------------------------


def test_last_years_figures_do_not_change_when_an_old_case_is_decided(
    queue: IntakeQueue,
) -> None:
    old = submit(queue, datetime(2025, 11, 3, 10, tzinfo=timezone.utc), "Föreningen A")
    signed_2025 = submit(queue, datetime(2025, 2, 3, 10, tzinfo=timezone.utc), "Föreningen B")
    decided_at = datetime(2025, 10, 1, 9, tzinfo=timezone.utc)
    for status in (Status.UPPFOLJNINGSMOTE, Status.AVSLUTAD_IOP_TECKNAS):
        use_cases.change_status(queue.engine, signed_2025, status, "karin", None, at=decided_at)
    report_2025 = queue.yearly_counts()[2025]
    assert report_2025 == YearCounts(submitted=2, signed=1, not_relevant=0)

    # In 2026 the old case is decided and a new one comes in.
    submit(queue, datetime(2026, 1, 20, 10, tzinfo=timezone.utc), "Föreningen C")
    # 23:30 UTC on New Year's Eve is already 2026 in Mora.
    new_year = datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)
    use_cases.change_status(
        queue.engine, old, Status.AVSLUTAD_EJ_AKTUELLT, "karin", "Inte aktuellt", at=new_year
    )
    counts = queue.yearly_counts()
    assert counts[2025] == report_2025
    assert counts[2026] == YearCounts(submitted=1, signed=0, not_relevant=1)


def test_report_command_writes_the_year_table(
    url: str, queue: IntakeQueue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit(queue, datetime(2025, 5, 1, 10, tzinfo=timezone.utc))
    assert main(["--database", url, "rapport", "--ut", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Inkomna initiativ" in out and "Beslut: IOP tecknas" in out
    rows = (tmp_path / "iop-rapport.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1] == "2025;1;0;0;0"


def test_a_case_in_a_new_step_exports_as_a_valid_record(queue: IntakeQueue) -> None:
    reference = submit(queue, datetime(2026, 3, 1, 10, tzinfo=timezone.utc))
    use_cases.change_status(
        queue.engine, reference, Status.MOTE_MED_BERORDA, "karin", "Möte 12 mars"
    )
    validate_record(queue.get(reference))


def test_cli_status_changes_and_claims_are_audited_like_the_consoles(
    url: str, queue: IntakeQueue, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = submit(queue, datetime(2026, 3, 1, 10, tzinfo=timezone.utc))
    assert main(["--database", url, "ta", reference, "--som", "Karin"]) == 0
    move = ["status", reference, "mote_med_berorda", "--notering", "Möte 12 mars"]
    assert main(["--database", url, *move, "--som", "Karin"]) == 0
    capsys.readouterr()
    log = [(e.actor, e.action, e.detail) for e in audit.entries(queue.engine, subject=reference)]
    assert log == [("Karin", "andra_status", "mote_med_berorda"), ("Karin", "ta_arende", None)]
