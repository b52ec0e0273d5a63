"""The initiative record: built from a finished intake, valid against the versioned schema."""

from __future__ import annotations

import copy

import pytest

from bot.assessment import Answer
from bot.intake.state import IntakeState
from bot.profile import load_profile
from bot.record import RecordError, build_record, problems, schema, validate_record
from tests.intake_fixtures import all_yes, complete_state, record_for

MORA = load_profile("mora")


def test_a_complete_intake_gives_a_schema_valid_record_field_by_field():
    record = record_for(MORA, reference="IOP-2026-0007")
    assert problems(record) == []
    assert record["reference"] == "IOP-2026-0007"
    assert record["kommun"] == {"id": "mora", "name": "Mora kommun"}
    assert record["profile_version"] == MORA.version
    assert record["organisation"] == {
        "name": "Föreningen Gemenskap i Mora",
        "orgnr": "802424-4413",
        "legal_form": "ideell_forening",
        "member_count": 340,
        "website": "https://www.gemenskapmora.se",
    }
    assert record["contact"]["email"] == "Anna.Berg@gemenskapmora.se"
    assert record["initiative"]["contribution_kinds"] == ["ideell_tid", "lokaler"]
    assert record["checklist"]["verdict"] == "kan_passa"
    assert len(record["checklist"]["answers"]) == len(MORA.criteria)
    assert record["declaration"]["signatory"] == {
        "name": "Anna Berg",
        "role": "ordförande",
        "organisation": "Föreningen Gemenskap i Mora",
    }


def test_missing_documents_are_listed_and_the_member_count_is_not_a_document():
    record = record_for(MORA)
    first, second, *rest = record["documents"]
    assert (first["status"], second["status"]) == ("finns", "kommer_senare")
    assert all(d["status"] == "saknas" and d["delivery"] is None for d in rest)
    assert record["missing_documents"] == [d["id"] for d in [second, *rest]]
    assert "medlemsantal" not in [d["id"] for d in record["documents"]]
    assert record["organisation"]["member_count"] == 340


def test_a_stiftelse_record_lists_its_own_documents():
    record = record_for(MORA, state=complete_state(MORA, overrides={"org_legal_form": "stiftelse"}))
    names = [d["name"] for d in record["documents"]]
    assert names[0].startswith("Stiftelseförordnande")
    assert "Årsmötesprotokoll" not in names
    assert record["organisation"]["member_count"] is None


def test_a_refused_declaration_is_in_the_record_without_a_signatory():
    state = complete_state(MORA, overrides={"declaration": "nej"})
    record = record_for(MORA, state=state)
    assert record["declaration"]["status"] == "refused"
    assert record["declaration"]["signatory"] is None


def test_a_dont_know_answer_gives_the_open_verdict():
    answers = {**all_yes(MORA), MORA.criteria[6].id: Answer.UNSURE}
    record = record_for(MORA, answers=answers)
    assert record["checklist"]["verdict"] == "kan_passa_med_fragetecken"
    assert record["checklist"]["answers"][6]["answer"] == "vet_inte"


def test_an_unfinished_intake_cannot_become_a_record():
    with pytest.raises(RecordError, match="org_name"):
        build_record(
            MORA, IntakeState(), all_yes(MORA), "c", "IOP-2026-0001", "2026-11-24T10:00:00+00:00"
        )


def test_the_record_holds_the_notice_shown_not_a_consent():
    record = record_for(MORA)
    assert "consent" not in record
    assert record["privacy_notice"]["version"] == MORA.privacy_notice_version
    assert record["schema_version"] == 2


def test_the_declaration_says_it_was_attested_in_the_chat_not_signed():
    declaration = record_for(MORA)["declaration"]
    assert declaration["method"] == "intygat_i_chatten"
    assert declaration["signatory"]["name"] == "Anna Berg"
    assert declaration["version"] == MORA.value_declaration.version
    assert len(declaration["text_sha256"]) == 64


def test_a_version_1_record_is_still_valid_against_its_own_schema():
    record = record_for(MORA)
    old = {k: v for k, v in record.items() if k not in ("privacy_notice", "partners")}
    old["schema_version"] = 1
    old["consent"] = {
        "given": True,
        "at": "2026-11-24T10:00:00+00:00",
        "privacy_notice_version": "1",
    }
    del old["checklist"]["look_at_first"]
    del old["declaration"]["method"]
    assert validate_record(old) is old
    with pytest.raises(RecordError, match="consent"):
        validate_record({**old, "schema_version": 2})


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("organisation", "orgnr"), "8024244413"),
        (("contact", "phone"), "070-123 45 67"),
        (("reference",), "IOP-26-1"),
        (("status",), "klar"),
        (("declaration", "text_sha256"), "abc"),
    ],
)
def test_the_schema_rejects_malformed_values(path, bad):
    record = copy.deepcopy(record_for(MORA))
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = bad
    assert problems(record), f"{'/'.join(path)}={bad!r} should be invalid"


def test_a_signed_declaration_needs_a_signatory_in_the_schema():
    record = copy.deepcopy(record_for(MORA))
    record["declaration"]["signatory"] = None
    assert problems(record)


def test_schema_file_is_versioned_and_declares_its_draft():
    assert schema()["$id"].endswith("initiative-record.v2.json")
    assert schema()["properties"]["schema_version"] == {"const": 2}
    assert schema(1)["properties"]["schema_version"] == {"const": 1}
