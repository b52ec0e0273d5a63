"""Personal identity numbers are masked; case statuses follow the arbetsgång."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.intake_queue.statuses import Status, TransitionError, allowed_next, check_transition
from bot.privacy import MASK, mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mitt pnr är 19850312-1234.", f"Mitt pnr är {MASK}."),
        ("850312-1231", MASK),
        ("8503121231", MASK),  # no hyphen, but the check digit fits
        ("samordningsnr 850372-1234", f"samordningsnr {MASK}"),
    ],
)
def test_personal_identity_numbers_are_masked(text, expected):
    assert mask_personal_numbers(text) == expected


@pytest.mark.parametrize("text", ["orgnr 802424-4413", "ring 0701234567", "möte 2025-03-14"])
def test_organisation_numbers_phones_and_dates_are_kept(text):
    assert mask_personal_numbers(text) == text


@given(st.text(alphabet="abc åäö0123456789-", max_size=60))
def test_masking_never_grows_digits(text):
    masked = mask_personal_numbers(text)
    assert sum(c.isdigit() for c in masked) <= sum(c.isdigit() for c in text)


def test_the_arbetsgang_moves_forward_and_closes():
    assert allowed_next(Status.INKOMMEN)[0] is Status.UNDER_BEDOMNING
    assert Status.AVSLUTAD_IOP_TECKNAS not in allowed_next(Status.INKOMMEN)
    assert allowed_next(Status.DIALOG_MED_FORVALTNINGAR) == (
        Status.AVSLUTAD_IOP_TECKNAS,
        Status.AVSLUTAD_EJ_AKTUELLT,
    )
    assert allowed_next(Status.AVSLUTAD_IOP_TECKNAS) == ()
    with pytest.raises(TransitionError):
        check_transition(Status.FORSTA_MOTE, Status.INKOMMEN)
    assert Status.DIALOG_MED_FORVALTNINGAR.label == "Dialog med berörda förvaltningar"


def test_the_later_steps_of_the_arbetsgang():
    """Seed 004: meeting with the berörda, their internal discussion, a follow-up meeting."""
    assert allowed_next(Status.KONTROLL_AV_ORGANISATION) == (
        Status.MOTE_MED_BERORDA,
        Status.INTERN_DISKUSSION,
        Status.UPPFOLJNINGSMOTE,
        Status.DIALOG_MED_FORVALTNINGAR,
        Status.AVSLUTAD_EJ_AKTUELLT,
    )
    # An agreement only after the berörda have been heard; "ej aktuellt" at any time.
    for status in Status:
        if status.closed:
            continue
        options = allowed_next(status)
        assert Status.AVSLUTAD_EJ_AKTUELLT in options
        signs = status in (Status.UPPFOLJNINGSMOTE, Status.DIALOG_MED_FORVALTNINGAR)
        assert (Status.AVSLUTAD_IOP_TECKNAS in options) is signs
    assert allowed_next(Status.UPPFOLJNINGSMOTE) == (
        Status.DIALOG_MED_FORVALTNINGAR,
        Status.AVSLUTAD_IOP_TECKNAS,
        Status.AVSLUTAD_EJ_AKTUELLT,
    )
    with pytest.raises(TransitionError, match="Tillåtna: uppfoljningsmote"):
        check_transition(Status.INTERN_DISKUSSION, Status.MOTE_MED_BERORDA)
    # The values stored before the new steps existed are unchanged.
    assert [s.value for s in Status if s not in LATER_STEPS] == [
        "inkommen",
        "under_bedomning",
        "forsta_mote",
        "kontroll_av_organisation",
        "dialog_med_forvaltningar",
        "avslutad_iop_tecknas",
        "avslutad_ej_aktuellt",
    ]


LATER_STEPS = (Status.MOTE_MED_BERORDA, Status.INTERN_DISKUSSION, Status.UPPFOLJNINGSMOTE)
