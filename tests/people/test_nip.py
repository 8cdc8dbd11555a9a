"""NIP and NI PPPK validation, including property-based checks over generated numbers."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from people import nip

TODAY = date(2026, 11, 27)


def build(birth: date, tmt_year: int, tmt_month: int, gender_digit: str, sequence: int) -> str:
    return f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{gender_digit}{sequence:03d}"


def test_printed_form_with_spaces_is_accepted_and_normalised():
    parsed = nip.parse_nip("19860926 201505 1 001", today=TODAY)
    assert parsed.digits == "198609262015051001"
    assert parsed.birth_date == date(1986, 9, 26)
    assert parsed.gender == "L"
    assert parsed.formatted() == "19860926 201505 1 001"


@pytest.mark.parametrize("raw", ["19860926.201505.1.001", "19860926-201505-2-001", " 198609262015052001 "])
def test_dots_dashes_and_padding_are_separators(raw):
    assert len(nip.parse_nip(raw, today=TODAY).digits) == 18


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "kosong"),
        ("1986092620150510", "harus 18 digit"),
        ("19860926201505100A", "hanya boleh berisi angka"),
        ("198602302015051001", "tanggal lahir yang valid"),  # 30 February
        ("198609262015131001", "bulan pengangkatan"),
        ("198609261980051001", "lebih awal dari tanggal lahir"),
        ("198609262030051001", "masa depan"),
        ("198609262015053001", "jenis kelamin"),
        ("198609262015051000", "000"),
        ("203001012050011001", "masa depan"),  # birth in the future
    ],
)
def test_invalid_nips_are_refused_with_a_reason_in_indonesian(raw, fragment):
    with pytest.raises(ValidationError) as excinfo:
        nip.parse_nip(raw, today=TODAY)
    assert any(fragment in message for message in excinfo.value.messages), excinfo.value.messages


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as excinfo:
        nip.parse_nip("198602302015133000", today=TODAY)
    assert len(excinfo.value.messages) == 4  # date, month, gender, sequence


def test_error_messages_are_in_indonesian_by_default():
    with pytest.raises(ValidationError) as excinfo:
        nip.parse_nip("123", today=TODAY)
    assert "18 digit" in excinfo.value.messages[0]
    assert "harus" in excinfo.value.messages[0]


def test_cross_check_against_birth_date_and_gender():
    parsed = nip.parse_nip("198609262015051001", today=TODAY)
    assert nip.cross_check(parsed, birth_date=date(1986, 9, 26), gender="L") == []
    assert len(nip.cross_check(parsed, birth_date=date(1986, 9, 27), gender="P")) == 2


def test_ni_pppk_checks_only_the_verified_parts():
    # Digits 9-14 are not an appointment month for PPPK: "202199" must not be refused.
    parsed = nip.parse_ni_pppk("199001012021992001", today=TODAY)
    assert parsed.gender == "P"
    with pytest.raises(ValidationError):
        nip.parse_ni_pppk("199013012021992001", today=TODAY)  # month 13 of birth


def test_sign_in_detection_does_not_treat_a_nik_as_an_nip():
    assert nip.looks_like_identity_number("19860926 201505 1 001")
    assert not nip.looks_like_identity_number("1571012609860001")  # 16-digit NIK
    assert not nip.looks_like_identity_number("pengajar")


births = st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31))


@st.composite
def valid_nips(draw):
    birth = draw(births)
    earliest = (birth.year, birth.month)
    year = draw(st.integers(min_value=birth.year, max_value=2026))
    month = draw(st.integers(min_value=1, max_value=12))
    if (year, month) < earliest:
        year, month = earliest
    if (year, month) > (2026, 11):
        year, month = 2026, 11
    gender = draw(st.sampled_from("12"))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return build(birth, year, month, gender, sequence)


@given(valid_nips(), st.sampled_from(["", " ", ".", "-"]))
def test_generated_valid_nips_are_accepted_whatever_the_separator(number, separator):
    typed = separator.join([number[:8], number[8:14], number[14], number[15:]])
    parsed = nip.parse_nip(typed, today=TODAY)
    assert parsed.digits == number
    assert parsed.gender == {"1": "L", "2": "P"}[number[14]]


@given(valid_nips(), st.integers(min_value=0, max_value=17), st.sampled_from("ABCxyz/"))
def test_a_non_digit_anywhere_is_refused(number, position, character):
    corrupted = number[:position] + character + number[position + 1 :]
    with pytest.raises(ValidationError):
        nip.parse_nip(corrupted, today=TODAY)


@given(valid_nips(), st.sampled_from("0345678 9"))
def test_a_wrong_gender_digit_is_refused(number, digit):
    if digit == " ":
        digit = "9"
    with pytest.raises(ValidationError):
        nip.parse_nip(number[:14] + digit + number[15:], today=TODAY)


@given(valid_nips(), st.integers(min_value=1, max_value=5))
def test_wrong_length_is_refused(number, cut):
    with pytest.raises(ValidationError):
        nip.parse_nip(number[:-cut], today=TODAY)
    with pytest.raises(ValidationError):
        nip.parse_nip(number + "1" * cut, today=TODAY)


@given(births, st.integers(min_value=1, max_value=400))
def test_appointment_before_birth_is_refused(birth, months_before):
    earlier = birth - timedelta(days=31 * months_before)
    if (earlier.year, earlier.month) >= (birth.year, birth.month) or earlier.year < 1900:
        return
    with pytest.raises(ValidationError):
        nip.parse_nip(build(birth, earlier.year, earlier.month, "1", 1), today=TODAY)
