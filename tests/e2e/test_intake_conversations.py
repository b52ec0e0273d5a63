"""From greeting to a stored initiative over Rasa's REST channel, on SQLite and PostgreSQL.

Every test talks to the real Rasa server and action server; the record is then read back from
the database the action server wrote to and checked field by field.
"""

from __future__ import annotations

import contextlib
import json
import uuid

import pytest
import requests

from bot.cli import main as cli_main
from bot.export.pdf_export import render_pdf
from bot.intake_queue import outbox
from bot.intake_queue.repository import IntakeQueue
from bot.record import problems
from devstack.widget import CONTACT, DOCUMENT_REPLIES, INITIATIVE, ORGANISATION
from tests.e2e.intake_dialogue import (
    DOCUMENTS,
    MORA,
    nobody_available,
    say,
    start_intake,
)
from tests.pdf_text import pdf_text
from tests.text_measures import word_count


def queue_of(stack) -> IntakeQueue:
    return IntakeQueue.open(stack.database_url, upgrade=False)


def answer_all(stack, sender: str, replies: list[str]) -> list[str]:
    last: list[str] = []
    for reply in replies:
        last = stack.texts(sender, reply)
        assert last, f"no answer to {reply!r}"
    return last


def reach_summary(stack, sender: str, declaration: str = "Jag intygar") -> list[str]:
    opening = start_intake(stack, sender)
    assert opening == [
        say("utter_intake_intro"),
        say(
            "utter_intake_privacy_notice",
            controller=MORA.registration.controller,
            dpo_email=MORA.registration.data_protection_officer,
        ),
        say("utter_intake_privacy_notice_records", retention_days=MORA.retention_days),
        say("utter_intake_section_organisation", number=1, total=5),
        say("utter_intake_q_org_name"),
    ]
    answer_all(stack, sender, ORGANISATION + CONTACT + INITIATIVE + DOCUMENT_REPLIES)
    signatory = stack.texts(sender, "/affirm")  # "Ja, det är jag"
    assert signatory[-1] == say(
        "utter_intake_q_declaration", organisation="Föreningen Gemenskap i Mora"
    )
    # Rasa's REST channel sends each paragraph as its own message.
    declaration_shown = "\n".join(signatory[:-1])
    assert "representant för Föreningen Gemenskap i Mora" in declaration_shown
    assert "motarbetar det demokratiska styrelseskicket" in declaration_shown
    return stack.texts(sender, declaration)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_stack(request):
    return request.getfixturevalue("stack" if request.param == "sqlite" else "pg_stack")


def test_full_conversation_ends_with_a_schema_valid_record(any_stack, tmp_path):
    stack, sender = any_stack, uuid.uuid4().hex
    summary = reach_summary(stack, sender)
    assert summary[-1] == say("utter_intake_q_summary")
    assert "E-post: anna.berg@gemenskapmora.se" in "\n".join(summary)
    done = stack.texts(sender, "ja")  # "Ja, skicka in": the summary's yes hands it in
    reference = done[0].split("referensnummer är ")[1].split(" ")[0].rstrip(".")
    assert done[0] == say("utter_intake_submitted", reference=reference)
    assert done[1] == say("utter_verdict_next_steps", next_steps=MORA.next_steps)
    sent = "\n".join(done[2:])
    assert MORA.registration.documents_email in sent and reference in sent
    assert MORA.documents[0].name in sent  # the documents to send are listed

    record = queue_of(stack).get(reference)
    assert problems(record) == []
    assert record["conversation_id"] == sender
    assert record["status"] == "inkommen"
    assert record["organisation"] == {
        "name": "Föreningen Gemenskap i Mora",
        "orgnr": "802424-4413",
        "legal_form": "ideell_forening",
        "member_count": 340,
        "website": None,
    }
    assert record["contact"] == {
        "name": "Anna Berg",
        "role": "ordförande",
        "email": "anna.berg@gemenskapmora.se",
        "phone": "+46701234567",
    }
    initiative = record["initiative"]
    assert initiative["challenge"] == INITIATIVE[0]
    assert initiative["target_group"] == INITIATIVE[2]
    assert initiative["contribution_kinds"] == ["ideell_tid", "lokaler"]
    assert initiative["wished_start"] == "augusti 2027"
    assert initiative["concerned_units"] == "socialförvaltningen"
    assert record["checklist"]["verdict"] == "kan_passa"
    assert {a["answer"] for a in record["checklist"]["answers"]} == {"ja"}
    documents = {d["id"]: d for d in record["documents"]}
    assert documents["stadgar"] == {
        "id": "stadgar",
        "name": MORA.documents[0].name,
        "status": "finns",
        "year": None,  # documents are sent to the kommun's address, quoting the reference
        "delivery": None,
        "link": None,
    }
    assert documents[MORA.documents[1].id]["status"] == "kommer_senare"
    assert len(record["missing_documents"]) == DOCUMENTS - 1
    declaration = record["declaration"]
    assert declaration["status"] == "signed"
    assert declaration["statement"] == "Jag intygar"
    assert declaration["version"] == MORA.value_declaration.version
    assert declaration["signatory"]["name"] == "Anna Berg"
    assert record["privacy_notice"]["version"] == MORA.privacy_notice_version
    # The caseworker's JSON export of the same record validates against the schema.
    exported = tmp_path / f"{reference}.json"
    assert (
        cli_main(
            [
                "--database",
                stack.database_url,
                "exportera",
                reference,
                "--format",
                "json",
                "--ut",
                str(exported),
            ]
        )
        == 0
    )
    assert problems(json.loads(exported.read_text(encoding="utf-8"))) == []
    said = [entry["text"] for entry in record["transcript"]]
    assert "802424-4413" in said
    assert any("Ert referensnummer är" in text for text in said)


def test_wrong_organisation_number_gets_a_clear_answer_and_the_conversation_goes_on(stack, sender):
    start_intake(stack, sender)
    stack.texts(sender, "Mora Byalag")
    assert stack.texts(sender, "802424-4414") == [
        say("utter_intake_invalid_orgnr_checksum"),
        say("utter_intake_q_org_number"),
    ]
    assert stack.texts(sender, "850312-1231")[0] == say("utter_intake_invalid_orgnr_personnummer")
    assert stack.texts(sender, "802424-4413")[-1] == say("utter_intake_q_org_legal_form")


def test_a_question_in_the_middle_is_answered_and_the_question_repeated(stack, sender):
    start_intake(stack, sender)
    replies = stack.texts(sender, "Vad är skillnaden mot föreningsbidrag?")
    assert replies == [say("utter_answer_iop_vs_grant"), say("utter_intake_q_org_name")]


def test_correction_from_the_summary_changes_one_field_and_returns_to_the_summary(stack, sender):
    reach_summary(stack, sender)
    assert stack.texts(sender, "ändra e-post") == [
        say("utter_intake_correcting"),
        say("utter_intake_q_contact_email"),
    ]
    summary = stack.texts(sender, "ny.adress@gemenskapmora.se")
    assert "E-post: ny.adress@gemenskapmora.se" in "\n".join(summary)
    assert summary[-1] == say("utter_intake_q_summary")
    done = stack.texts(sender, "ja")
    reference = done[0].split("referensnummer är ")[1].split(" ")[0].rstrip(".")
    record = queue_of(stack).get(reference)
    assert record["contact"]["email"] == "ny.adress@gemenskapmora.se"
    assert record["contact"]["phone"] == "+46701234567"  # nothing else changed


def test_refusing_the_declaration_is_respected_and_recorded(stack, sender):
    replies = reach_summary(stack, sender, declaration="nej, det kan jag inte intyga")
    assert replies[0] == say("utter_intake_declaration_refused")
    assert "Intyg om värdegrund: inte intygat" in "\n".join(replies)
    done = stack.texts(sender, "ja")
    assert done[-1] == say("utter_intake_submitted_not_signed")
    reference = done[0].split("referensnummer är ")[1].split(" ")[0]
    record = queue_of(stack).get(reference)
    assert record["declaration"]["status"] == "refused"
    assert record["declaration"]["signatory"] is None


def test_a_no_at_the_summary_changes_something_and_stores_nothing(stack, sender):
    reach_summary(stack, sender)
    before = len(queue_of(stack).list_cases())
    replies = stack.texts(sender, "nej")
    assert replies[0] == say("utter_intake_which_field")
    assert replies[-1] == say("utter_intake_q_summary")  # the summary stays open
    assert len(queue_of(stack).list_cases()) == before


def test_a_double_click_on_submit_gives_one_record(stack, sender):
    reach_summary(stack, sender)
    first = stack.texts(sender, "ja")
    reference = first[0].split("referensnummer är ")[1].split(" ")[0].rstrip(".")
    again = stack.texts(sender, "ja")
    assert again == [say("utter_intake_already_submitted", reference=reference)]
    mine = [c for c in queue_of(stack).list_cases() if c.reference == reference]
    assert len(mine) == 1
    # The export reads the transcript from the tracker store, so it has what came after, too.
    transcript = [t["text"] for t in queue_of(stack).get(reference)["transcript"]]
    assert transcript[-1] == say("utter_intake_already_submitted", reference=reference)
    assert sum(r["conversation_id"] == sender for r in _records(stack)) == 1


def test_retry_after_an_action_server_restart_gives_one_record(stack, sender):
    reach_summary(stack, sender)
    stack.actions.stop()
    try:
        with contextlib.suppress(requests.RequestException):
            stack.say(sender, "ja")  # the action server is down: nothing can be submitted
    finally:
        stack.actions.start()
    assert sum(r["conversation_id"] == sender for r in _records(stack)) == 0
    done = stack.texts(sender, "ja")
    assert "referensnummer" in done[0]
    stack.actions.restart()
    reference = done[0].split("referensnummer är ")[1].split(" ")[0]
    assert stack.texts(sender, "ja") == [say("utter_intake_already_submitted", reference=reference)]
    assert sum(r["conversation_id"] == sender for r in _records(stack)) == 1


def test_pause_and_resume_keeps_what_was_filled_in(stack, sender):
    start_intake(stack, sender)
    answer_all(stack, sender, ORGANISATION[:2])
    assert stack.texts(sender, "pausa") == [say("utter_intake_paused")]
    resumed = stack.texts(sender, "fortsätt")
    assert resumed == [say("utter_intake_resume"), say("utter_intake_q_org_legal_form")]


def _records(stack) -> list[dict]:
    queue = queue_of(stack)
    return [queue.get(case.reference) for case in queue.list_cases()]


def test_a_new_session_after_a_break_carries_on_with_the_open_question(stack, sender):
    start_intake(stack, sender)
    stack.texts(sender, ORGANISATION[0])
    stack.texts(sender, "/session_start")  # what Rasa does after an hour of silence
    assert stack.texts(sender, ORGANISATION[1]) == [say("utter_intake_q_org_legal_form")]


def intake_slot(stack, sender: str) -> dict:
    response = requests.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.rasa.token},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["slots"]["intake"]


def test_answers_any_model_may_misread_are_stored_and_only_the_words_leave(stack, sender):
    """Names a trained model has read as stop, start_check or request_human (issue 11): each is
    the answer, whatever this model says; "pausa" pauses, "fortsätt" resumes, and plain words
    reach a person with the answers kept."""
    start_intake(stack, sender)
    assert stack.texts(sender, "Moraparkens vänner") == [say("utter_intake_q_org_number")]
    answer_all(stack, sender, ORGANISATION[1:])
    role_question = say("utter_intake_q_contact_role", organisation="Moraparkens vänner")
    assert stack.texts(sender, "Anna Berg") == [role_question]
    assert stack.texts(sender, "Eva Lunds konsult") == [say("utter_intake_q_contact_email")]
    values = intake_slot(stack, sender)["values"]
    assert values["org_name"] == "Moraparkens vänner"
    assert (values["contact_name"], values["contact_role"]) == ("Anna Berg", "Eva Lunds konsult")

    assert stack.texts(sender, "pausa") == [say("utter_intake_paused")]
    resumed = stack.texts(sender, "fortsätt")
    assert resumed == [say("utter_intake_resume"), say("utter_intake_q_contact_email")]

    handing_over = stack.texts(sender, "jag vill prata med en handläggare")
    assert handing_over[0] in nobody_available()
    assert intake_slot(stack, sender)["values"]["contact_name"] == "Anna Berg"


def test_a_short_answer_with_a_command_word_is_checked_once(stack, sender):
    start_intake(stack, sender)
    check = stack.texts(sender, "Sluta Svälta")
    assert check == [say("utter_check_pause", answer="Sluta Svälta")]
    assert stack.texts(sender, "/inform") == [say("utter_intake_q_org_number")]
    assert intake_slot(stack, sender)["values"]["org_name"] == "Sluta Svälta"


def test_three_nos_end_with_a_received_initiative_that_shows_the_self_assessment(stack, sender):
    """Mora's guideline: every initiative is received; the checklist is a first assessment."""
    stack.texts(sender, "Hej!")
    stack.texts(sender, "jag vill testa om vår idé passar för IOP")
    failed = MORA.criteria[4:7]
    verdict: list[str] = []
    for criterion in MORA.criteria:
        verdict = stack.texts(sender, "nej" if criterion in failed else "ja")
    assert verdict[0] == say("utter_verdict_does_not_fit")
    assert verdict[-1] == say("utter_verdict_options")
    assert all(word_count(message) <= 60 for message in verdict)

    opening = stack.texts(sender, "/start_intake")  # the "Ja, lämna in" button
    assert opening[0] == say("utter_intake_self_assessment_follows")
    answer_all(stack, sender, ORGANISATION + CONTACT + INITIATIVE + DOCUMENT_REPLIES)
    stack.texts(sender, "/affirm")  # "Ja, det är jag"
    assert stack.texts(sender, "Jag intygar")[-1] == say("utter_intake_q_summary")
    done = stack.texts(sender, "ja")
    reference = done[0].split("referensnummer är ")[1].split(" ")[0]

    record = queue_of(stack).get(reference)
    assert problems(record) == []
    assert record["checklist"]["verdict"] == "passar_inte"
    assert record["checklist"]["look_at_first"] == [c.id for c in failed]
    pdf = " ".join(pdf_text(render_pdf(record)))
    assert "Organisationens första bedömning: Passar inte" in pdf
    assert "Titta först på:" in pdf
    queued = outbox.for_case(queue_of(stack).engine, reference)
    [to_registrator] = [m for m in queued if m.recipient == MORA.registration.registrator_email]
    assert "Organisationens första bedömning (checklistan): Passar inte" in to_registrator.body


def test_partner_organisations_each_give_their_number_and_legal_form(stack, sender):
    start_intake(stack, sender)
    answer_all(stack, sender, ORGANISATION[:-1])
    asked = stack.texts(sender, "Röda Korset Mora, Föreningen för barn och unga")
    assert asked[-1] == say("utter_intake_q_partner_orgnr", partner="Röda Korset Mora")
    answer_all(stack, sender, ["802424-4413", "ideell förening", "802424-4413"])
    last = stack.texts(sender, "stiftelse")
    assert say("utter_intake_q_contact_name") in last
    answer_all(stack, sender, CONTACT + INITIATIVE + DOCUMENT_REPLIES)
    stack.texts(sender, "/affirm")
    summary = "\n".join(stack.texts(sender, "Jag intygar"))
    assert "Föreningen för barn och unga (802424-4413, Stiftelse)" in summary
    done = stack.texts(sender, "ja")
    reference = done[0].split("referensnummer är ")[1].split(" ")[0]
    partners = queue_of(stack).get(reference)["partners"]
    assert [(p["name"], p["legal_form"]) for p in partners] == [
        ("Röda Korset Mora", "ideell_forening"),
        ("Föreningen för barn och unga", "stiftelse"),
    ]
