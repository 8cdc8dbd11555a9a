"""Reading an uploaded roster (CSV or XLSX, decided by content) into a ``Table`` of rows by column."""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from people.roster import limits
from people.roster.bounds import check_xlsx_bounds, damaged_message
from people.roster.columns import (
    COLUMN_BY_KEY,
    COLUMN_NAMES,
    HEADER_ROW,
    REQUIRED_COLUMNS,
    RosterFileError,
    RowError,
    Table,
    cell_shown,
    header_key,
    is_blank,
    megabytes,
)

SEPARATOR_HINT = re.compile(r"^sep=(.)$", re.IGNORECASE)
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format (and .doc)


def read_roster(data: bytes) -> Table:
    """Read the bytes of an uploaded CSV or XLSX file. Raises ``RosterFileError``."""
    if not data:
        raise RosterFileError(_("The file is empty."))
    if len(data) > limits.MAX_FILE_BYTES:
        raise RosterFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split the roster into several files.")
            % {"size": megabytes(len(data)), "limit": megabytes(limits.MAX_FILE_BYTES)}
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


def _xlsx_rows(data: bytes) -> Iterator[Any]:
    damaged = damaged_message()
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


def _table_from_rows(source: Iterator[Any]) -> Table:
    rows_iter = iter(source)
    header = next(rows_iter, None)
    if header is None or all(is_blank(value) for value in header):
        raise RosterFileError(
            _("The first row must hold the column headings (nip, nama_lengkap, ...). Download the template.")
        )
    errors: list[RowError] = []
    positions: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, heading in enumerate(header):
        if is_blank(heading):
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
        if all(is_blank(value) for value in raw):
            blank_run += 1
            if blank_run > limits.MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(rows) >= limits.MAX_ROWS:
            raise RosterFileError(
                _("The file has more than %(limit)s data rows. Split the roster into several files.")
                % {"limit": f"{limits.MAX_ROWS:,}".replace(",", ".")}
            )
        values: dict[str, Any] = {}
        for index, value in enumerate(raw):
            name = positions.get(index)
            if name is not None:
                values[name] = value
            elif not is_blank(value) and index < len(header) and not is_blank(header[index]):
                continue  # under an unknown heading: already reported once, in row 1
            elif not is_blank(value):
                errors.append(
                    RowError(
                        row_number,
                        _("column %(letter)s") % {"letter": get_column_letter(index + 1)},
                        _("This cell has a value but its column has no heading."),
                        cell_shown(value),
                    )
                )
        rows.append((row_number, values))
    if not rows and not errors:
        raise RosterFileError(_("The file has column headings but no data rows."))
    return Table(columns=list(seen), rows=rows, errors=errors)
