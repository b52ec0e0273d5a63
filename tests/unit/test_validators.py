import pytest
from hypothesis import given
from hypothesis import strategies as st
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


# --- Properties (hypothesis) -------------------------------------------------------------------

_nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(
    lambda d: int(d[2]) >= 2
)


@given(_nine_digits, st.sampled_from(["", "-", " "]), st.booleans())
def test_any_luhn_valid_orgnr_is_accepted_in_every_spelling(nine, separator, century):
    digits = nine + luhn.calc_check_digit(nine)
    raw = ("16" if century else "") + digits[:6] + separator + digits[6:]
    assert normalise_orgnr(raw) == f"{digits[:6]}-{digits[6:]}"


@given(_nine_digits, st.integers(min_value=1, max_value=9))
def test_any_wrong_check_digit_is_rejected(nine, offset):
    wrong = (int(luhn.calc_check_digit(nine)) + offset) % 10
    with pytest.raises(InvalidValue) as error:
        normalise_orgnr(f"{nine[:6]}-{nine[6:]}{wrong}")
    assert error.value.reason == "checksum"


@given(st.text(alphabet="0123456789", min_size=7, max_size=8))
def test_swedish_mobile_numbers_normalise_to_e164_and_are_stable(rest):
    number = "070" + rest[:7]
    normalised = normalise_phone(number)
    assert normalised == "+4670" + rest[:7]
    assert normalise_phone(normalised) == normalised


@given(
    st.from_regex(r"[a-z0-9._%+-]{1,20}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{1,15}\.[a-z]{2,6}", fullmatch=True),
)
def test_email_addresses_keep_their_local_part_and_lower_case_their_domain(local, domain):
    assert normalise_email(f" {local}@{domain.upper()} ") == f"{local}@{domain}"


@given(st.text(max_size=40).filter(lambda t: "@" not in t))
def test_text_without_an_at_sign_is_never_an_email(text):
    with pytest.raises(InvalidValue):
        normalise_email(text)
