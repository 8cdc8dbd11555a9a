"""Validating roster rows with the rules of ``ASNProfile.clean`` and ``people.nip``, without the database."""

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from people import nip as nip_rules
from people.ranks import PANGKAT_BY_GOLONGAN, PPPK_GRADES, EmploymentType, Gender, JabatanType
from people.roster.columns import (
    MAX_LENGTHS,
    REQUIRED_COLUMNS,
    RosterRecord,
    RowError,
    Table,
    cell_shown,
    cell_text,
    header_key,
    is_blank,
)

SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
GOLONGAN_PATTERN = re.compile(r"^(IV|III|II|I|[1-4])\s*[/.\-\s]?\s*([A-E])$")
GOLONGAN_IN_TEXT = re.compile(r"\b(IV|III|II|I)\s*/\s*([A-E])\b")
ARABIC_TO_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}
GENDER_WORDS = {
    "l": Gender.MALE, "lakilaki": Gender.MALE, "pria": Gender.MALE,
    "p": Gender.FEMALE, "perempuan": Gender.FEMALE, "wanita": Gender.FEMALE,
}  # fmt: skip
EMPLOYMENT_WORDS = {"pns": EmploymentType.PNS, "pppk": EmploymentType.PPPK, "p3k": EmploymentType.PPPK}
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-.]{5,30}$")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def _jabatan_lookup() -> dict[str, str]:
    lookup = {}
    for choice in JabatanType:
        lookup[header_key(choice.value)] = choice.value
        for language in ("en", settings.LANGUAGE_CODE):
            with translation.override(language):
                lookup[header_key(str(choice.label))] = choice.value
    return lookup


def parse_date(value: Any) -> date | None:
    """A date from an XLSX date cell, an Excel serial number, or text in one of ``DATE_FORMATS``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None
        return converted.date() if isinstance(converted, datetime) else converted
    text = cell_text(value)
    text = re.sub(r"[ T]00:00(:00)?$", "", text)  # "1986-09-26 00:00:00" from a date copied as text
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def normalise_golongan(value: Any) -> str | None:
    text = cell_text(value).upper()
    match = GOLONGAN_PATTERN.match(text) or GOLONGAN_IN_TEXT.search(text)
    if not match:
        return None
    code = f"{ARABIC_TO_ROMAN.get(match.group(1), match.group(1))}/{match.group(2).lower()}"
    return code if code in PANGKAT_BY_GOLONGAN else None


def normalise_pppk_grade(value: Any) -> str | None:
    text = cell_text(value).upper()
    if text.isdigit() and 1 <= int(text) <= len(PPPK_GRADES):
        return PPPK_GRADES[int(text) - 1]
    return text if text in PPPK_GRADES else None


class RowCleaner:
    """Validates rows one by one with the rules of ``ASNProfile.clean`` and ``people.nip``."""

    def __init__(self, columns: Iterable[str]):
        self.columns = set(columns)
        self.jabatan = _jabatan_lookup()
        self.today = timezone.localdate()
        # With a required column missing (reported once, in row 1) rows are checked but not kept.
        self.complete = all(name in self.columns for name in REQUIRED_COLUMNS)

    def clean(self, row: int, values: Mapping[str, Any]) -> tuple[RosterRecord, list[RowError]]:
        errors: list[RowError] = []

        def error(column, message, raw=None):
            errors.append(RowError(row, column, message, cell_shown(values.get(column) if raw is None else raw)))

        def limited_text(column):
            text = cell_text(values.get(column))
            limit = MAX_LENGTHS.get(column)
            if limit and len(text) > limit:
                error(
                    column,
                    _("At most %(limit)d characters; this has %(count)d.") % {"limit": limit, "count": len(text)},
                )
            return text

        def required_text(column):
            if column in self.columns and not cell_text(values.get(column)):
                error(column, _("This cell is required."))
            return limited_text(column)

        def optional_text(column):
            return (limited_text(column) or None) if column in self.columns else None

        employment_raw = cell_text(values.get("jenis_kepegawaian"))
        employment_type = EMPLOYMENT_WORDS.get(header_key(employment_raw))
        if "jenis_kepegawaian" in self.columns and employment_type is None:
            if employment_raw:
                error("jenis_kepegawaian", _("Write PNS or PPPK."))
            else:
                error("jenis_kepegawaian", _("This cell is required."))

        gender_raw = cell_text(values.get("jenis_kelamin"))
        gender = GENDER_WORDS.get(header_key(gender_raw))
        if "jenis_kelamin" in self.columns and gender is None:
            error("jenis_kelamin", _("Write L (male) or P (female).") if gender_raw else _("This cell is required."))

        birth_raw = values.get("tanggal_lahir")
        birth_date = parse_date(birth_raw) if not is_blank(birth_raw) else None
        if "tanggal_lahir" in self.columns and birth_date is None:
            if is_blank(birth_raw):
                error("tanggal_lahir", _("This cell is required."))
            else:
                error("tanggal_lahir", _("Not a date. Write it as YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY."))

        number = self._clean_nip(values.get("nip"), employment_type, error)
        if number is not None:
            if birth_date is not None:
                for message in nip_rules.cross_check(number, birth_date=birth_date):
                    error("tanggal_lahir", message)
            if gender is not None:
                for message in nip_rules.cross_check(number, gender=gender):
                    error("jenis_kelamin", message)

        full_name = required_text("nama_lengkap")
        jabatan_name = required_text("nama_jabatan")
        unit_code = required_text("kode_unit")
        birth_place = optional_text("tempat_lahir")

        jabatan_raw = cell_text(values.get("jenis_jabatan"))
        jabatan_type = self.jabatan.get(header_key(jabatan_raw))
        if "jenis_jabatan" in self.columns and jabatan_type is None:
            if jabatan_raw:
                error(
                    "jenis_jabatan",
                    _("Unknown position type. Write one of: %(choices)s.") % {"choices": ", ".join(JabatanType.values)},
                )
            else:
                error("jenis_jabatan", _("This cell is required."))

        golongan, pppk_grade = self._clean_rank(values, employment_type, error)

        supervisor_nip = None
        supervisor_raw = cell_text(values.get("nip_atasan"))
        if supervisor_raw:
            supervisor_nip = nip_rules.normalise(supervisor_raw)
            if SCIENTIFIC.match(supervisor_raw):
                error("nip_atasan", _excel_number_message())
                supervisor_nip = None
            elif not nip_rules.looks_like_identity_number(supervisor_nip):
                error("nip_atasan", _("Not an NIP: it must be 18 digits."))
                supervisor_nip = None
            elif number is not None and supervisor_nip == number.digits:
                error("nip_atasan", _("A person cannot be their own direct supervisor."))
                supervisor_nip = None

        email = optional_text("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("Not a valid email address."))

        phone = optional_text("telepon")
        if phone and not PHONE_PATTERN.match(phone):
            error("telepon", _("A phone number has only digits, spaces, +, -, dots and brackets (at most 30)."))

        record = RosterRecord(
            row=row,
            nip=number.digits if number is not None else None,
            full_name=full_name,
            gender=gender.value if gender is not None else None,
            birth_place=birth_place,
            birth_date=birth_date,
            employment_type=employment_type.value if employment_type is not None else None,
            golongan=golongan,
            pppk_grade=pppk_grade,
            jabatan_type=jabatan_type,
            jabatan_name=jabatan_name,
            unit_code=unit_code,
            supervisor_nip=supervisor_nip,
            email=email,
            phone=phone,
            valid=not errors and self.complete,
        )
        return record, errors

    def _clean_nip(self, raw, employment_type, error):
        if is_blank(raw):
            error("nip", _("This cell is required."))
            return None
        if isinstance(raw, float):
            # Excel stores numbers as floating point with 15 significant digits: an 18-digit NIP typed
            # into a number cell has already lost its last digits, so do not guess them.
            error("nip", _excel_number_message())
            return None
        text = cell_text(raw)
        if SCIENTIFIC.match(text):
            error("nip", _excel_number_message())
            return None
        try:
            # Unknown employment type: check what both layouts share (the NI PPPK rules).
            return nip_rules.parse_identity(text, employment_type=employment_type or "PPPK", today=self.today)
        except ValidationError as exc:
            for message in exc.messages:
                error("nip", message)
            return None

    def _clean_rank(self, values, employment_type, error):
        golongan_raw = cell_text(values.get("golongan"))
        grade_raw = cell_text(values.get("grade_pppk"))
        golongan = pppk_grade = ""
        if golongan_raw:
            golongan = normalise_golongan(golongan_raw)
            if golongan is None:
                error("golongan", _("Unknown golongan/ruang. Write it like III/a (I/a to IV/e)."))
                golongan = ""
        if grade_raw:
            pppk_grade = normalise_pppk_grade(grade_raw)
            if pppk_grade is None:
                error("grade_pppk", _("Unknown PPPK grade. Write I to XVII."))
                pppk_grade = ""
        if employment_type == EmploymentType.PNS:
            if not golongan_raw:
                error("golongan", _("A PNS needs a golongan/ruang."))
            if grade_raw:
                error("grade_pppk", _("A PNS has no PPPK grade."))
        elif employment_type == EmploymentType.PPPK:
            if not grade_raw:
                error("grade_pppk", _("A PPPK needs a grade."))
            if golongan_raw:
                error("golongan", _("A PPPK has no golongan/ruang."))
        return golongan, pppk_grade


def _excel_number_message() -> str:
    return _(
        "Excel turned this NIP into a number and lost its last digits. Format the column as Text and type the "
        "NIP again (or start it with an apostrophe ')."
    )


def clean_table(table: Table) -> tuple[list[RosterRecord], list[RowError]]:
    """Validate every row on its own and find NIPs that appear twice. No database access.

    Returns a record for every row (the invalid ones marked so) and every error found."""
    records: list[RosterRecord] = []
    errors: list[RowError] = list(table.errors)
    if "nip" not in table.columns:
        return records, errors  # no row can be identified; the missing column is reported
    cleaner = RowCleaner(table.columns)
    first_row_of: dict[str, int] = {}
    for row, values in table.rows:
        record, row_errors = cleaner.clean(row, values)
        errors.extend(row_errors)
        if record.nip is not None:
            if record.nip in first_row_of:
                message = _("This NIP is already in row %(row)d of this file.") % {"row": first_row_of[record.nip]}
                errors.append(RowError(row, "nip", message, record.nip))
                record.valid = False
            else:
                first_row_of[record.nip] = row
        records.append(record)
    errors.extend(_supervisor_loops(records))
    return records, errors


def _supervisor_loops(records: list[RosterRecord]) -> list[RowError]:
    """Rows whose chain of direct supervisors, followed through the file, comes back to them."""
    by_nip: dict[str, RosterRecord] = {}
    for record in records:
        if record.nip:
            by_nip.setdefault(record.nip, record)  # a repeated NIP is reported on its own
    supervisor_of = {nip: record.supervisor_nip for nip, record in by_nip.items() if record.supervisor_nip}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    errors = []
    for start in supervisor_of:
        path: list[str] = []
        nip = start
        while nip in supervisor_of and nip not in state:
            state[nip] = 1
            path.append(nip)
            nip = supervisor_of[nip]
        if state.get(nip) == 1:
            loop = path[path.index(nip) :]
            rows = " → ".join(str(by_nip[member].row) for member in [*loop, loop[0]])
            for member in loop:
                record = by_nip[member]
                record.valid = False
                message = _("The direct supervisors in this file go round in a loop: rows %(rows)s.") % {"rows": rows}
                errors.append(RowError(record.row, "nip_atasan", message, record.supervisor_nip))
        for member in path:
            state[member] = 2
    return errors


# --- templates -------------------------------------------------------------------------------
