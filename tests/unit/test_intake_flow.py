"""The intake without Rasa: order of questions, validation, skips, corrections, declaration."""

from __future__ import annotations

import pytest

from bot.intake.flow import Result, apply_reply, correction_target, declaration_text
from bot.intake.parsing import SKIP, Reply, parse
from bot.intake.state import IntakeState
from bot.intake.steps import Kind, Step, all_steps, next_step
from bot.names import Response
from bot.profile import load_profile
from bot.record import build_record
from tests.intake_fixtures import FIELD_REPLIES, all_yes, complete_state

MORA = load_profile("mora")


def answer(state: IntakeState, text: str, intent: str | None = None):
    step = next_step(MORA, state)
    return step, apply_reply(MORA, state, step, Reply(text, intent))


def test_questions_come_in_order_organisation_contact_initiative_documents_declaration():
    state = IntakeState()
    asked = []
    for _ in range(10):
        step, outcome = answer(state, FIELD_REPLIES[next_step(MORA, state).id])
        asked.append(step.id)
        assert outcome.result in (Result.STORED, Result.SKIPPED)
    assert asked == [
        "org_name",
        "org_number",
        "org_legal_form",
        "org_members",
        "org_website",
        "partners",
        "contact_name",
        "contact_role",
        "contact_email",
        "contact_phone",
    ]
    assert next_step(MORA, state).id == "challenge"


def test_all_documents_are_asked_in_one_step_and_only_the_rest_may_come_later():
    state = IntakeState()
    [existing] = [s for s in all_steps(MORA, state) if s.offered]
    names = [name for _, _, name in existing.offered]
    assert names == [d.name for d in MORA.documents if d.answered_by is None]
    assert "Uppgift om medlemsantal" not in names  # the member count is asked as a field
    apply_reply(MORA, state, existing, Reply("1, 3"))
    later = [s for s in all_steps(MORA, state) if s.offered][1]
    assert [number for number, _, _ in later.offered] == [2, 4, 5, 6, 7]
    apply_reply(MORA, state, later, Reply("2"))
    statuses = {doc_id: detail["status"] for doc_id, detail in state.documents.items()}
    assert statuses["stadgar"] == "finns" and statuses["arsmotesprotokoll"] == "finns"
    assert statuses["verksamhetsbeskrivning"] == "kommer_senare"
    assert statuses["revisionsberattelse"] == "saknas"


def test_when_all_documents_exist_nothing_more_is_asked_about_them():
    state = IntakeState()
    [existing] = [s for s in all_steps(MORA, state) if s.offered]
    apply_reply(MORA, state, existing, Reply("alla"))
    assert [s.id for s in all_steps(MORA, state) if s.offered] == [existing.id]


def test_a_stiftelse_is_asked_for_its_stiftelseforordnande_and_no_members():
    state = IntakeState(values={"org_legal_form": "stiftelse"})
    steps = all_steps(MORA, state)
    assert "org_members" not in [s.id for s in steps]
    [existing] = [s for s in steps if s.offered]
    names = [name for _, _, name in existing.offered]
    assert names[0].startswith("Stiftelseförordnande")
    assert "Årsmötesprotokoll" not in names


def test_a_wrong_organisation_number_is_rejected_with_its_reason():
    state = IntakeState()
    answer(state, "Mora IK")
    for text, reason in [
        ("802424-4414", "checksum"),
        ("vet inte riktigt", "format"),
        ("850312-1231", "personnummer"),
    ]:
        step, outcome = answer(state, text)
        assert (step.id, outcome.result, outcome.reason) == ("org_number", Result.INVALID, reason)
    assert "org_number" not in state.values
    _, outcome = answer(state, "vårt nummer är 8024244413")
    assert outcome.result is Result.STORED
    assert state.values["org_number"] == "802424-4413"


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (Kind.EMAIL, "det är Anna@Exempel.SE tack", "Anna@exempel.se"),
        (Kind.PHONE, "070-123 45 67", "+46701234567"),
        (Kind.PHONE, "+46 250 260 00", "+4625026000"),
        (Kind.COUNT, "ungefär 1 200 medlemmar", 1200),
        (Kind.URL, "www.moraik.se", "https://www.moraik.se"),
        (Kind.LEGAL_FORM, "vi är en stiftelse", "stiftelse"),
        (Kind.LEGAL_FORM, "Ideell forening", "ideell_forening"),
        (Kind.DECLARATION, "Jag intygar", True),
        (Kind.DECLARATION, "nej, jag intygar inte", False),
    ],
)
def test_answers_are_read_and_normalised(kind, text, expected):
    assert parse(Step("x", None, kind), Reply(text)) == expected  # type: ignore[arg-type]


def test_optional_questions_can_be_skipped_required_ones_cannot():
    state = IntakeState()
    for text in ("Mora IK", "802424-4413", "ideell förening"):
        answer(state, text)
    step, outcome = answer(state, "hoppa över")  # members: optional in Mora's profile
    assert (step.id, outcome.result) == ("org_members", Result.SKIPPED)
    assert state.values["org_members"] is None
    state2 = IntakeState()
    step, outcome = answer(state2, "hoppa över")  # the organisation's name is required
    assert step.id == "org_name"
    assert outcome.result is Result.INVALID


def test_a_button_payload_is_never_stored_as_text():
    state = IntakeState()
    _, outcome = answer(state, "/start_check", "start_check")
    assert outcome.result is Result.INVALID
    assert state.values == {}


def test_change_command_jumps_to_the_field_and_then_back_to_the_summary():
    state = complete_state(MORA)
    state.unmark("summary")
    step, outcome = answer(state, "ändra e-post")
    assert step.id == "summary"
    assert (outcome.result, outcome.target) == (Result.CORRECTING, "contact_email")
    assert next_step(MORA, state).id == "contact_email"
    answer(state, "ny.adress@exempel.se")
    assert state.values["contact_email"] == "ny.adress@exempel.se"
    assert next_step(MORA, state).id == "summary"


def test_at_the_summary_naming_the_field_is_enough_and_no_asks_which_field():
    state = complete_state(MORA)
    state.unmark("summary")
    assert answer(state, "nej")[1].result is Result.WHICH_FIELD
    assert answer(state, "telefonnummer")[1].target == "contact_phone"


def test_organisationsnummer_is_not_mistaken_for_phone_nummer():
    state = complete_state(MORA)
    assert correction_target(MORA, state, "ändra organisationsnummer", False) == "org_number"
    assert correction_target(MORA, state, "ändra stadgar", False) == "doc:existing"


def test_a_long_answer_starting_with_andra_is_an_answer_not_a_command():
    state = complete_state(MORA, overrides={})
    text = "Ändra synen på äldre i målgruppen och i hela Mora kommun"
    assert correction_target(MORA, state, text, False) is None


def test_changing_the_documents_asks_which_exist_and_then_which_come_later_again():
    state = complete_state(MORA)
    state.unmark("summary")
    _, outcome = answer(state, "ändra handlingar")
    assert outcome.target == "doc:existing"
    assert next_step(MORA, state).id == "doc:existing"
    answer(state, "inga")
    assert next_step(MORA, state).id == "doc:later"


def test_signing_records_version_and_the_hash_of_the_exact_text_shown():
    import hashlib

    state = complete_state(MORA)
    shown = declaration_text(MORA, state)
    assert "Föreningen Gemenskap i Mora" in shown
    assert "{organisation}" not in shown
    assert state.declaration["status"] == "signed"
    assert state.declaration["version"] == MORA.value_declaration.version
    assert state.declaration["text_sha256"] == hashlib.sha256(shown.encode()).hexdigest()
    assert state.values["signatory_name"] == "Anna Berg"  # "ja, det är jag"
    assert state.values["signatory_role"] == "ordförande"


def test_refusing_the_declaration_signs_nothing_and_the_intake_goes_on():
    state = complete_state(MORA, overrides={"declaration": "nej"})
    assert state.declaration["status"] == "refused"
    assert state.declaration["statement"] is None
    assert next_step(MORA, state) is None  # the summary was confirmed: ready to hand in


def test_skip_marker_is_distinct_from_a_stored_value():
    assert parse(Step("org_website", None, Kind.URL, optional=True), Reply("hoppa över")) is SKIP


def test_state_survives_the_slot_round_trip():
    state = complete_state(MORA)
    again = IntakeState.from_slot(state.to_slot())
    assert again == state
    assert IntakeState.from_slot(None) is None
    assert IntakeState.from_slot({"unexpected": 1}) is None


def test_every_summary_label_names_its_own_field_for_a_correction():
    """At the summary the user may type a label ("Målgrupp") to change that field."""
    import re

    from tests.e2e.texts import DOMAIN

    template = "\n".join(
        DOMAIN["responses"][part][0]["text"] for part in Response.INTAKE_SUMMARY_PARTS
    )
    state = complete_state(MORA)
    pairs = re.findall(r"(?:^|\n)([^:\n{]+): \{(\w+)\}", template)
    assert len(pairs) >= 15
    for label, field in pairs:
        if field in ("documents", "declaration"):
            continue
        assert correction_target(MORA, state, label, at_summary=True) == field, label


@pytest.mark.parametrize(
    ("reply", "signatory"),
    [
        ("ja, det är jag", "Anna Berg"),
        ("Ja jag skriver under", "Anna Berg"),
        ("japp", "Anna Berg"),
        ("Ja förening", "Ja förening"),
        ("Ja Young Kim", "Ja Young Kim"),
        ("ja sara lind", "ja sara lind"),
    ],
)
def test_only_a_plain_yes_makes_the_contact_person_the_signatory(reply, signatory):
    state = complete_state(MORA, overrides={"signatory_name": reply})
    assert state.values["signatory_name"] == signatory


def test_partner_organisations_are_named_then_each_gives_number_and_legal_form():
    state = complete_state(
        MORA, overrides={"partners": "Röda Korset Mora, Föreningen för barn och unga"}
    )
    assert [p["name"] for p in state.values["partners"]] == [
        "Röda Korset Mora",
        "Föreningen för barn och unga",
    ]
    record = build_record(
        MORA, state, all_yes(MORA), "c", "IOP-2026-0001", "2026-11-24T10:00:00+00:00"
    )
    assert record["partners"][0] == {
        "name": "Röda Korset Mora",
        "orgnr": "802424-4413",
        "legal_form": "ideell_forening",
    }


@pytest.mark.parametrize("reply", ["nej", "Bara vi", "hoppa över", "Nej tack"])
def test_no_partners_is_a_plain_no(reply):
    state = complete_state(MORA, overrides={"partners": reply})
    assert state.values["partners"] == []
    assert not [s for s in all_steps(MORA, state) if s.id.startswith("partner:")]


def test_an_organisation_called_nej_till_vald_is_a_partner():
    state = complete_state(MORA, overrides={"partners": "Nej till våld Mora"})
    assert [p["name"] for p in state.values["partners"]] == ["Nej till våld Mora"]


def test_handing_in_takes_at_most_25_messages_as_the_bot_announces():
    """From "lämna in" to the reference, documents-later path: about twenty short answers."""
    state = complete_state(MORA)  # one document exists, one comes later, no partners
    # "lämna in", then one reply per question; the signatory's role is not asked when the
    # contact person ("Ja, det är jag") gives the declaration.
    replies = [step for step in state.answered if step != "signatory_role"]
    messages = 1 + len(replies)
    assert 20 <= messages <= 25
    from tests.e2e.texts import DOMAIN

    assert "ett tjugotal" in DOMAIN["responses"]["utter_verdict_offer_intake"][0]["text"]
