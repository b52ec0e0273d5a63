"""The intake queue against SQLite and a real PostgreSQL server: same behaviour on both."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import inspect

from bot.intake_queue import migrate, use_cases
from bot.intake_queue.cases import Claim
from bot.intake_queue.repository import CaseNotFound, IntakeQueue
from bot.intake_queue.statuses import Status, TransitionError
from bot.profile import load_profile
from bot.record import build_record, problems
from tests.intake_fixtures import all_yes, complete_state
from tests.postgres import fresh_database

MORA = load_profile("mora")
TRANSCRIPT = [
    {"at": "2026-11-24T10:00:00+00:00", "sender": "user", "text": "Hej! Vi vill lämna in"},
    {"at": "2026-11-24T10:00:01+00:00", "sender": "bot", "text": "Vad heter organisationen?"},
]


@pytest.fixture(params=["sqlite", "postgresql"])
def queue(request, tmp_path) -> IntakeQueue:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'queue.db'}"
    else:
        postgres = request.getfixturevalue("postgres_server")
        url = fresh_database(postgres, f"queue_{uuid.uuid4().hex[:12]}")
    opened = IntakeQueue.open(url)
    yield opened
    opened.engine.dispose()


def submit(queue: IntakeQueue, state=None, moment: datetime | None = None, conversation="c1"):
    state = state or complete_state(MORA)

    def build(reference: str, submitted_at: str) -> dict:
        return build_record(MORA, state, all_yes(MORA), conversation, reference, submitted_at)

    return state, queue.submit(state.key, build, TRANSCRIPT, submitted_at=moment)


def test_migrations_create_the_tables_and_are_idempotent(queue):
    migrate.upgrade(queue.engine)  # a second run changes nothing
    tables = set(inspect(queue.engine).get_table_names())
    assert {"iop_initiatives", "iop_status_history", "iop_alembic_version"} <= tables
    assert {"iop_caseworkers", "iop_handoffs"} <= tables
    assert migrate.is_current(queue.engine)


def test_submit_stores_the_record_with_a_yearly_reference(queue):
    moment = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    _, first = submit(queue, moment=moment)
    _, second = submit(queue, moment=moment)
    assert (first.reference, first.created) == ("IOP-2026-0001", True)
    assert second.reference == "IOP-2026-0002"
    stored = queue.get(first.reference)
    assert problems(stored) == []
    assert stored["organisation"]["orgnr"] == "802424-4413"
    assert stored["contact"]["phone"] == "+46701234567"
    assert stored["status"] == "inkommen"
    assert stored["transcript"] == TRANSCRIPT
    assert stored["status_history"][0]["to_status"] == "inkommen"


def test_a_new_year_in_swedish_time_starts_a_new_sequence(queue):
    _, december = submit(queue, moment=datetime(2026, 12, 31, 22, 30, tzinfo=timezone.utc))
    # 23:30 UTC on New Year's Eve is 00:30 on New Year's Day in Mora.
    _, january = submit(queue, moment=datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert december.reference == "IOP-2026-0001"
    assert january.reference == "IOP-2027-0001"


def test_submitting_the_same_intake_twice_gives_one_record(queue):
    state, first = submit(queue)
    _, again = submit(queue, state=state)
    assert again == type(first)(first.reference, created=False)
    assert len(queue.list_cases()) == 1


def test_concurrent_double_submit_of_one_intake_gives_one_record(queue):
    state = complete_state(MORA)
    results = []

    def worker() -> None:
        results.append(submit(queue, state=state)[1])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.reference for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert len(queue.list_cases()) == 1


def test_concurrent_different_intakes_get_distinct_references(queue):
    results = []

    def worker() -> None:
        results.append(submit(queue)[1])

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.reference for r in results}) == 5
    assert len(queue.list_cases()) == 5


def test_claim_and_status_changes_are_kept_in_the_history(queue):
    _, submission = submit(queue)
    reference = submission.reference
    use_cases.claim_case(queue.engine, Claim(reference, "karin.handlaggare"))
    use_cases.change_status(
        queue.engine, reference, Status.UNDER_BEDOMNING, "karin.handlaggare", "Ser lovande ut"
    )
    use_cases.change_status(
        queue.engine, reference, Status.FORSTA_MOTE, "karin.handlaggare", "Möte 3 dec"
    )
    record = queue.get(reference)
    assert record["assigned_to"] == "karin.handlaggare"
    assert record["status"] == "forsta_mote"
    steps = [
        (h["from_status"], h["to_status"], h["actor"], h["note"]) for h in record["status_history"]
    ]
    assert steps[1:] == [
        ("inkommen", "inkommen", "karin.handlaggare", "Handläggs av karin.handlaggare"),
        ("inkommen", "under_bedomning", "karin.handlaggare", "Ser lovande ut"),
        ("under_bedomning", "forsta_mote", "karin.handlaggare", "Möte 3 dec"),
    ]
    assert problems(record) == []


def test_the_arbetsgang_is_enforced(queue):
    _, submission = submit(queue)
    reference = submission.reference
    with pytest.raises(TransitionError, match="Tillåtna"):
        use_cases.change_status(queue.engine, reference, Status.AVSLUTAD_IOP_TECKNAS, "k", None)
    use_cases.change_status(
        queue.engine, reference, Status.AVSLUTAD_EJ_AKTUELLT, "k", "Passar bättre som bidrag"
    )
    with pytest.raises(TransitionError, match="avslutat"):
        use_cases.change_status(queue.engine, reference, Status.UNDER_BEDOMNING, "k", None)
    assert queue.get(reference)["status"] == "avslutad_ej_aktuellt"


def test_unknown_reference_is_a_clear_error(queue):
    with pytest.raises(CaseNotFound, match="IOP-2026-9999"):
        queue.get("IOP-2026-9999")


def test_list_filters_by_status_and_date(queue):
    submit(queue, moment=datetime(2026, 1, 10, 9, tzinfo=timezone.utc))
    _, march = submit(queue, moment=datetime(2026, 3, 10, 9, tzinfo=timezone.utc))
    use_cases.change_status(queue.engine, march.reference, Status.UNDER_BEDOMNING, "k", None)
    assert [c.reference for c in queue.list_cases(status=Status.UNDER_BEDOMNING)] == [
        march.reference
    ]
    in_march = queue.list_cases(since=date(2026, 3, 1), until=date(2026, 3, 10))
    assert [c.reference for c in in_march] == [march.reference]
    assert len(queue.list_cases(until=date(2026, 2, 1))) == 1


def test_yearly_counts_submissions_by_year_decisions_by_decision_year(queue):
    from bot.intake_queue.repository import YearCounts

    submit(queue, moment=datetime(2025, 5, 1, tzinfo=timezone.utc))
    _, second = submit(queue, moment=datetime(2025, 6, 1, tzinfo=timezone.utc))
    submit(queue, moment=datetime(2026, 6, 1, tzinfo=timezone.utc))
    decided = datetime(2026, 2, 1, tzinfo=timezone.utc)
    use_cases.change_status(
        queue.engine, second.reference, Status.AVSLUTAD_EJ_AKTUELLT, "k", None, at=decided
    )
    assert queue.yearly_counts() == {
        2025: YearCounts(submitted=2),
        2026: YearCounts(submitted=1, not_relevant=1),
    }


def test_the_full_transcript_comes_from_rasas_events_table_when_present(queue):
    _, submission = submit(queue, conversation="conv-42")
    from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

    events = Table(
        "events",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255)),
        Column("type_name", String(255)),
        Column("timestamp", Float),
        Column("data", Text),
    )
    events.create(queue.engine)
    rows = [
        {"event": "user", "text": "Mitt personnummer är 19850312-1234", "timestamp": 1.0},
        {"event": "bot", "text": "Tack!", "timestamp": 2.0},
        {"event": "user", "text": "/affirm", "timestamp": 3.0},
    ]
    with queue.engine.begin() as connection:
        for row in rows:
            connection.execute(
                events.insert().values(
                    sender_id="conv-42",
                    type_name=row["event"],
                    timestamp=row["timestamp"],
                    data=json.dumps(row),
                )
            )
    transcript = queue.get(submission.reference)["transcript"]
    assert [t["text"] for t in transcript] == [
        "Mitt personnummer är ÅÅMMDD-XXXX",
        "Tack!",
        "[knapp] affirm",
    ]
