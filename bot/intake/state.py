"""Everything collected in one intake, as a plain dict that fits in one Rasa slot.

Kept free of Rasa so the record builder, the tests and the action server share one shape.
Nothing is ever dropped: a correction overwrites one value, a skip stores None.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.clock import now_utc_iso
from bot.intake.statuses import DeclarationStatus


@dataclass
class IntakeState:
    # Created once per intake; the queue stores it with a unique constraint, so a retried or
    # double-clicked submit can never create a second record.
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    started_at: str = field(default_factory=now_utc_iso)
    values: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    answered: list[str] = field(default_factory=list)
    declaration: dict[str, Any] | None = None
    # When the information notice on personal data was shown (GDPR art. 13): the legal basis is
    # the kommun's task in the public interest (art. 6.1 e), so no consent is asked for.
    privacy_notice: dict[str, Any] | None = None
    # A step the user asked to change; asked next, then the intake carries on where it was.
    override: str | None = None
    reference: str | None = None
    # Sections whose heading has been shown, and whether the declaration's text has been shown.
    announced: list[str] = field(default_factory=list)
    declaration_shown: bool = False
    # Unreadable replies in a row; after two the bot offers a caseworker.
    misses: int = 0

    @classmethod
    def from_slot(cls, raw: Any) -> IntakeState | None:
        if not isinstance(raw, dict) or not raw.get("key"):
            return None
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_slot(self) -> dict[str, Any]:
        return asdict(self)

    def is_answered(self, step_id: str) -> bool:
        return step_id in self.answered

    def mark_answered(self, step_id: str) -> None:
        if step_id not in self.answered:
            self.answered.append(step_id)

    def unmark(self, step_id: str) -> None:
        if step_id in self.answered:
            self.answered.remove(step_id)

    @property
    def submitted(self) -> bool:
        return self.reference is not None

    @property
    def declaration_refused(self) -> bool:
        refused = DeclarationStatus.REFUSED
        return bool(self.declaration) and self.declaration.get("status") == refused
