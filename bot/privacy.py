"""Personal identity numbers never leave the chat unmasked: not in the record, export or report.

Organisation numbers have a third digit of 2 or more (a 'month' no date has), so they are kept;
anything that reads as a date of birth plus four digits is masked.

People write the number in many ways: with a hyphen, an en dash, a non-breaking hyphen, a minus
sign, spaces around the separator, a dot, full-width or other Unicode digits, the century in
front ('1981-12-28-9874'), spaces inside the date ('81 12 28-9874') or a prefix glued on
('pnr-811228-9874'). The text is matched in a normalised copy (NFKC, every dash-like character a
hyphen, invisible format characters left out) and only the number's own span of the original
text is replaced, so the rest of the message keeps its exact characters.
"""

from __future__ import annotations

import re
import unicodedata

MASK = "ÅÅMMDD-XXXX"

# Normalised text: digits are ASCII, dashes are '-', spaces are ' '.
_PERSONAL_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[-+.])"  # not the tail of a longer number ('08-811228…', '2026-12-07')
    r"(?P<century>19|20)?"
    r"(?P<year>\d{2})(?P<inner>[-. ]?)(?P<month>0[1-9]|1[0-2])(?P=inner)(?P<day>\d{2})"
    r"(?P<sep>[ \t]{0,3}[-+.][ \t]{0,3}|[ \t]{1,3})?"
    r"(?P<serial>\d{4})"
    r"(?!\d)(?![-+.]\d)"
)
_DASHES = {"\u2212", "\u2796", "\ufe63", "\uff0d"}  # minus signs; plus every category Pd


def _is_day(day: str) -> bool:
    value = int(day)
    return 1 <= value <= 31 or 61 <= value <= 91  # 61–91: samordningsnummer


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(int(d) for d in digits):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _normalised_char(char: str) -> str:
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category == "Nd":  # full-width, Arabic-Indic, … digits
        return str(unicodedata.decimal(char))
    if category == "Pd" or char in _DASHES:
        return "-"
    if category == "Cf":  # zero-width space, soft hyphen, word joiner: invisible, left out
        return ""
    folded = unicodedata.normalize("NFKC", char)
    if folded.isspace():
        return " "
    if len(folded) == 1 and (unicodedata.category(folded) == "Pd" or folded in _DASHES):
        return "-"
    return folded if folded.isascii() and len(folded) == 1 else char


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as matched, and for each of its characters the index of the original one."""
    if text.isascii():
        return text, list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for normal in _normalised_char(char):
            chars.append(normal)
            origin.append(index)
    return "".join(chars), origin


def _looks_like_phone(match: re.Match[str]) -> bool:
    # 0701234567: Swedish phone numbers start with 0; written as one run of digits they cannot be
    # told from a personal number born 2000–2009. Six digits, a space or hyphen and four digits
    # is how a personal number is written, not a phone number.
    if match.group("century") or not match.group("year").startswith("0"):
        return False
    return not match.group("inner") and not match.group("sep")


def _is_personal_number(match: re.Match[str], keep_phone_numbers: bool) -> bool:
    if not _is_day(match.group("day")):
        return False
    if keep_phone_numbers and _looks_like_phone(match):
        return False
    digits = "".join(match.group(g) for g in ("year", "month", "day", "serial"))
    separator = match.group("sep") or ""
    written_as_one = (
        "-" in separator
        or "+" in separator
        or (match.group("century") is not None and not match.group("inner"))
    )
    return written_as_one or _luhn_valid(digits)


def mask_personal_numbers(text: str, keep_phone_numbers: bool = True) -> str:
    """'Mitt personnummer är 19850312-1234' -> 'Mitt personnummer är ÅÅMMDD-XXXX'.

    Written with a hyphen or plus sign, or with the century and the date in one run, a number
    that reads as a date of birth is masked even if a digit is mistyped; written any other way
    (a dot, a space, no separator, spaces inside the date) the Luhn check must fit too, so
    dates, sums and times are left alone.

    keep_phone_numbers: ten digits starting with 0, written without a separator, are read as a
    phone number. A personal number of someone born 2000–2009 can look the same, so where no
    phone number is expected (the gateway, before anything is stored) pass False: they are then
    masked when the date and the Luhn check fit.
    """
    if not any(char.isdigit() for char in unicodedata.normalize("NFKC", text)):
        return text  # no digit in any script or form: nothing to mask
    normal, origin = normalise(text)
    pieces: list[str] = []
    done = 0
    for match in _PERSONAL_NUMBER.finditer(normal):
        if not _is_personal_number(match, keep_phone_numbers):
            continue
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        pieces.append(text[done:start])
        pieces.append(MASK)
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)
