"""Identity numbers of ASN: NIP (PNS) and NI PPPK, parsed and validated as docs/domain.md says."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

SEPARATORS = re.compile(r"[\s.\-]+")
GENDER_MALE = "L"
GENDER_FEMALE = "P"
GENDER_BY_DIGIT = {"1": GENDER_MALE, "2": GENDER_FEMALE}


@dataclass(frozen=True)
class IdentityNumber:
    digits: str
    birth_date: date
    gender: str  # "L" or "P"
    appointment_year: int
    appointment_month: int | None  # None for NI PPPK, whose layout is not verified

    def formatted(self) -> str:
        """The printed form, e.g. ``19860926 201505 1 001``."""
        return format_nip(self.digits)


def format_nip(digits: str) -> str:
    """18 stored digits in their printed form, ``19860926 201505 1 001``; anything else as it is."""
    if not digits or len(digits) != 18:
        return digits or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def normalise(raw: str) -> str:
    """Drop spaces, dots and dashes, the separators people type or copy from printed documents."""
    return SEPARATORS.sub("", raw or "")


def _birth_date(digits: str) -> date | None:
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _check_shape(digits: str, errors: list[str]) -> bool:
    if not digits:
        errors.append(_("The number is empty."))
        return False
    if not digits.isdigit():
        errors.append(_("The number may contain only digits (spaces, dots and dashes are allowed)."))
        return False
    if len(digits) != 18:
        errors.append(_("The number must be 18 digits long; this one has %(count)d.") % {"count": len(digits)})
        return False
    return True


def parse_nip(raw: str, *, today: date | None = None) -> IdentityNumber:
    """Parse a PNS NIP; raise ``ValidationError`` listing every problem found."""
    today = today or timezone.localdate()
    digits = normalise(raw)
    errors: list[str] = []
    if not _check_shape(digits, errors):
        raise ValidationError(errors, code="invalid_nip")
    birth = _birth_date(digits)
    if birth is None:
        errors.append(_("Digits 1-8 must be a real date of birth (YYYYMMDD)."))
    elif birth > today:
        errors.append(_("The date of birth in digits 1-8 is in the future."))
    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_month <= 12:
        errors.append(_("Digits 13-14 must be the month of appointment (01-12)."))
    else:
        if (tmt_year, tmt_month) > (today.year, today.month):
            errors.append(_("The appointment date (TMT CPNS, digits 9-14) is in the future."))
        if birth is not None and (tmt_year, tmt_month) < (birth.year, birth.month):
            errors.append(_("The appointment date (TMT CPNS, digits 9-14) is before the date of birth."))
    if digits[14] not in GENDER_BY_DIGIT:
        errors.append(_("Digit 15 must be the gender: 1 for male, 2 for female."))
    if digits[15:] == "000":
        errors.append(_("The sequence number (digits 16-18) cannot be 000."))
    if errors:
        raise ValidationError(errors, code="invalid_nip")
    return IdentityNumber(digits, birth, GENDER_BY_DIGIT[digits[14]], tmt_year, tmt_month)


def parse_ni_pppk(raw: str, *, today: date | None = None) -> IdentityNumber:
    """Parse an NI PPPK. Its layout is unverified, so check length, digits, birth date, gender."""
    today = today or timezone.localdate()
    digits = normalise(raw)
    errors: list[str] = []
    if not _check_shape(digits, errors):
        raise ValidationError(errors, code="invalid_ni_pppk")
    birth = _birth_date(digits)
    if birth is None:
        errors.append(_("Digits 1-8 must be a real date of birth (YYYYMMDD)."))
    elif birth > today:
        errors.append(_("The date of birth in digits 1-8 is in the future."))
    if digits[14] not in GENDER_BY_DIGIT:
        errors.append(_("Digit 15 must be the gender: 1 for male, 2 for female."))
    if errors:
        raise ValidationError(errors, code="invalid_ni_pppk")
    return IdentityNumber(digits, birth, GENDER_BY_DIGIT[digits[14]], int(digits[8:12]), None)


def parse_identity(raw: str, *, employment_type: str, today: date | None = None) -> IdentityNumber:
    """Parse the identity number that fits the employment type ("PNS" or "PPPK")."""
    if employment_type == "PPPK":
        return parse_ni_pppk(raw, today=today)
    return parse_nip(raw, today=today)


def cross_check(number: IdentityNumber, *, birth_date: date | None = None, gender: str | None = None) -> list[str]:
    """Messages for every disagreement between the number and the stated birth date and gender."""
    errors = []
    if birth_date and birth_date != number.birth_date:
        errors.append(
            _("The date of birth %(given)s does not match the number, which says %(encoded)s.")
            % {"given": birth_date.isoformat(), "encoded": number.birth_date.isoformat()}
        )
    if gender and gender != number.gender:
        errors.append(_("The gender does not match digit 15 of the number."))
    return errors


def looks_like_identity_number(raw: str) -> bool:
    """True when the input, once separators are dropped, is 18 digits (a sign-in with a NIP)."""
    digits = normalise(raw)
    return len(digits) == 18 and digits.isdigit()
