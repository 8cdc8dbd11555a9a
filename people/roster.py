"""Roster files of ASN (CSV and XLSX): the columns, reading a file into rows, and row validation."""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl.utils import get_column_letter

from lms.spreadsheets import SafeCSVWriter
from people import nip as nip_rules
from people.ranks import PANGKAT_BY_GOLONGAN, PPPK_GRADES, EmploymentType, Gender, JabatanType

# Limits, overridable in settings. 10,000 rows is the size of the biggest agency roster we expect
# to be imported in one go; twice that leaves room without letting one upload hold the database
# for minutes.
MAX_ROWS = getattr(settings, "LMS_ROSTER_MAX_ROWS", 20_000)
MAX_FILE_BYTES = getattr(settings, "LMS_ROSTER_MAX_FILE_BYTES", 10 * 1024 * 1024)
# An XLSX is a zip of XML parts, and openpyxl reads the whole shared-string table and every cell it
# is given: a tiny file can cost minutes (a million shared strings deflate to 43 KB). The bounds
# below are checked on the zip itself, in one streaming pass, before openpyxl parses anything.
MAX_XLSX_UNPACKED_BYTES = getattr(settings, "LMS_ROSTER_MAX_UNPACKED_BYTES", 10 * MAX_FILE_BYTES)
MAX_XLSX_ENTRIES = 500  # parts in the zip; a real roster has about a dozen
MAX_XLSX_SHEETS = 32
MAX_XLSX_OTHER_PART_BYTES = 16 * 1024 * 1024  # one styles, theme, drawing ... part (not a sheet or strings)
# Excel keeps formatted but empty rows; after this many blank rows in a row the sheet has ended.
MAX_BLANK_RUN = 10_000

HEADER_ROW = 1
SEPARATOR_HINT = re.compile(r"^sep=(.)$", re.IGNORECASE)
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format (and .doc)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool  # the column must be in the file (its cells may still be optional)
    description: Any  # lazy translation
    example: str


COLUMNS = [
    Column(
        "nip",
        True,
        gettext_lazy("NIP (PNS) or NI PPPK, 18 digits; spaces, dots and dashes are allowed."),
        "19860926 201505 2 001",
    ),
    Column("nama_lengkap", True, gettext_lazy("Full name with academic titles."), "Dr. Siti Rahma, S.E., M.Si."),
    Column("jenis_kelamin", True, gettext_lazy("Gender: L (male) or P (female)."), "P"),
    Column("tempat_lahir", False, gettext_lazy("Place of birth (optional)."), "Jambi"),
    Column(
        "tanggal_lahir",
        True,
        gettext_lazy("Date of birth: YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY; must match the NIP."),
        "1986-09-26",
    ),
    Column("jenis_kepegawaian", True, gettext_lazy("Employment type: PNS or PPPK."), "PNS"),
    Column("golongan", False, gettext_lazy("Golongan/ruang, PNS only, e.g. III/a."), "III/c"),
    Column("grade_pppk", False, gettext_lazy("PPPK grade, PPPK only: I to XVII."), ""),
    Column(
        "jenis_jabatan",
        True,
        gettext_lazy(
            "Position type: jpt_utama, jpt_madya, jpt_pratama, administrator, pengawas, fungsional or "
            "pelaksana (the names shown in the admin are accepted too)."
        ),
        "fungsional",
    ),
    Column("nama_jabatan", True, gettext_lazy("Position name."), "Analis Sumber Daya Manusia Aparatur Ahli Muda"),
    Column("kode_unit", True, gettext_lazy("Work unit code, as listed under Personnel → Work units."), "15.02.01"),
    Column(
        "nip_atasan",
        False,
        gettext_lazy("NIP of the direct supervisor (optional): someone in this file or already in the system."),
        "",
    ),
    Column("email", False, gettext_lazy("Email address (optional)."), "siti.rahma@jambiprov.go.id"),
    Column("telepon", False, gettext_lazy("Phone number (optional)."), "081234567890"),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]

# Each bound leaves room above the largest roster the row limit allows (MAX_ROWS rows of one cell per
# column), for cells Excel writes only to keep a format and for rows it keeps after the data.
MAX_XLSX_SHARED_STRINGS = getattr(settings, "LMS_ROSTER_MAX_SHARED_STRINGS", (MAX_ROWS + 1) * len(COLUMNS))
MAX_XLSX_CELLS = getattr(settings, "LMS_ROSTER_MAX_CELLS", 4 * (MAX_ROWS + 1) * len(COLUMNS))
MAX_XLSX_ROWS = getattr(settings, "LMS_ROSTER_MAX_SHEET_ROWS", 4 * MAX_ROWS)
# Columns typed as text in the XLSX template, so Excel keeps every digit and leading zero.
TEXT_COLUMNS = ("nip", "nip_atasan", "kode_unit", "telepon", "golongan", "grade_pppk")

MAX_LENGTHS = {"nama_lengkap": 200, "tempat_lahir": 100, "nama_jabatan": 200, "kode_unit": 40, "email": 254}


class RosterFileError(Exception):
    """The file as a whole cannot be read (empty, damaged, wrong type, too big)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    """One problem, where the trainer will find it: spreadsheet row (header = 1) and column."""

    row: int | None  # None: the file as a whole
    column: str
    message: str
    value: str = ""


@dataclass
class Table:
    """The rows of a roster file: canonical column names and, per data row, its values by column."""

    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    errors: list[RowError] = field(default_factory=list)  # header problems


@dataclass
class RosterRecord:
    """One row's cleaned values. ``valid`` rows are ready to be written; the others keep what could be
    read (None where a cell was wrong) so the checks against the database still report every error."""

    row: int
    nip: str | None
    full_name: str
    gender: str | None
    birth_place: str | None  # None: keep what is stored
    birth_date: date | None
    employment_type: str | None
    golongan: str
    pppk_grade: str
    jabatan_type: str | None
    jabatan_name: str
    unit_code: str
    supervisor_nip: str | None
    email: str | None
    phone: str | None
    valid: bool = True


# --- reading files ---------------------------------------------------------------------------


def header_key(text: Any) -> str:
    """``Nama Lengkap``, ``nama_lengkap`` and `` NAMA-LENGKAP `` are the same heading."""
    return re.sub(r"[\s_\-]+", "", str(text or "").strip().lower())


COLUMN_BY_KEY = {header_key(name): name for name in COLUMN_NAMES}


def read_roster(data: bytes) -> Table:
    """Read the bytes of an uploaded CSV or XLSX file. Raises ``RosterFileError``."""
    if not data:
        raise RosterFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise RosterFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split the roster into several files.")
            % {"size": megabytes(len(data)), "limit": megabytes(MAX_FILE_BYTES)}
        )
    # Decide by content, not by name: a renamed file is still read for what it is.
    if data.startswith(XLSX_MAGIC):
        rows = _xlsx_rows(data)
        try:
            return _table_from_rows(rows)
        finally:
            rows.close()  # closes the workbook even when reading stopped early
    if data.startswith(OLE_MAGIC):
        raise RosterFileError(
            _("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or as CSV UTF-8.")
        )
    return _table_from_rows(_csv_rows(data))


def table_from_dicts(rows: Iterable[Mapping[str, Any]]) -> Table:
    """Build a table from dicts keyed by column heading (the first dict's keys are the header)."""
    rows = list(rows)
    header = list(rows[0].keys()) if rows else list(COLUMN_NAMES)

    def generate():
        yield header
        for row in rows:
            yield [row.get(name) for name in header]

    return _table_from_rows(generate())


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterFileError(_("This is not a CSV or XLSX file. Upload the roster as .xlsx or as CSV UTF-8."))
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterFileError(
            _(
                "The file is not UTF-8 text (first unreadable character on line %(line)d). In Excel choose "
                'Save As → "CSV UTF-8 (Comma delimited)", or upload the .xlsx file.'
            )
            % {"line": line}
        ) from exc
    if "\x00" in text:
        raise RosterFileError(_("This is not a CSV or XLSX file. Upload the roster as .xlsx or as CSV UTF-8."))
    first_line, _newline, rest = text.partition("\n")
    hint = SEPARATOR_HINT.match(first_line.strip())
    if hint:
        # "sep=;" is Excel's own hint line; Excel does not show it as a row, so neither do we.
        delimiter, text = hint.group(1), rest
    else:
        # Excel writes ";" where the decimal separator is a comma, as in Indonesia; use what the header uses.
        delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise RosterFileError(
            _("The CSV file cannot be read near line %(line)d: %(problem)s") % {"line": reader.line_num, "problem": exc}
        ) from exc


def _damaged_message() -> str:
    return _("The XLSX file is damaged or is not an Excel workbook. Open it in Excel, save it again and retry.")


def _too_big_message() -> str:
    return _(
        "The workbook holds far more than a roster of %(rows)s rows needs (%(what)s: more than %(limit)s). "
        "Copy only the roster columns into a new workbook, or save it as CSV UTF-8, and upload that."
    )


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


# A start tag in any namespace prefix (``<si>``, ``<x:si …>``); the longest match is below OVERLAP bytes.
SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?si[\s>/]")
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?c[\s>/]")
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?row[\s>/]")
TAG_OVERLAP = 64
CHUNK_BYTES = 1024 * 1024


def _count_tags(
    stream, patterns: dict[str, re.Pattern], limits: dict[str, int], byte_limit: int
) -> tuple[int, dict[str, int]]:
    """Decompress one zip part in chunks, counting start tags; stop at the first bound passed.
    Returns the bytes read and the counts. Raises ``RosterFileError`` naming the bound."""
    counts = dict.fromkeys(patterns, 0)
    total = 0
    tail = b""
    while True:
        chunk = stream.read(CHUNK_BYTES)
        total += len(chunk)
        if total > byte_limit:
            _refuse_size("unpacked")
        buffer = tail + chunk
        # A tag cut by the chunk's end is counted with the next chunk: keep what follows the last "<"
        # when it is short enough to be the start of one. A whole tag never holds another "<".
        cutoff = buffer.rfind(b"<")
        if not chunk or cutoff < 0 or len(buffer) - cutoff > TAG_OVERLAP:
            cutoff = len(buffer)
        for name, pattern in patterns.items():
            counts[name] += len(pattern.findall(buffer, 0, cutoff))
            if counts[name] > limits[name]:
                _refuse_size(name)
        if not chunk:
            return total, counts
        tail = buffer[cutoff:]


def _refuse_size(what: str):
    labels = {
        "unpacked": (pgettext("roster limit", "unpacked size"), f"{megabytes(MAX_XLSX_UNPACKED_BYTES)} MB"),
        "part": (pgettext("roster limit", "unpacked size of one part"), f"{megabytes(MAX_XLSX_OTHER_PART_BYTES)} MB"),
        "entries": (pgettext("roster limit", "files inside the workbook"), _thousands(MAX_XLSX_ENTRIES)),
        "sheets": (pgettext("roster limit", "sheets"), _thousands(MAX_XLSX_SHEETS)),
        "strings": (pgettext("roster limit", "distinct texts (shared strings)"), _thousands(MAX_XLSX_SHARED_STRINGS)),
        "cells": (pgettext("roster limit", "cells"), _thousands(MAX_XLSX_CELLS)),
        "rows": (pgettext("roster limit", "rows in one sheet"), _thousands(MAX_XLSX_ROWS)),
    }
    label, limit = labels[what]
    raise RosterFileError(_too_big_message() % {"rows": _thousands(MAX_ROWS), "what": label, "limit": limit})


def check_xlsx_bounds(data: bytes) -> None:
    """Refuse, before openpyxl parses it, a workbook whose reading would cost far more than any roster:
    too many parts or sheets, too many bytes unpacked (declared or real), shared strings, cells or rows.
    One pass over the zip; the XML is only scanned for start tags, never parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_XLSX_ENTRIES:
                _refuse_size("entries")
            if sum(info.file_size for info in entries) > MAX_XLSX_UNPACKED_BYTES:
                _refuse_size("unpacked")
            sheets = [info for info in entries if _is_part(info.filename, "xl/worksheets/")]
            if len(sheets) > MAX_XLSX_SHEETS:
                _refuse_size("sheets")
            budget = MAX_XLSX_UNPACKED_BYTES
            cells_left = MAX_XLSX_CELLS
            for info in entries:
                name = info.filename.lower()
                if info.is_dir():
                    continue
                with archive.open(info) as stream:
                    if name.endswith("sharedstrings.xml"):
                        read, _counts = _count_tags(
                            stream, {"strings": SHARED_STRING_TAG}, {"strings": MAX_XLSX_SHARED_STRINGS}, budget
                        )
                        budget -= read
                    elif info in sheets:
                        limits = {"cells": cells_left, "rows": MAX_XLSX_ROWS}
                        read, counts = _count_tags(stream, {"cells": CELL_TAG, "rows": ROW_TAG}, limits, budget)
                        budget -= read
                        cells_left -= counts["cells"]
                    elif name.endswith((".xml", ".rels", ".vml")):
                        if info.file_size > MAX_XLSX_OTHER_PART_BYTES:
                            _refuse_size("part")
                        budget -= _drain(stream, min(budget, MAX_XLSX_OTHER_PART_BYTES))
                    # Pictures and other binary parts are never parsed: their declared size is counted above.
    except RosterFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        ValueError,
        OSError,
        EOFError,
    ) as exc:
        raise RosterFileError(_damaged_message()) from exc


def _is_part(filename: str, folder: str) -> bool:
    name = filename.lower()
    return name.startswith(folder) and name.endswith(".xml") and "/" not in name[len(folder) :]


def _drain(stream, byte_limit: int) -> int:
    total = 0
    while chunk := stream.read(CHUNK_BYTES):
        total += len(chunk)
        if total > byte_limit:
            _refuse_size("part" if byte_limit == MAX_XLSX_OTHER_PART_BYTES else "unpacked")
    return total


def _xlsx_rows(data: bytes) -> Iterator[Any]:
    import openpyxl

    damaged = _damaged_message()
    check_xlsx_bounds(data)
    workbook = None
    try:
        # openpyxl parses XML with defusedxml (installed with Wagtail's Willow) against XML bombs.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = _roster_sheet(workbook)
        yield from sheet.iter_rows(values_only=True)
    except RosterFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds (zip, XML, key, value errors) on bad files
        raise RosterFileError(damaged) from exc
    finally:
        if workbook is not None:
            workbook.close()


def _roster_sheet(workbook):
    """The first sheet whose first row has an ``nip`` heading (the template's instructions sheet has
    none), else the first sheet."""
    if not workbook.worksheets:
        raise RosterFileError(_("The workbook has no sheets."))
    for sheet in workbook.worksheets:
        for first_row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
            if any(header_key(value) == "nip" for value in first_row):
                return sheet
    return workbook.worksheets[0]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_from_rows(source: Iterator[Any]) -> Table:
    rows_iter = iter(source)
    header = next(rows_iter, None)
    if header is None or all(_is_blank(value) for value in header):
        raise RosterFileError(
            _("The first row must hold the column headings (nip, nama_lengkap, ...). Download the template.")
        )
    errors: list[RowError] = []
    positions: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, heading in enumerate(header):
        if _is_blank(heading):
            continue
        name = COLUMN_BY_KEY.get(header_key(heading))
        label = str(heading).strip()
        if name is None:
            errors.append(
                RowError(
                    HEADER_ROW,
                    label,
                    _("Unknown column. The columns are: %(columns)s.") % {"columns": ", ".join(COLUMN_NAMES)},
                )
            )
        elif name in seen:
            errors.append(RowError(HEADER_ROW, label, _("This column appears twice.")))
        else:
            seen[name] = label
            positions[index] = name
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            errors.append(RowError(HEADER_ROW, name, _("This column is missing.")))

    rows: list[tuple[int, dict[str, Any]]] = []
    blank_run = 0
    for row_number, raw in enumerate(rows_iter, start=HEADER_ROW + 1):
        raw = raw or ()
        if all(_is_blank(value) for value in raw):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(rows) >= MAX_ROWS:
            raise RosterFileError(
                _("The file has more than %(limit)s data rows. Split the roster into several files.")
                % {"limit": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        values: dict[str, Any] = {}
        for index, value in enumerate(raw):
            name = positions.get(index)
            if name is not None:
                values[name] = value
            elif not _is_blank(value) and index < len(header) and not _is_blank(header[index]):
                continue  # under an unknown heading: already reported once, in row 1
            elif not _is_blank(value):
                errors.append(
                    RowError(
                        row_number,
                        _("column %(letter)s") % {"letter": get_column_letter(index + 1)},
                        _("This cell has a value but its column has no heading."),
                        _shown(value),
                    )
                )
        rows.append((row_number, values))
    if not rows and not errors:
        raise RosterFileError(_("The file has column headings but no data rows."))
    return Table(columns=list(seen), rows=rows, errors=errors)


# --- cleaning values ---------------------------------------------------------------------------

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


def _shown(value: Any) -> str:
    """The cell as the trainer typed it, shortened for the error table."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


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
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None
        return converted.date() if isinstance(converted, datetime) else converted
    text = _text(value)
    text = re.sub(r"[ T]00:00(:00)?$", "", text)  # "1986-09-26 00:00:00" from a date copied as text
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def normalise_golongan(value: Any) -> str | None:
    text = _text(value).upper()
    match = GOLONGAN_PATTERN.match(text) or GOLONGAN_IN_TEXT.search(text)
    if not match:
        return None
    code = f"{ARABIC_TO_ROMAN.get(match.group(1), match.group(1))}/{match.group(2).lower()}"
    return code if code in PANGKAT_BY_GOLONGAN else None


def normalise_pppk_grade(value: Any) -> str | None:
    text = _text(value).upper()
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
            errors.append(RowError(row, column, message, _shown(values.get(column) if raw is None else raw)))

        def required_text(column):
            text = _text(values.get(column))
            if column in self.columns and not text:
                error(column, _("This cell is required."))
            limit = MAX_LENGTHS.get(column)
            if limit and len(text) > limit:
                error(
                    column,
                    _("At most %(limit)d characters; this has %(count)d.") % {"limit": limit, "count": len(text)},
                )
            return text

        def optional_text(column):
            if column not in self.columns:
                return None
            text = _text(values.get(column))
            limit = MAX_LENGTHS.get(column)
            if limit and len(text) > limit:
                error(
                    column,
                    _("At most %(limit)d characters; this has %(count)d.") % {"limit": limit, "count": len(text)},
                )
            return text or None

        employment_raw = _text(values.get("jenis_kepegawaian"))
        employment_type = EMPLOYMENT_WORDS.get(header_key(employment_raw))
        if "jenis_kepegawaian" in self.columns and employment_type is None:
            if employment_raw:
                error("jenis_kepegawaian", _("Write PNS or PPPK."))
            else:
                error("jenis_kepegawaian", _("This cell is required."))

        gender_raw = _text(values.get("jenis_kelamin"))
        gender = GENDER_WORDS.get(header_key(gender_raw))
        if "jenis_kelamin" in self.columns and gender is None:
            error("jenis_kelamin", _("Write L (male) or P (female).") if gender_raw else _("This cell is required."))

        birth_raw = values.get("tanggal_lahir")
        birth_date = parse_date(birth_raw) if not _is_blank(birth_raw) else None
        if "tanggal_lahir" in self.columns and birth_date is None:
            if _is_blank(birth_raw):
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

        jabatan_raw = _text(values.get("jenis_jabatan"))
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
        supervisor_raw = _text(values.get("nip_atasan"))
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
        if _is_blank(raw):
            error("nip", _("This cell is required."))
            return None
        if isinstance(raw, float):
            # Excel stores numbers as floating point with 15 significant digits: an 18-digit NIP typed
            # into a number cell has already lost its last digits, so do not guess them.
            error("nip", _excel_number_message())
            return None
        text = _text(raw)
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
        golongan_raw = _text(values.get("golongan"))
        grade_raw = _text(values.get("grade_pppk"))
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


def template_csv() -> bytes:
    """A CSV template: the header row and one example row, UTF-8 with a BOM so Excel reads it right."""
    buffer = io.StringIO(newline="")
    writer = SafeCSVWriter(buffer)
    writer.writerow(COLUMN_NAMES)
    writer.writerow([column.example for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """An XLSX template: a data sheet (headings, an example row, drop-down lists, text columns kept
    as text) and an instructions sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ASN"
    sheet.append(COLUMN_NAMES)
    example = []
    for column in COLUMNS:
        example.append(date(1986, 9, 26) if column.name == "tanggal_lahir" else column.example)
    sheet.append(example)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[letter].width = max(14, len(column.example) + 2, len(column.name) + 4)
        if column.name in TEXT_COLUMNS:
            # A column style: whatever is typed or pasted below stays text (all 18 digits, leading zeros).
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
        if column.name == "tanggal_lahir":
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    lists = {
        "jenis_kelamin": ["L", "P"],
        "jenis_kepegawaian": list(EmploymentType.values),
        "jenis_jabatan": list(JabatanType.values),
    }
    for name, choices in lists.items():
        letter = get_column_letter(COLUMN_NAMES.index(name) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}10001")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("How to fill in the roster")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in instructions():
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS:
        guide.append([column.name, _("yes") if column.required else _("no"), str(column.description), column.example])
    guide.append([])
    guide.append([_("Golongan/ruang (PNS)"), ", ".join(PANGKAT_BY_GOLONGAN)])
    guide.append([_("PPPK grades"), ", ".join(PPPK_GRADES)])
    guide.append([_("Position types"), ", ".join(JabatanType.values)])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def instructions() -> list[str]:
    return [
        _("Fill one row per ASN on the ASN sheet and delete the example row."),
        _("Row 1 holds the column headings; keep them as they are (upper or lower case does not matter)."),
        _("Keep the NIP columns formatted as Text so Excel keeps all 18 digits."),
        _(
            "Every row is checked first: if any row has an error nothing is imported, and every error is listed "
            "with its row and column."
        ),
        _("Importing the same file again updates people by NIP; it never creates duplicates."),
        _("An empty optional cell (tempat_lahir, nip_atasan, email, telepon) keeps the value already stored."),
        _("At most %(rows)s rows and %(size)s MB per file.")
        % {"rows": f"{MAX_ROWS:,}".replace(",", "."), "size": megabytes(MAX_FILE_BYTES)},
    ]
