"""Case statuses, following the arbetsgång in Mora's guideline (seed 004, bilaga "Arbetsgång").

inkommen → under bedömning → första möte → kontroll av organisation → möte med berörda nämnder
och bolag → intern diskussion hos dem → uppföljningsmöte → dialog med berörda förvaltningar
(kommunstyrelseförvaltningen samordnar) → avslutad: avtal tecknat / IOP inte aktuellt.

A case may move forward, skip steps, or be closed as not relevant at any point; an agreement can
only be signed once the berörda have been heard (uppföljningsmöte or the dialogue after it). A
closed case stays closed so the register stays truthful. The stored values of the first seven
statuses are unchanged, so cases stored before the later steps existed stay valid.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    # Definition order is the arbetsgång's order (ORDER below).
    INKOMMEN = "inkommen"
    UNDER_BEDOMNING = "under_bedomning"
    FORSTA_MOTE = "forsta_mote"
    KONTROLL_AV_ORGANISATION = "kontroll_av_organisation"
    MOTE_MED_BERORDA = "mote_med_berorda"
    INTERN_DISKUSSION = "intern_diskussion"
    UPPFOLJNINGSMOTE = "uppfoljningsmote"
    DIALOG_MED_FORVALTNINGAR = "dialog_med_forvaltningar"
    AVSLUTAD_IOP_TECKNAS = "avslutad_iop_tecknas"
    AVSLUTAD_EJ_AKTUELLT = "avslutad_ej_aktuellt"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def closed(self) -> bool:
        return self in CLOSED


LABELS = {
    Status.INKOMMEN: "Inkommen",
    Status.UNDER_BEDOMNING: "Under bedömning",
    Status.FORSTA_MOTE: "Första möte",
    Status.KONTROLL_AV_ORGANISATION: "Kontroll av organisation",
    Status.MOTE_MED_BERORDA: "Möte med berörda nämnder och bolag",
    Status.INTERN_DISKUSSION: "Intern diskussion hos nämnder och bolag",
    Status.UPPFOLJNINGSMOTE: "Uppföljningsmöte",
    Status.DIALOG_MED_FORVALTNINGAR: "Dialog med berörda förvaltningar",
    Status.AVSLUTAD_IOP_TECKNAS: "Avslutad: IOP tecknas",
    Status.AVSLUTAD_EJ_AKTUELLT: "Avslutad: ej aktuellt",
}
ORDER = tuple(Status)
CLOSED = (Status.AVSLUTAD_IOP_TECKNAS, Status.AVSLUTAD_EJ_AKTUELLT)
# The decisions the yearly follow-up counts: "avtal tecknat" and "inte aktuellt".
DECISIONS = CLOSED
# Only after the berörda have been heard may the agreement be signed.
MAY_SIGN_FROM = (Status.UPPFOLJNINGSMOTE, Status.DIALOG_MED_FORVALTNINGAR)


class TransitionError(ValueError):
    """A status change the arbetsgång does not allow; the message says which are allowed."""


def allowed_next(current: Status) -> tuple[Status, ...]:
    """Later open steps (skipping allowed), then the closing statuses that fit."""
    if current.closed:
        return ()
    later = [s for s in ORDER[ORDER.index(current) + 1 :] if not s.closed]
    if current in MAY_SIGN_FROM:
        later.append(Status.AVSLUTAD_IOP_TECKNAS)
    later.append(Status.AVSLUTAD_EJ_AKTUELLT)
    return tuple(later)


def check_transition(current: Status, new: Status) -> None:
    if new not in allowed_next(current):
        options = ", ".join(s.value for s in allowed_next(current)) or "inga (ärendet är avslutat)"
        raise TransitionError(
            f"Kan inte gå från '{current.value}' till '{new.value}'. Tillåtna: {options}."
        )
