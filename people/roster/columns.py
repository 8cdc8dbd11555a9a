"""The columns of an ASN roster file, the shapes of its rows and errors, and how a cell reads as text."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy

HEADER_ROW = 1


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


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(value: Any) -> Any:
    """A date cell as its ISO date, a whole number typed into a number cell without ".0"."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cell_shown(value: Any) -> str:
    """The cell as the trainer typed it, shortened for the error table."""
    if value is None:
        return ""
    text = str(_cell(value)).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def cell_text(value: Any) -> str:
    """The cell as text, with runs of spaces made one."""
    if value is None:
        return ""
    return " ".join(str(_cell(value)).split())
