"""Each intake fact is declared once, in bot/intake/fields.py, and everything else reads it there:
the flow, the record and its schema, the profile, the chat summary, the console and the exports."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from actions.intake import summary_values
from bot.export.view import build_view
from bot.intake.fields import (
    FIELDS,
    Section,
    Shown,
    Skippable,
    in_record_group,
    shown_in,
)
from bot.intake.statuses import (
    DECLARATION_STATUS_LABELS,
    DOCUMENT_STATUS_LABELS,
    DeclarationStatus,
    DocumentStatus,
)
from bot.intake.steps import all_steps
from bot.mail.messages import submission_messages
from bot.names import Response
from bot.profile import DEFAULT_INTAKE_OPTIONAL, SKIPPABLE_INTAKE_FIELDS, load_profile
from bot.record import missing_for_submission, problems, schema
from bot.web.console.collected import collected_sections
from tests.conftest import PROJECT_ROOT
from tests.intake_fixtures import complete_state, record_for

MORA = load_profile("mora")
FIELD_IDS = [f.id for f in FIELDS]


def test_every_field_is_declared_once_with_its_own_label() -> None:
    assert len(set(FIELD_IDS)) == len(FIELD_IDS)
    labels = [f.label for f in FIELDS]
    assert len(set(labels)) == len(labels)


def test_the_flow_asks_exactly_the_declared_fields() -> None:
    state = complete_state(MORA, {"signatory_name": "Bo Ek"})  # someone else: role is asked
    asked = [s.id for s in all_steps(MORA, state) if ":" not in s.id and s.id != "summary"]
    assert asked == FIELD_IDS
    assert set(FIELD_IDS) <= set(Response.INTAKE_QUESTION_KEYS)


def test_the_record_requires_exactly_the_fields_marked_required() -> None:
    required = {f.id for f in FIELDS if f.required}
    assert "wished_start" in required  # always asked and never skippable
    assert not required & SKIPPABLE_INTAKE_FIELDS
    for field_id in FIELD_IDS:
        state = complete_state(MORA)
        state.values[field_id] = None
        assert (field_id in missing_for_submission(MORA, state)) is (field_id in required)


def test_the_profile_may_make_optional_only_what_the_declaration_lets_be_skipped() -> None:
    skippable = {f.id for f in FIELDS if f.skippable is not Skippable.NEVER}
    by_default = tuple(f.id for f in FIELDS if f.skippable is Skippable.BY_DEFAULT)
    assert (skippable, by_default) == (SKIPPABLE_INTAKE_FIELDS, DEFAULT_INTAKE_OPTIONAL)
    assert set(MORA.intake_optional) <= SKIPPABLE_INTAKE_FIELDS


@pytest.mark.parametrize("group", ["organisation", "contact", "initiative"])
def test_the_record_keeps_each_field_where_the_schema_expects_it(group: str) -> None:
    derived = {"contribution_kinds"}  # read out of the contribution, not asked
    declared = {f.record_key for f in in_record_group(group)}
    assert declared | (derived if group == "initiative" else set()) == set(
        schema()["properties"][group]["properties"]
    )
    record = record_for(MORA)
    assert {key: record[group][key] for key in declared} == {
        f.record_key: complete_state(MORA).values[f.id] for f in in_record_group(group)
    }


def test_a_record_stored_without_a_wished_start_is_still_valid_and_readable() -> None:
    record = record_for(MORA)
    record["initiative"]["wished_start"] = None
    assert problems(record) == []
    fields = {f.label: f.value for f in build_view(record).initiative.fields}
    assert fields["Önskad start"] == "Ej angivet"


def test_console_labels_come_from_the_declaration() -> None:
    values: dict[str, Any] = {f.id: f"svar {n}" for n, f in enumerate(FIELDS)}
    values["org_legal_form"] = "stiftelse"
    (section,) = collected_sections({"intake": {"values": values}}, MORA)
    assert [f.label for f in section.fields] == [f.label for f in shown_in(Shown.CONSOLE)]


def test_export_labels_come_from_the_declaration() -> None:
    view = build_view(record_for(MORA))
    for section, shown in (
        (view.organisation, Section.ORGANISATION),
        (view.contact, Section.CONTACT),
        (view.initiative, Section.INITIATIVE),
    ):
        labels = [f.label for f in section.fields if f.label != "Typ av insats"]
        assert labels == [f.label for f in shown_in(Shown.EXPORT, shown)]
    declaration = [f.label for f in view.declaration.fields]
    assert view.declaration.title == "Värdegrundsintyg"
    assert "Intygat av" in declaration and "Roll för den som intygar" in declaration


def _summary_placeholders() -> set[str]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    texts = [domain["responses"][name][0]["text"] for name in Response.INTAKE_SUMMARY_PARTS]
    return set(re.findall(r"\{(\w+)\}", "\n".join(texts)))


def test_the_chat_summary_shows_the_fields_marked_for_it() -> None:
    summary = set(summary_values(MORA, complete_state(MORA)))
    marked = {f.id for f in shown_in(Shown.SUMMARY)}
    assert summary == marked | {"documents", "declaration"}
    assert _summary_placeholders() == summary


def test_stored_status_values_are_the_schemas() -> None:
    document = schema()["properties"]["documents"]["items"]["properties"]["status"]["enum"]
    declaration = schema()["properties"]["declaration"]["properties"]["status"]["enum"]
    assert [s.value for s in DocumentStatus] == document == ["finns", "kommer_senare", "saknas"]
    assert [s.value for s in DeclarationStatus] == declaration == ["signed", "refused"]
    assert set(DOCUMENT_STATUS_LABELS) == set(DocumentStatus)
    assert set(DECLARATION_STATUS_LABELS) == set(DeclarationStatus)


def test_every_status_is_shown_by_its_one_label() -> None:
    state = complete_state(MORA)
    statuses = [state.documents[d.id]["status"] for d in MORA.documents_for("ideell_forening")]
    labels = [DocumentStatus(s).label for s in statuses]
    record = record_for(MORA, state=state)
    view = build_view(record)
    assert [row.status for row in view.documents] == labels
    assert view.declaration.fields[0].value == DeclarationStatus.SIGNED.label
    summary = summary_values(MORA, state)
    assert summary["declaration"].startswith(DeclarationStatus.SIGNED.label.lower() + " av ")
    assert all(f": {label.lower()}" in summary["documents"] for label in labels)
    console = collected_sections({"intake": {"documents": state.documents}}, MORA)[0]
    assert [f.value for f in console.fields] == labels
    later = DocumentStatus.LATER
    _, receipt = submission_messages({**record, "status_history": [], "transcript": []}, MORA)
    assert f"({later.label.lower()})" in receipt.body


def test_a_refused_declaration_reads_the_same_in_the_chat_and_the_export() -> None:
    state = complete_state(MORA, {"declaration": "nej"})
    assert summary_values(MORA, state)["declaration"] == DeclarationStatus.REFUSED.label.lower()
    record = record_for(MORA, state=state)
    assert build_view(record).declaration.fields[0].value == DeclarationStatus.REFUSED.label


def test_an_unknown_status_is_shown_as_stored() -> None:
    assert DocumentStatus.label_for("borttappad") == "borttappad"
    assert DeclarationStatus.label_for(None) == ""
