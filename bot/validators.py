"""Validators for the identifiers users type: organisationsnummer, e-mail, Swedish phone numbers.

Each returns the normalised value or raises InvalidValue, so the dialogue can say exactly what is
wrong and the record always stores one canonical form.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr as stdnum_orgnr

_ORGNR = re.compile(r"^(?:16)?(\d{6})[-\s]?(\d{4})$")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]{2,}$")


class InvalidValue(ValueError):
    """A user-supplied value that fails validation; `reason` is a short machine-readable code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_orgnr(value: str) -> str:
    """'8024244413', '802424-4413' or '16802424-4413' -> '802424-4413', Luhn-checked."""
    match = _ORGNR.match((value or "").strip())
    if not match:
        raise InvalidValue("format")
    digits = match.group(1) + match.group(2)
    try:
        stdnum_orgnr.validate(digits)
    except StdnumError as error:
        raise InvalidValue("checksum") from error
    return stdnum_orgnr.format(digits)


def normalise_email(value: str) -> str:
    """Trim and lower-case the domain; reject anything that cannot be an address."""
    candidate = (value or "").strip()
    if not _EMAIL.match(candidate):
        raise InvalidValue("format")
    local, domain = candidate.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalise_phone(value: str) -> str:
    """A Swedish (or international) number in E.164: '070-123 45 67' -> '+46701234567'."""
    try:
        number = phonenumbers.parse(value or "", "SE")
    except phonenumbers.NumberParseException as error:
        raise InvalidValue("format") from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue("invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
