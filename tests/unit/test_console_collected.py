"""The handoff's collected data as the caseworker reads it: statements and Swedish labels."""

from __future__ import annotations

from bot.profile import load_profile
from bot.web.console.collected import collected_sections

MORA = load_profile("mora")


def test_checklist_and_intake_are_labelled_in_the_order_asked() -> None:
    first, second = MORA.criteria[0], MORA.criteria[1]
    document = MORA.documents[0]
    collected = {
        "checklist": {second.id: "vet_inte", first.id: "ja"},
        "intake": {
            "values": {
                "contact_email": "a@b.se",
                "org_name": "Mora IK",
                "org_legal_form": "ideell_forening",
            },
            "documents": {document.id: {"status": "kommer_senare"}},
            "reference": None,
        },
        "unexpected": "kept",
    }
    sections = collected_sections(collected, MORA)
    assert [s.title for s in sections] == [
        "Checklistan",
        "Initiativet hittills",
        "Handlingar",
        "Övrigt",
    ]
    checklist, intake, documents, other = sections
    assert [(f.label, f.value) for f in checklist.fields] == [
        (first.statement, "Ja"),
        (second.statement, "Vet inte"),
    ]
    assert [(f.label, f.value) for f in intake.fields] == [
        ("Organisationens namn", "Mora IK"),
        ("Organisationsform", "Ideell förening"),
        ("E-post", "a@b.se"),
    ]
    assert documents.fields[0].label == document.name
    assert documents.fields[0].value != "kommer_senare"
    assert [(f.label, f.value) for f in other.fields] == [("unexpected", "kept")]


def test_nothing_collected_gives_no_sections() -> None:
    assert collected_sections({}, MORA) == []
