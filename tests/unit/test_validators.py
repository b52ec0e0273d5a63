import pytest
from stdnum import luhn

from bot.validators import InvalidValue, normalise_email, normalise_orgnr, normalise_phone


@pytest.mark.parametrize("raw", ["802424-4413", "8024244413", " 802424 4413 "])
def test_valid_orgnr_is_normalised(raw):
    assert normalise_orgnr(raw) == "802424-4413"


def test_orgnr_with_wrong_check_digit_is_rejected_as_checksum():
    with pytest.raises(InvalidValue) as error:
        normalise_orgnr("802424-4414")
    assert error.value.reason == "checksum"


@pytest.mark.parametrize("raw", ["", "80242-44413", "abcdef-ghij", "802424-44133"])
def test_malformed_orgnr_is_rejected_as_format(raw):
    with pytest.raises(InvalidValue) as error:
        normalise_orgnr(raw)
    assert error.value.reason == "format"


def test_every_luhn_valid_orgnr_passes():
    for base in ("556036079", "802009031", "202100543"):
        number = base + luhn.calc_check_digit(base)
        assert normalise_orgnr(number).replace("-", "") == number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("070-123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0250-260 00", "+4625026000"),
    ],
)
def test_swedish_phone_numbers_are_stored_in_e164(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["123", "070", "hej", ""])
def test_invalid_phone_numbers_are_rejected(raw):
    with pytest.raises(InvalidValue):
        normalise_phone(raw)


def test_email_domain_is_lower_cased():
    assert normalise_email(" Anna.Berg@Mora.SE ") == "Anna.Berg@mora.se"


@pytest.mark.parametrize("raw", ["anna", "anna@", "a@b", "anna berg@mora.se", ""])
def test_invalid_email_is_rejected(raw):
    with pytest.raises(InvalidValue):
        normalise_email(raw)
