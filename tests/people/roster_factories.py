"""Builders of roster rows and files (CSV, XLSX) for the roster import tests."""

import csv
import io
import random
from datetime import date

from openpyxl import Workbook

from people.demo import make_nip
from people.roster import COLUMN_NAMES

_rng = random.Random(2026)
_sequence = iter(range(1, 10**6))


def person_row(*, unit_code: str, employment_type: str = "PNS", gender: str | None = None, **overrides) -> dict:
    """A valid roster row with a fresh, valid NIP; ``overrides`` replace cells by column name."""
    gender = gender or _rng.choice("LP")
    birth = date(_rng.randint(1965, 2000), _rng.randint(1, 12), _rng.randint(1, 28))
    sequence = next(_sequence)
    number = make_nip(_rng, birth=birth, gender=gender, sequence=sequence % 999 + 1)
    # Vary digits 9-12 (TMT year) too, so thousands of rows never share an NIP.
    tmt_year = min(birth.year + 22 + sequence // 999 % 8, 2024)
    number = number[:8] + f"{tmt_year:04d}" + number[12:]
    row = {
        "nip": number,
        "nama_lengkap": f"Pegawai Uji {sequence}, S.E.",
        "jenis_kelamin": gender,
        "tempat_lahir": "Jambi",
        "tanggal_lahir": birth.isoformat(),
        "jenis_kepegawaian": employment_type,
        "golongan": "III/a" if employment_type == "PNS" else "",
        "grade_pppk": "IX" if employment_type == "PPPK" else "",
        "jenis_jabatan": "pelaksana",
        "nama_jabatan": "Pengelola Data",
        "kode_unit": unit_code,
        "nip_atasan": "",
        "email": f"pegawai{sequence}@jambiprov.go.id",
        "telepon": "081234567890",
    }
    row.update(overrides)
    return row


def rows_for(unit_code: str, count: int, **overrides) -> list[dict]:
    return [person_row(unit_code=unit_code, **overrides) for _ in range(count)]


def csv_bytes(rows: list[dict], *, delimiter: str = ",", bom: bool = True, header: list[str] | None = None) -> bytes:
    header = header or (list(rows[0].keys()) if rows else COLUMN_NAMES)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(
    rows: list[dict], *, header: list[str] | None = None, real_dates: bool = True, extra_sheet_first=False
) -> bytes:
    """An XLSX roster; with ``real_dates`` the birth dates are date cells, as Excel stores typed dates."""
    header = header or (list(rows[0].keys()) if rows else COLUMN_NAMES)
    workbook = Workbook()
    sheet = workbook.active
    if extra_sheet_first:
        sheet.title = "Catatan"
        sheet.append(["Daftar pegawai untuk diimpor"])
        sheet = workbook.create_sheet("Data")
    sheet.append(header)
    for row in rows:
        cells = []
        for name in header:
            value = row.get(name, "")
            if (
                name == "tanggal_lahir"
                and real_dates
                and isinstance(value, str)
                and len(value) == 10
                and value[4] == "-"
            ):
                value = date.fromisoformat(value)
            cells.append(value if value != "" else None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
