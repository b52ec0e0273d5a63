"""Personal identity numbers never leave the chat unmasked: not in the record, export or report.

Organisation numbers have a third digit of 2 or more (a 'month' no date has), so they are kept;
anything that reads as a date of birth plus four digits is masked.
"""

from __future__ import annotations

import re

MASK = "ÅÅMMDD-XXXX"
_PERSONAL_NUMBER = re.compile(
    r"(?<![\d-])(?:19|20)?(\d{2})(0[1-9]|1[0-2])(\d{2})[-+\s]?(\d{4})(?![\d-])"
)


def _is_day(day: str) -> bool:
    value = int(day)
    return 1 <= value <= 31 or 61 <= value <= 91  # 61–91: samordningsnummer


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(int(d) for d in digits):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _looks_like_phone(raw: str) -> bool:
    # 0701234567: Swedish phone numbers start with 0; written as one run of digits they cannot be
    # told from a personal number born 2000–2009. Six digits, a space or hyphen and four digits
    # is how a personal number is written, not a phone number.
    return raw.startswith("0") and raw.isdigit()


def mask_personal_numbers(text: str, keep_phone_numbers: bool = True) -> str:
    """'Mitt personnummer är 19850312-1234' -> 'Mitt personnummer är ÅÅMMDD-XXXX'.

    keep_phone_numbers: ten digits starting with 0, written without a separator, are read as a
    phone number. A personal number of someone born 2000–2009 can look the same, so where no
    phone number is expected (the gateway, before anything is stored) pass False: they are then
    masked when the date and the Luhn check fit.
    """

    def replace(match: re.Match[str]) -> str:
        raw = match.group(0)
        digits = "".join(match.groups())
        written_as_one = "-" in raw or "+" in raw or len(raw.replace(" ", "")) >= 12
        plausible = written_as_one or _luhn_valid(digits)
        phone = keep_phone_numbers and _looks_like_phone(raw)
        if _is_day(match.group(3)) and plausible and not phone:
            return MASK
        return raw

    return _PERSONAL_NUMBER.sub(replace, text)
