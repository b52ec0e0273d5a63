"""Case statuses, following the arbetsgång in Mora's guideline (seed 004).

inkommen → under bedömning → första möte → kontroll av organisation → dialog med berörda
förvaltningar → avslutad (IOP tecknas / ej aktuellt). A case may move forward, skip steps, or be
closed as not relevant at any point; a closed case stays closed so the register stays truthful.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    INKOMMEN = "inkommen"
    UNDER_BEDOMNING = "under_bedomning"
    FORSTA_MOTE = "forsta_mote"
    KONTROLL_AV_ORGANISATION = "kontroll_av_organisation"
    DIALOG_MED_FORVALTNINGAR = "dialog_med_forvaltningar"
    AVSLUTAD_IOP_TECKNAS = "avslutad_iop_tecknas"
    AVSLUTAD_EJ_AKTUELLT = "avslutad_ej_aktuellt"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def closed(self) -> bool:
        return self in (Status.AVSLUTAD_IOP_TECKNAS, Status.AVSLUTAD_EJ_AKTUELLT)


LABELS = {
    Status.INKOMMEN: "Inkommen",
    Status.UNDER_BEDOMNING: "Under bedömning",
    Status.FORSTA_MOTE: "Första möte",
    Status.KONTROLL_AV_ORGANISATION: "Kontroll av organisation",
    Status.DIALOG_MED_FORVALTNINGAR: "Dialog med berörda förvaltningar",
    Status.AVSLUTAD_IOP_TECKNAS: "Avslutad: IOP tecknas",
    Status.AVSLUTAD_EJ_AKTUELLT: "Avslutad: ej aktuellt",
}
ORDER = tuple(Status)


class TransitionError(ValueError):
    """A status change the arbetsgång does not allow; the message says which are allowed."""


def allowed_next(current: Status) -> tuple[Status, ...]:
    if current.closed:
        return ()
    if current is Status.DIALOG_MED_FORVALTNINGAR:
        return (Status.AVSLUTAD_IOP_TECKNAS, Status.AVSLUTAD_EJ_AKTUELLT)
    later = ORDER[ORDER.index(current) + 1 :]
    # An IOP can only be signed after the dialogue with the förvaltningar.
    return tuple(s for s in later if s is not Status.AVSLUTAD_IOP_TECKNAS)


def check_transition(current: Status, new: Status) -> None:
    if new not in allowed_next(current):
        options = ", ".join(s.value for s in allowed_next(current)) or "inga (ärendet är avslutat)"
        raise TransitionError(
            f"Kan inte gå från '{current.value}' till '{new.value}'. Tillåtna: {options}."
        )
