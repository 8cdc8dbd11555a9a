"""Roster files of ASN (CSV and XLSX): the columns, reading a file into rows, and row validation.

- ``columns``: the columns, the row and error shapes, how a cell reads as text;
- ``limits``: how much one upload may ask (rows, bytes, what is inside an XLSX);
- ``reading``: a CSV or XLSX file into a ``Table``; ``bounds``: an XLSX refused before it is parsed;
- ``cleaning``: every row validated on its own and against the file (no database);
- ``templates``: the CSV and XLSX templates and their instructions.

Writing the rows is ``people.services.roster_import``. The limits are re-exported here for reading;
code that must see a changed limit (a setting, a test) reads ``roster.limits.NAME``.
"""

from people.roster.bounds import check_xlsx_bounds
from people.roster.cleaning import (
    DATE_FORMATS,
    RowCleaner,
    clean_table,
    normalise_golongan,
    normalise_pppk_grade,
    parse_date,
)
from people.roster.columns import (
    COLUMN_NAMES,
    COLUMNS,
    REQUIRED_COLUMNS,
    Column,
    RosterFileError,
    RosterRecord,
    RowError,
    Table,
    header_key,
    megabytes,
)
from people.roster.limits import (
    MAX_BLANK_RUN,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_CELLS,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_OTHER_PART_BYTES,
    MAX_XLSX_ROWS,
    MAX_XLSX_SHARED_STRINGS,
    MAX_XLSX_SHEETS,
    MAX_XLSX_UNPACKED_BYTES,
)
from people.roster.reading import read_roster, table_from_dicts
from people.roster.templates import instructions, template_csv, template_xlsx

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "DATE_FORMATS",
    "MAX_BLANK_RUN",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_XLSX_CELLS",
    "MAX_XLSX_ENTRIES",
    "MAX_XLSX_OTHER_PART_BYTES",
    "MAX_XLSX_ROWS",
    "MAX_XLSX_SHARED_STRINGS",
    "MAX_XLSX_SHEETS",
    "MAX_XLSX_UNPACKED_BYTES",
    "REQUIRED_COLUMNS",
    "Column",
    "RosterFileError",
    "RosterRecord",
    "RowCleaner",
    "RowError",
    "Table",
    "check_xlsx_bounds",
    "clean_table",
    "header_key",
    "instructions",
    "megabytes",
    "normalise_golongan",
    "normalise_pppk_grade",
    "parse_date",
    "read_roster",
    "table_from_dicts",
    "template_csv",
    "template_xlsx",
]
