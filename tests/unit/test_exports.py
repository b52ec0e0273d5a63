"""Exports of one initiative (JSON, HTML, PDF, text); the yearly report: test_report_years.py.

The record is built through the real intake parser and record builder, with a status history and
a transcript added the way `IntakeQueue.get()` adds them.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from markupsafe import escape

from bot.export.html_export import render_html
from bot.export.json_export import export_json
from bot.export.pdf_export import REPLACEMENT, clean, render_pdf
from bot.export.text_export import render_text
from bot.export.view import build_view
from bot.profile import load_profile
from bot.record import RecordError, problems
from tests.intake_fixtures import record_for
from tests.pdf_text import pdf_pages, pdf_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LONG_URL = "https://www.gemenskapmora.se/dokument/" + "verksamhetsberattelse" * 12
LONG_LINE = (
    "Här kommer ett långt svar om vad vi gör i Östnor och Färnäs: "
    + "vi träffas, fikar och går promenader tillsammans med de äldre, " * 8
    + f"och allt står på {LONG_URL} om ni vill läsa mer."
)
TRANSCRIPT = [
    {
        "at": "2026-03-01T09:00:00+00:00",
        "sender": "bot",
        "text": "Hej! Jag är IOP-lotsen.\nVad heter er förening?",
    },
    {"at": "2026-03-01T09:00:20+00:00", "sender": "user", "text": "Föreningen Gemenskap i Mora"},
    {
        "at": "2026-03-01T09:01:00+00:00",
        "sender": "user",
        "text": "Vi testar <script>alert('åäö')</script> & \"citat\" här",
    },
    {"at": "2026-03-01T09:02:00+00:00", "sender": "user", "text": LONG_LINE},
    {"at": "2026-03-01T09:03:00+00:00", "sender": "bot", "text": "Tack så mycket! 👍"},
]
HISTORY = [
    {
        "from_status": None,
        "to_status": "inkommen",
        "actor": "IOP-lotsen",
        "at": "2026-03-01T09:05:00+00:00",
        "note": "Inlämnad via chatten",
    },
    {
        "from_status": "inkommen",
        "to_status": "under_bedomning",
        "actor": "Karin Ödman",
        "at": "2026-03-02T08:00:00+00:00",
        "note": "Läser ansökan",
    },
]


@pytest.fixture
def record() -> dict[str, Any]:
    record = record_for(load_profile("mora"), submitted_at="2026-03-01T09:05:00+00:00")
    # Details kept from intakes made before documents were asked in one step.
    record["documents"][0].update(year="2025", delivery="e-post")
    record["documents"][1].update(delivery="lank", link=LONG_URL)
    record["status"] = "under_bedomning"
    record["assigned_to"] = "Karin Ödman"
    record["status_history"] = copy.deepcopy(HISTORY)
    record["transcript"] = copy.deepcopy(TRANSCRIPT)
    assert problems(record) == []
    return record


def squash(text: str) -> str:
    """Without whitespace: PDF lines break where the text had a space (or inside a long URL)."""
    return re.sub(r"\s+", "", text)


def pdf_body(pdf: bytes) -> str:
    """The page text without the running header (2 fragments) and footer (3 fragments), so text
    that runs over a page break reads on unbroken."""
    return squash(" ".join(f for page in pdf_pages(pdf) for f in page[2:-3]))


# -- JSON ----------------------------------------------------------------------------------------


def test_json_export_is_the_record_with_readable_swedish(record: dict[str, Any]) -> None:
    text = export_json(record)
    assert json.loads(text) == record
    assert "Östnor" in text and "\\u00d6" not in text
    assert text.startswith('{\n  "schema_version": 2')


def test_json_export_refuses_a_record_that_breaks_the_schema(record: dict[str, Any]) -> None:
    record["organisation"]["orgnr"] = "12345"
    record["transcript"][0]["sender"] = "someone"
    with pytest.raises(RecordError) as error:
        export_json(record)
    assert "organisation/orgnr" in str(error.value)
    assert "transcript/0/sender" in str(error.value)


# -- the shared view -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdict", "words"),
    [
        ("kan_passa", "Kan passa"),
        ("kan_passa_med_fragetecken", "Kan passa, med frågetecken"),
        ("passar_inte", "Passar inte"),
        ("ej_klar", "Ej klar"),
    ],
)
def test_verdict_is_shown_in_words(record: dict[str, Any], verdict: str, words: str) -> None:
    record["checklist"]["verdict"] = verdict
    assert build_view(record).verdict == words
    assert f'<span class="verdict">{words}</span>' in render_html(record)


def test_view_uses_labels_not_ids(record: dict[str, Any]) -> None:
    record["checklist"]["answers"][0]["answer"] = "vet_inte"
    record["checklist"]["answers"][1]["answer"] = None
    view = build_view(record)
    assert view.status == "Under bedömning"
    assert dict((f.label, f.value) for f in view.organisation.fields)["Organisationsform"] == (
        "Ideell förening"
    )
    assert [r.answer for r in view.checklist[:3]] == ["Vet inte", "Ej besvarad", "Ja"]
    assert [(d.status, d.delivery) for d in view.documents[:3]] == [
        ("Finns", "E-post"),
        ("Kommer senare", "Länk"),
        ("Saknas", "–"),
    ]
    assert view.missing_documents[0].endswith("(kommer senare)")
    assert [u.speaker for u in view.transcript[:2]] == ["IOP-lotsen", "Organisationen"]
    # Stored in UTC, shown in Swedish time (UTC+1 in March).
    assert view.transcript[0].at == "2026-03-01 10:00"


def test_declaration_fingerprint_is_checked_against_the_text(record: dict[str, Any]) -> None:
    fields = {f.label: f.value for f in build_view(record).declaration.fields}
    assert fields["Status"] == "Intygat"
    assert fields["Sätt"] == "I chatten (inte underskrivet)"
    assert fields["Intygat av"] == "Anna Berg"
    assert fields["SHA-256 för texten"] == record["declaration"]["text_sha256"]
    assert fields["Kontroll"] == "Intygets text stämmer med kontrollsumman."
    record["declaration"]["text"] += " Ändrad i efterhand."
    fields = {f.label: f.value for f in build_view(record).declaration.fields}
    assert fields["Kontroll"].startswith("VARNING: intygets text stämmer inte")


# -- HTML ----------------------------------------------------------------------------------------


def test_html_has_every_section_and_the_case_header(record: dict[str, Any]) -> None:
    page = render_html(record)
    for heading in (
        "Organisation",
        "Kontaktperson",
        "Initiativet",
        "Checklistan",
        "Handlingar",
        "Värdegrundsintyg",
        "Personuppgifter",
        "Statushistorik",
        "Samtalet",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert "IOP-2026-0001" in page and "Mora kommun" in page
    assert "<dd>Under bedömning</dd>" in page and "<dd>2026-03-01</dd>" in page
    assert "Ideell förening" in page and "Saknas eller kommer senare:" in page
    assert "Karin Ödman" in page and "Läser ansökan" in page
    assert f'<a href="{LONG_URL}">' in page


def test_html_escapes_what_the_organisation_wrote(record: dict[str, Any]) -> None:
    page = render_html(record)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;åäö&#39;)&lt;/script&gt; &amp; &#34;citat&#34;" in page
    record["organisation"]["name"] = "<b>Fet</b> förening"
    assert "&lt;b&gt;Fet&lt;/b&gt; förening" in render_html(record)


def test_html_keeps_the_whole_transcript_and_declaration_with_line_breaks(
    record: dict[str, Any],
) -> None:
    page = render_html(record)
    for entry in TRANSCRIPT:
        assert f'<td class="text">{escape(entry["text"])}</td>' in page
    declaration = record["declaration"]["text"]
    assert "\n   a) Kön" in declaration
    assert f'<div class="declaration">{escape(declaration)}</div>' in page
    assert re.search(r"\.declaration \{[^}]*white-space: pre-wrap", page)
    assert re.search(r"\.text \{ white-space: pre-wrap", page)


def test_html_is_self_contained(record: dict[str, Any]) -> None:
    page = render_html(record)
    assert re.search(r"<(link|script|img|iframe)\b", page) is None
    assert "@import" not in page and "url(" not in page


def test_html_for_a_refused_declaration(record: dict[str, Any]) -> None:
    record["declaration"].update(status="refused", signatory=None, statement=None)
    assert problems(record) == []
    page = render_html(record)
    assert '<td class="text">Inte intygat</td>' in page
    assert "Intygat av" not in page


# -- PDF -----------------------------------------------------------------------------------------


def test_pdf_contains_the_full_transcript_and_declaration(record: dict[str, Any]) -> None:
    pdf = render_pdf(record)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_body(pdf)
    for entry in TRANSCRIPT[:-1]:
        assert squash(entry["text"]) in text
    assert squash(record["declaration"]["text"]) in text
    assert squash(record["declaration"]["text_sha256"]) in text
    assert squash(LONG_URL) in text  # the document link, wrapped inside a narrow column


def test_pdf_has_the_sections_labels_and_every_page_numbered(record: dict[str, Any]) -> None:
    fragments = pdf_text(render_pdf(record))
    for expected in (
        "Föreningen Gemenskap i Mora",
        "Ideell förening",
        "Organisationens första bedömning: Kan passa",
        "Saknas eller kommer senare:",
        "I chatten (inte underskrivet)",
        "Statushistorik",
        "Samtalet",
        "Organisationen · 2026-03-01 10:00",
        "IOP-lotsen · 2026-03-01 10:00",
    ):
        assert expected in fragments


def test_pdf_pages_have_the_reference_on_top_and_numbers_at_the_foot(
    record: dict[str, Any],
) -> None:
    pages = pdf_pages(render_pdf(record))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page[:2] == ["IOP-initiativ · Mora kommun", "IOP-2026-0001"]
        assert page[-3].startswith("Utskrivet ") and page[-3].endswith("Alla tider i svensk tid")
        assert page[-2:] == [f"Sida {number} av ", str(len(pages))]


def test_pdf_embeds_the_unicode_font(record: dict[str, Any]) -> None:
    pdf = render_pdf(record)
    assert pdf.count(b"/FontFile2") == 2  # regular and bold, embedded
    assert b"DejaVuSansBook" in pdf and b"DejaVuSansBold" in pdf


def test_pdf_marks_characters_the_font_cannot_draw(record: dict[str, Any]) -> None:
    assert clean("Tack 👍\tja\r\nnej\x07") == f"Tack {REPLACEMENT}    ja\nnej"
    fragments = pdf_text(render_pdf(record))
    assert f"Tack så mycket! {REPLACEMENT}" in fragments


def test_pdf_survives_unbroken_text_everywhere(record: dict[str, Any]) -> None:
    unbroken = "x" * 3000
    record["organisation"]["name"] = "Förening" + "y" * 300
    record["initiative"]["challenge"] = unbroken[:2000]
    record["transcript"].append(
        {"at": "2026-03-01T09:04:00+00:00", "sender": "user", "text": unbroken}
    )
    record["status_history"][1]["note"] = "z" * 500
    text = pdf_body(render_pdf(record))
    assert unbroken in text and unbroken[:2000] + "Syfte" in text and "z" * 500 in text


# -- text for the terminal -----------------------------------------------------------------------


def test_text_shows_main_fields_status_and_history(record: dict[str, Any]) -> None:
    text = render_text(record)
    assert text.startswith("IOP-2026-0001  Föreningen Gemenskap i Mora\nStatus: Under bedömning")
    assert "Organisationsnummer:" in text and "802424-4413" in text
    assert "Inkommen → Under bedömning (Karin Ödman) – Läser ansökan" in text
    assert "Samtalet: 5 meddelanden" in text and "exportera IOP-2026-0001 --format pdf" in text
    assert max(len(line) for line in text.splitlines()) <= 100
