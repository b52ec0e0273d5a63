"""`iop-handlaggare` end to end on a real SQLite file: migrate, submit through the queue, then
work the cases only through `bot.cli.main` the way a caseworker would."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.cli import main
from bot.intake_queue.repository import IntakeQueue
from bot.intake_queue.statuses import Status
from bot.profile import Profile, load_profile
from bot.record import build_record, problems
from tests.intake_fixtures import all_yes, complete_state
from tests.pdf_text import pdf_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LONG_LINE = "Vi vill berätta mer: " + "fika och promenader med äldre i Östnor, " * 12 + "slut."
TRANSCRIPT = [
    {"at": "2026-03-01T08:59:00+00:00", "sender": "bot", "text": "Hej!\nVad heter föreningen?"},
    {
        "at": "2026-03-01T08:59:30+00:00",
        "sender": "user",
        "text": "Gemenskap i Mora, vi är på Åsen",
    },
    {"at": "2026-03-01T09:00:00+00:00", "sender": "user", "text": "Testar <script>x()</script>"},
    {"at": "2026-03-01T09:00:30+00:00", "sender": "user", "text": LONG_LINE},
]
# Submitted at 11:00 UTC, i.e. at noon Swedish time, so the Swedish and UTC days agree.
WHEN = {
    "old": datetime(2025, 11, 20, 11, 0, tzinfo=timezone.utc),
    "march1": datetime(2026, 3, 1, 11, 0, tzinfo=timezone.utc),
    "march5": datetime(2026, 3, 5, 11, 0, tzinfo=timezone.utc),
}
ARBETSGANG = [
    Status.UNDER_BEDOMNING,
    Status.FORSTA_MOTE,
    Status.KONTROLL_AV_ORGANISATION,
    Status.DIALOG_MED_FORVALTNINGAR,
    Status.AVSLUTAD_IOP_TECKNAS,
]


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile("mora")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'q.db'}"
    else:
        import uuid

        from tests.postgres import fresh_database

        url = fresh_database(
            request.getfixturevalue("postgres_server"), f"cli_{uuid.uuid4().hex[:10]}"
        )
    assert main(["--database", url, "db", "upgrade"]) == 0
    assert "senaste schemat" in capsys.readouterr().out
    return url


def submit(url: str, profile: Profile, when: datetime, name: str) -> str:
    state = complete_state(profile, {"org_name": name})
    queue = IntakeQueue.open(url, upgrade=False)
    try:
        return queue.submit(
            state.key,
            lambda ref, at: build_record(profile, state, all_yes(profile), f"c-{name}", ref, at),
            TRANSCRIPT,
            submitted_at=when,
        ).reference
    finally:
        queue.engine.dispose()


@pytest.fixture
def refs(url: str, profile: Profile) -> dict[str, str]:
    return {
        "old": submit(url, profile, WHEN["old"], "Läxhjälpen i Noret"),
        "march1": submit(url, profile, WHEN["march1"], "Föreningen Gemenskap i Mora"),
        "march5": submit(url, profile, WHEN["march5"], "Östnors byalag"),
    }


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--database", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def stored(url: str, reference: str) -> dict[str, Any]:
    queue = IntakeQueue.open(url, upgrade=False)
    try:
        return queue.get(reference)
    finally:
        queue.engine.dispose()


def assert_one_line_error(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2 and out == ""
    assert err.startswith("iop-handlaggare: ") and err.count("\n") == 1
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_references_follow_the_year(refs: dict[str, str]) -> None:
    assert refs == {"old": "IOP-2025-0001", "march1": "IOP-2026-0001", "march5": "IOP-2026-0002"}


# -- lista ---------------------------------------------------------------------------------------


def test_list_shows_every_case_newest_first(capsys, url: str, refs: dict[str, str]) -> None:
    code, out, _ = run(capsys, url, "lista")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Referens", "Inlämnat", "Status", "Handläggare", "Organisation"]
    assert [line.split()[0] for line in lines[2:5]] == [
        refs["march5"],
        refs["march1"],
        refs["old"],
    ]
    assert "IOP-2026-0002  2026-03-05  Inkommen  –            Östnors byalag" in lines
    assert lines[-1] == "3 ärenden."


def test_list_filters_by_status_and_dates(capsys, url: str, refs: dict[str, str]) -> None:
    assert (
        run(capsys, url, "status", refs["march1"], "under_bedomning", "--notering", "Läser")[0] == 0
    )

    def listed(*args: str) -> list[str]:
        code, out, _ = run(capsys, url, "lista", "--json", *args)
        assert code == 0
        return [case["reference"] for case in json.loads(out)]

    assert listed("--status", "under_bedomning") == [refs["march1"]]
    assert listed("--status", "inkommen") == [refs["march5"], refs["old"]]
    assert listed("--fran", "2026-01-01") == [refs["march5"], refs["march1"]]
    assert listed("--till", "2026-03-01") == [refs["march1"], refs["old"]]
    assert listed("--fran", "2026-03-02", "--till", "2026-03-05") == [refs["march5"]]
    assert listed("--status", "avslutad_ej_aktuellt") == []
    code, out, _ = run(capsys, url, "lista", "--status", "avslutad_ej_aktuellt")
    assert (code, out) == (0, "Inga ärenden matchar urvalet.\n")


def test_list_json_has_status_and_label(capsys, url: str, refs: dict[str, str]) -> None:
    code, out, _ = run(capsys, url, "lista", "--json", "--status", "inkommen")
    assert code == 0
    case = json.loads(out)[0]
    assert case == {
        "reference": refs["march5"],
        "submitted_at": "2026-03-05T11:00:00+00:00",
        "status": "inkommen",
        "status_label": "Inkommen",
        "assigned_to": None,
        "organisation": "Östnors byalag",
    }


def test_list_dates_are_swedish_days(capsys, url: str, profile: Profile) -> None:
    """23:30 UTC on 1 March is 00:30 on 2 March in Sweden: the caseworker's 2 March."""
    late = submit(url, profile, datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc), "Nattugglorna")
    code, out, _ = run(capsys, url, "lista", "--fran", "2026-03-02", "--till", "2026-03-02")
    assert code == 0 and f"{late}  2026-03-02" in out
    code, out, _ = run(capsys, url, "lista", "--till", "2026-03-01")
    assert late not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fran", "2026-02-30"], "Ogiltigt datum '2026-02-30' för --fran; skriv ÅÅÅÅ-MM-DD."),
        (["--till", "igår"], "Ogiltigt datum 'igår' för --till"),
        (["--fran", "2026-03-05", "--till", "2026-03-01"], "--fran måste vara"),
        (["--status", "klar"], "Okänd status 'klar'. Välj en av: inkommen, under_bedomning"),
    ],
)
def test_list_rejects_bad_filters(capsys, url: str, args: list[str], message: str) -> None:
    assert_one_line_error(*run(capsys, url, "lista", *args), message)


# -- visa, ta, status ----------------------------------------------------------------------------


def test_show_prints_the_main_fields_and_history(capsys, url: str, refs: dict[str, str]) -> None:
    code, out, _ = run(capsys, url, "visa", refs["march1"].lower())
    assert code == 0
    assert out.startswith(f"{refs['march1']}  Föreningen Gemenskap i Mora\nStatus: Inkommen\n")
    assert re.search(r"Organisationsnummer:\s+802424-4413", out)
    assert re.search(r"Checklistan\n=+\n[^\n]*:\s+Kan passa\n", out)  # the verdict first
    assert "2026-03-01 12:00  Inkommen (IOP-lotsen) – Inlämnad via chatten" in out


def test_claim_records_who_took_the_case(capsys, url: str, refs: dict[str, str]) -> None:
    code, out, _ = run(capsys, url, "ta", refs["old"], "--som", "Karin Ödman", "--notering", "Min")
    assert (code, out) == (0, f"{refs['old']} handläggs nu av Karin Ödman.\n")
    record = stored(url, refs["old"])
    assert record["assigned_to"] == "Karin Ödman" and record["status"] == "inkommen"
    assert record["status_history"][-1] | {"at": None} == {
        "from_status": "inkommen",
        "to_status": "inkommen",
        "actor": "Karin Ödman",
        "at": None,
        "note": "Min",
    }
    assert "Karin Ödman" in run(capsys, url, "lista")[1]
    code, out, err = run(capsys, url, "ta", refs["old"], "--som", "K" * 121)
    assert_one_line_error(code, out, err, "högst 120 tecken")


def test_a_case_someone_else_has_is_only_taken_over_when_asked(
    capsys, url: str, refs: dict[str, str]
) -> None:
    assert run(capsys, url, "ta", refs["old"], "--som", "Karin")[0] == 0
    code, out, err = run(capsys, url, "ta", refs["old"], "--som", "Bo")
    assert_one_line_error(code, out, err, "handläggs redan av Karin")
    assert stored(url, refs["old"])["assigned_to"] == "Karin"
    assert run(capsys, url, "ta", refs["old"], "--som", "Bo", "--ta-over")[0] == 0
    assert stored(url, refs["old"])["assigned_to"] == "Bo"
    log = run(capsys, url, "logg")[1]
    assert re.search(r"Bo\s.*ta_over_arende", log), log  # the take-over is in the audit log
    assert run(capsys, url, "ta", refs["old"], "--som", "Bo")[0] == 0  # taking one's own again


def test_claim_defaults_to_the_login_name(
    capsys, url: str, refs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "khandl")
    assert run(capsys, url, "ta", refs["old"])[0] == 0
    history = stored(url, refs["old"])["status_history"]
    assert history[-1]["actor"] == "khandl" and history[-1]["note"] == "Handläggs av khandl"


def test_status_moves_along_the_arbetsgang(capsys, url: str, refs: dict[str, str]) -> None:
    previous = Status.INKOMMEN
    for new in ARBETSGANG:
        note = f"Till {new.value}"
        code, out, err = run(
            capsys, url, "status", refs["march5"], new.value, "--notering", note, "--som", "Karin"
        )
        assert (code, err) == (0, "")
        assert out == f"{refs['march5']}: {previous.label} → {new.label} (Karin).\n"
        previous = new
    history = stored(url, refs["march5"])["status_history"]
    assert [h["to_status"] for h in history] == ["inkommen", *(s.value for s in ARBETSGANG)]
    assert all(h["actor"] == "Karin" for h in history[1:])
    assert history[-1]["note"] == "Till avslutad_iop_tecknas"
    code, out, err = run(capsys, url, "status", refs["march5"], "inkommen", "--notering", "Igen")
    assert_one_line_error(code, out, err, "Tillåtna: inga (ärendet är avslutat).")


def test_status_refuses_a_move_the_arbetsgang_does_not_allow(
    capsys, url: str, refs: dict[str, str]
) -> None:
    code, out, err = run(
        capsys, url, "status", refs["old"], "avslutad_iop_tecknas", "--notering", "Direkt"
    )
    assert_one_line_error(
        code, out, err, "Kan inte gå från 'inkommen' till 'avslutad_iop_tecknas'. Tillåtna:"
    )
    record = stored(url, refs["old"])
    assert record["status"] == "inkommen" and len(record["status_history"]) == 1


def test_status_needs_a_known_status_and_a_note(capsys, url: str, refs: dict[str, str]) -> None:
    code, out, err = run(capsys, url, "status", refs["old"], "godkand", "--notering", "x")
    assert_one_line_error(code, out, err, "Okänd status 'godkand'")
    code, out, err = run(capsys, url, "status", refs["old"], "forsta_mote", "--notering", " ")
    assert_one_line_error(code, out, err, "Skriv en notering")
    code, _, err = run(capsys, url, "status", refs["old"], "forsta_mote")
    assert code == 2 and "--notering" in err  # argparse's own usage error


# -- exportera -----------------------------------------------------------------------------------


def test_export_json_to_stdout_is_a_valid_record(capsys, url: str, refs: dict[str, str]) -> None:
    run(capsys, url, "ta", refs["march1"], "--som", "Karin")
    code, out, err = run(capsys, url, "exportera", refs["march1"], "--format", "json", "--ut", "-")
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert problems(record) == []
    assert record["reference"] == refs["march1"] and record["assigned_to"] == "Karin"
    assert record["transcript"] == TRANSCRIPT
    assert [h["actor"] for h in record["status_history"]] == ["IOP-lotsen", "Karin"]


def test_export_writes_ref_dot_format_in_the_current_directory(
    capsys, url: str, refs: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for format_ in ("json", "html", "pdf"):
        code, out, _ = run(capsys, url, "exportera", refs["old"].lower(), "--format", format_)
        path = tmp_path / f"{refs['old']}.{format_}"
        assert code == 0 and out == f"Sparade {path}\n"
        assert path.stat().st_size > 1000


def test_export_html_escapes_the_transcript(
    capsys, url: str, refs: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "ut" / "arende.html"
    target.parent.mkdir()
    assert (
        run(capsys, url, "exportera", refs["march1"], "--format", "html", "--ut", str(target))[0]
        == 0
    )
    page = target.read_text(encoding="utf-8")
    assert "<script>" not in page and "Testar &lt;script&gt;x()&lt;/script&gt;" in page
    assert "Gemenskap i Mora, vi är på Åsen" in page and LONG_LINE in page
    assert "Hej!\nVad heter föreningen?" in page
    declaration = stored(url, refs["march1"])["declaration"]["text"]
    assert f'<div class="declaration">{declaration}</div>' in page  # no markup characters in it


def test_export_pdf_contains_the_transcript(
    capsys, url: str, refs: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "arende.pdf"
    assert (
        run(capsys, url, "exportera", refs["march1"], "--format", "pdf", "--ut", str(target))[0]
        == 0
    )
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-")
    fragments = pdf_text(pdf)
    assert "Gemenskap i Mora, vi är på Åsen" in fragments
    assert "Testar <script>x()</script>" in fragments
    assert re.sub(r"\s", "", LONG_LINE) in re.sub(r"\s", "", " ".join(fragments))
    assert "Organisationen · 2026-03-01 10:00" in fragments


def test_export_to_a_missing_directory_is_a_clear_error(
    capsys, url: str, refs: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "finns-inte" / "x.json"
    code, out, err = run(
        capsys, url, "exportera", refs["old"], "--format", "json", "--ut", str(target)
    )
    assert_one_line_error(code, out, err, "No such file or directory", str(target))


# -- rapport -------------------------------------------------------------------------------------


def test_report_counts_submissions_and_decisions_per_year(
    capsys, url: str, refs: dict[str, str], tmp_path: Path
) -> None:
    for new in (
        Status.UNDER_BEDOMNING,
        Status.DIALOG_MED_FORVALTNINGAR,
        Status.AVSLUTAD_IOP_TECKNAS,
    ):
        assert run(capsys, url, "status", refs["march1"], new.value, "--notering", "ok")[0] == 0
    assert (
        run(capsys, url, "status", refs["old"], "avslutad_ej_aktuellt", "--notering", "x")[0] == 0
    )
    decided = str(datetime.now(timezone.utc).astimezone(ZoneInfo("Europe/Stockholm")).year)
    directory = tmp_path / "rapport"
    code, out, err = run(capsys, url, "rapport", "--ut", str(directory))
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split()[:3] == ["År", "Inkomna", "initiativ"]
    assert re.search(r"^2025\s+1\s+0\s+0\s+0$", out, re.M)  # submitted in 2025, decided later
    assert re.search(rf"^{decided}\s+\d+\s+1\s+1\s+2$", out, re.M)
    assert re.search(r"^Totalt\s+3\s+1\s+1\s+2$", out, re.M)
    assert "beslut det år beslutet togs" in out

    with (directory / "iop-rapport.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0] == [
        "År",
        "Inkomna initiativ",
        "Beslut: IOP tecknas",
        "Beslut: ej aktuellt",
        "Beslut totalt",
    ]
    by_year = {row[0]: row[1:] for row in rows[1:]}
    assert by_year["2025"] == ["1", "0", "0", "0"]
    assert by_year["Totalt"] == ["3", "1", "1", "2"]
    assert (directory / "iop-rapport.png").read_bytes().startswith(PNG_SIGNATURE)


# -- errors the caseworker can fix ---------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["visa", "IOP-2026-0999"],
        ["ta", "IOP-2026-0999", "--som", "Karin"],
        ["status", "IOP-2026-0999", "forsta_mote", "--notering", "x"],
        ["exportera", "IOP-2026-0999", "--format", "pdf"],
    ],
)
def test_unknown_reference(capsys, url: str, refs: dict[str, str], command: list[str]) -> None:
    assert_one_line_error(*run(capsys, url, *command), "Inget ärende med referensen IOP-2026-0999.")


def test_missing_tables_say_to_run_db_upgrade(capsys, tmp_path: Path) -> None:
    path = tmp_path / "tom.db"
    sqlite3.connect(path).close()
    code, out, err = run(capsys, f"sqlite:///{path}", "lista")
    assert_one_line_error(code, out, err, "saknar ärendekön", "iop-handlaggare db upgrade")


def test_missing_database_file_is_not_created(capsys, tmp_path: Path) -> None:
    path = tmp_path / "finns-inte.db"
    code, out, err = run(capsys, f"sqlite:///{path}", "lista")
    assert_one_line_error(code, out, err, f"Databasfilen {path} finns inte", "db upgrade")
    assert not path.exists()


def test_unreachable_database(capsys) -> None:
    url = "postgresql+psycopg2://iop:hemligt@127.0.0.1:1/iop?connect_timeout=3"
    code, out, err = run(capsys, url, "lista")
    assert_one_line_error(code, out, err, "Kan inte använda databasen", "127.0.0.1")
    assert "hemligt" not in err


def test_database_url_comes_from_the_environment(
    capsys, url: str, refs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["lista", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_database_option_also_after_the_command(capsys, url: str, refs: dict[str, str]) -> None:
    assert main(["visa", refs["old"], "--database", url]) == 0
    assert "Läxhjälpen i Noret" in capsys.readouterr().out


def test_help_is_swedish(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "kommandon:" in out and "exportera ett ärende som JSON, HTML eller PDF" in out


def test_export_refuses_a_record_that_breaks_the_schema(
    capsys, url: str, refs: dict[str, str], tmp_path: Path
) -> None:
    engine = IntakeQueue.open(url, upgrade=False).engine
    with engine.begin() as connection:
        record = json.loads(
            connection.execute(
                text("SELECT record FROM iop_initiatives WHERE reference = :ref"),
                {"ref": refs["old"]},
            ).scalar_one()
        )
        record["organisation"]["orgnr"] = "12345"
        connection.execute(
            text("UPDATE iop_initiatives SET record = :record WHERE reference = :ref"),
            {"record": json.dumps(record), "ref": refs["old"]},
        )
    engine.dispose()
    target = tmp_path / "x.pdf"
    code, out, err = run(
        capsys, url, "exportera", refs["old"], "--format", "pdf", "--ut", str(target)
    )
    assert_one_line_error(code, out, err, "stämmer inte med schemat", "organisation/orgnr")
    assert not target.exists()


def test_accounts_are_created_listed_and_disabled_with_the_cli(capsys, url, monkeypatch) -> None:
    import io

    from bot.intake_queue.accounts import authenticate
    from bot.intake_queue.repository import IntakeQueue as Queue

    monkeypatch.setattr("sys.stdin", io.StringIO("ett långt lösenord 42\n"))
    code, out, _ = run(
        capsys, url, "konto", "skapa", "karin.a", "--namn", "Karin A", "--losenord-fran-stdin"
    )
    assert code == 0 and "karin.a" in out
    engine = Queue.open(url, upgrade=False).engine
    assert authenticate(engine, "karin.a", "ett långt lösenord 42") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    code, _, err = run(capsys, url, "konto", "skapa", "bo", "--namn", "B", "--losenord-fran-stdin")
    assert code == 2 and "minst 12" in err
    assert "karin.a\tKarin A\taktivt" in run(capsys, url, "konto", "lista")[1]
    assert run(capsys, url, "konto", "sparra", "karin.a")[0] == 0
    assert authenticate(engine, "karin.a", "ett långt lösenord 42") is None
    code, out, _ = run(capsys, url, "konto", "oppna", "karin.a", "--som", "Admin")
    assert code == 0 and "öppet igen" in out
    assert authenticate(engine, "karin.a", "ett långt lösenord 42") is not None
    code, _, err = run(capsys, url, "konto", "oppna", "finns.inte")
    assert code == 2 and "inget konto som heter finns.inte" in err
    engine.dispose()
