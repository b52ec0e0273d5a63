"""SMTP settings from the environment, so a kommun's IT configures mail without code.

IOP_SMTP_HOST unset means "no mail server yet": messages wait in the outbox and the operator is
told so; nothing is lost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TRUE = ("1", "true", "ja", "yes", "on")


class MailSettingsError(ValueError):
    """The settings cannot work (Swedish message for the operator)."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str | None = None  # the From address
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_environment(cls) -> MailSettings:
        env = os.environ
        port_text = env.get("IOP_SMTP_PORT", "587").strip() or "587"
        try:
            port = int(port_text)
        except ValueError:
            raise MailSettingsError(
                f"IOP_SMTP_PORT måste vara ett tal, inte '{port_text}'."
            ) from None
        return cls(
            host=env.get("IOP_SMTP_HOST", "").strip() or None,
            port=port,
            user=env.get("IOP_SMTP_USER") or None,
            password=env.get("IOP_SMTP_PASSWORD") or None,
            starttls=env.get("IOP_SMTP_STARTTLS", "1").strip().lower() in TRUE,
            sender=env.get("IOP_MAIL_FROM", "").strip() or None,
        )

    def check(self) -> None:
        """Raise MailSettingsError when a configured server cannot be used as set."""
        if not self.configured:
            return
        if not self.sender or "@" not in self.sender:
            raise MailSettingsError(
                "IOP_MAIL_FROM saknas eller är ingen e-postadress (avsändaren, t.ex. "
                "iop-lotsen@kommun.se)."
            )
        if self.user and not self.password:
            raise MailSettingsError("IOP_SMTP_USER är satt men IOP_SMTP_PASSWORD saknas.")
