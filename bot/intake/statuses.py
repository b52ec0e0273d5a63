"""The document and declaration statuses an intake stores, each with the one label it is shown by
in the chat, the console, the exports and the mail.

str enums: the value is what the record and its schema store ("finns", "signed", …), so records
stored before the enums existed read the same.
"""

from __future__ import annotations

from enum import Enum


class _StoredStatus(str, Enum):
    """A status the record stores by value and people read by its one label."""

    @property
    def label(self) -> str:
        raise NotImplementedError

    @classmethod
    def label_for(cls, value: object) -> str:
        """The label of a stored value; an unknown value is shown as is rather than hidden."""
        try:
            return cls(value).label
        except ValueError:
            return "" if value is None else str(value)


class DocumentStatus(_StoredStatus):
    """What the organisation said of one document; the value is what the record stores."""

    EXISTS = "finns"
    LATER = "kommer_senare"
    MISSING = "saknas"

    @property
    def label(self) -> str:
        return DOCUMENT_STATUS_LABELS[self]

    @property
    def delivered(self) -> bool:
        """The organisation sends it: now or later (so a delivery and a link may be kept)."""
        return self is not DocumentStatus.MISSING


DOCUMENT_STATUS_LABELS = {
    DocumentStatus.EXISTS: "Finns",
    DocumentStatus.LATER: "Kommer senare",
    DocumentStatus.MISSING: "Saknas",
}


class DeclarationStatus(_StoredStatus):
    """Whether the value declaration was given in the chat; the value is what the record stores.

    The kommun's text says the representative "intygar": a click in the chat by a contact person
    nobody has verified is an attestation, not a signature, so it is never called signed.
    """

    SIGNED = "signed"  # the stored value predates the wording; it means "intygat"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return DECLARATION_STATUS_LABELS[self]


DECLARATION_STATUS_LABELS = {
    DeclarationStatus.SIGNED: "Intygat",
    DeclarationStatus.REFUSED: "Inte intygat",
}
