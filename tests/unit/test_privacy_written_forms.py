"""Personal identity numbers are masked however they are written (issue 13, item 3): dashes of
every kind, spaces around the separator, dots, full-width digits, the century in front, spaces in
the date, a prefix glued on; and the rest of the text keeps its exact characters. Ordinary
numbers (dates, phone numbers, sums, organisationsnummer) are left alone."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intake.parsing import InvalidValue, Reply, parse
from bot.intake.steps import Kind, Section, Step
from bot.privacy import MASK, mask_personal_numbers
from bot.profile import load_profile
from bot.web.masking import mask_for_storage, mask_payload

MORA = load_profile("mora")
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


@pytest.mark.parametrize(
    "written",
    [
        "811228-9874",
        "811228–9874",  # en dash
        "811228\u20119874",  # non-breaking hyphen
        "811228\u22129874",  # minus sign
        "811228 - 9874",
        "811228\u00a0-\u00a09874",  # no-break spaces
        "1981-12-28-9874",
        "81 12 28-9874",
        "811228.9874",
        "811228 9874",
        "8112289874",
        "198112289874",
        "19811228-9874",
        "19811228–9874",
        "811228+9874",  # 100 years or older
        "８１１２２８－９８７４",  # full-width
        "811228\u200b-9874",  # a zero-width space inside
        "811288-9871",  # samordningsnummer (day + 60)
        "811288–9871",
    ],
)
def test_every_written_form_is_masked(written: str) -> None:
    text = f"Hej! Mitt personnummer är {written}, tack."
    assert mask_personal_numbers(text) == f"Hej! Mitt personnummer är {MASK}, tack."
    assert mask_for_storage(text, None, MORA) == f"Hej! Mitt personnummer är {MASK}, tack."


def test_a_prefix_glued_on_is_kept_and_the_number_masked() -> None:
    assert mask_personal_numbers("pnr-811228-9874") == f"pnr-{MASK}"
    assert mask_personal_numbers("(pnr:811228–9874)") == f"(pnr:{MASK})"


def test_only_the_number_is_replaced_the_rest_keeps_its_characters() -> None:
    text = "Ｅｖａ – född 811228–9874 – ringer ０７０–１２３ ４５ ６７"
    assert mask_personal_numbers(text) == f"Ｅｖａ – född {MASK} – ringer ０７０–１２３ ４５ ６７"


@pytest.mark.parametrize(
    "text",
    [
        "möte 2026-12-07",
        "möte 2026-12-07 kl 14.30",
        "möte 2026-12-07 1430",  # a date and a time, Luhn does not fit
        "ring 070-123 45 67",
        "ring 070–123 45 67",
        "ring ０７０１２３４５６７",  # phone-like, at the default (keep phone numbers)
        "summan är 125 000 kr",
        "budget 1 250 000,50 kr",
        "orgnr 802424-4413",
        "orgnr 802424–4413",
        "orgnr １６８０２４２４－４４１３",
        "4 st à 1 200 kr",
        "version 1.2.3",
        "811228-98745",  # five digits after: not a personal number
    ],
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask_personal_numbers(text) == text


def test_luhn_decides_where_the_written_form_is_ambiguous() -> None:
    assert mask_personal_numbers("811228.9874") == MASK  # check digit fits
    assert mask_personal_numbers("811228.9875") == "811228.9875"  # a number with decimals
    assert mask_personal_numbers("81 12 28 9875") == "81 12 28 9875"
    assert mask_personal_numbers("811228-9875") == MASK  # hyphen: a mistyped number is masked


def test_the_parser_rejects_every_personnummer_at_the_organisation_number_question() -> None:
    """So the organisationsnummer question needs no exception from masking."""
    step = Step("org_number", Section.ORGANISATION, Kind.ORGNR)
    for written in ("811228-9874", "19811228-9874", "8112289874", "811288-9871"):
        with pytest.raises(InvalidValue):
            parse(step, Reply(written), date(2026, 12, 7))
    assert parse(step, Reply("802424-4413"), date(2026, 12, 7)) == "802424-4413"


# -- generated: Luhn-valid personnummer and samordningsnummer in every written form -------------


def _check_digit(nine: str) -> str:
    total = 0
    for index, digit in enumerate(int(d) for d in nine):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return str((10 - total % 10) % 10)


@st.composite
def personal_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 7)))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    date_part = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    serial = f"{draw(st.integers(0, 999)):03d}"
    nine = date_part + serial
    last4 = serial + _check_digit(nine)
    yy, mm, dd = date_part[:2], date_part[2:4], date_part[4:]
    century = str(born.year // 100)
    dash = draw(st.sampled_from(["-", "–", "\u2011", "\u2010", "\u2212", "—", "－"]))
    form = draw(
        st.sampled_from(
            [
                f"{yy}{mm}{dd}{dash}{last4}",
                f"{yy}{mm}{dd} {dash} {last4}",
                f"{yy}{mm}{dd}.{last4}",
                f"{yy}{mm}{dd} {last4}",
                f"{yy}{mm}{dd}{last4}",
                f"{century}{yy}{mm}{dd}{last4}",
                f"{century}{yy}{mm}{dd}{dash}{last4}",
                f"{century}{yy}{dash}{mm}{dash}{dd}{dash}{last4}",
                f"{yy} {mm} {dd}{dash}{last4}",
                f"{yy}{dash}{mm}{dash}{dd}{dash}{last4}",
            ]
        )
    )
    if draw(st.booleans()):
        form = form.translate(FULL_WIDTH)
    return form


WORDS = st.sampled_from(
    ["Hej", "mitt", "personnummer", "är", "pnr:", "pnr-", "(", "tack.", "och", "född", "nr\n"]
)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(
    number=personal_numbers(),
    before=st.lists(WORDS, max_size=4),
    after=st.lists(WORDS, max_size=4),
    phone_question=st.booleans(),
)
def test_no_generated_personal_number_survives(
    number: str, before: list[str], after: list[str], phone_question: bool
) -> None:
    prefix = " ".join(before)
    glue = "" if prefix.endswith(("-", ":", "(")) else " "
    text = f"{prefix}{glue if prefix else ''}{number} {' '.join(after)}".strip()
    callback = {
        "active_loop": {"name": "callback_form"},
        "slots": {"requested_slot": "callback_contact"},
    }
    stored = mask_for_storage(text, callback if phone_question else None, MORA)
    plain = unicodedata.normalize("NFKC", number)
    if phone_question and plain.isdigit() and len(plain) == 10 and plain.startswith("0"):
        return  # ten digits from 0 answering a phone question: a phone number (kept, by design)
    assert MASK in stored
    assert number not in stored
    assert all(c not in "0123456789０１２３４５６７８９" for c in stored.replace(MASK, ""))
    assert MASK in mask_payload(f'/inform{{"text": "{text}"}}')


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_alone_is_never_masked(day: date) -> None:
    for text in (day.isoformat(), f"den {day:%Y-%m-%d}.", f"{day:%d/%m/%Y}", f"{day:%y%m%d}"):
        assert mask_personal_numbers(text, keep_phone_numbers=False) == text
