"""How much one roster upload may ask of a worker: rows, bytes and, for an XLSX, what is inside the zip.

Read as ``limits.NAME`` at call time, so a setting (or a test) that changes one is seen everywhere.
"""

from django.conf import settings

from people.roster.columns import COLUMNS

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

# Each bound leaves room above the largest roster the row limit allows (MAX_ROWS rows of one cell per
# column), for cells Excel writes only to keep a format and for rows it keeps after the data.
MAX_XLSX_SHARED_STRINGS = getattr(settings, "LMS_ROSTER_MAX_SHARED_STRINGS", (MAX_ROWS + 1) * len(COLUMNS))
MAX_XLSX_CELLS = getattr(settings, "LMS_ROSTER_MAX_CELLS", 4 * (MAX_ROWS + 1) * len(COLUMNS))
MAX_XLSX_ROWS = getattr(settings, "LMS_ROSTER_MAX_SHEET_ROWS", 4 * MAX_ROWS)
# Bytes decompressed at a time when the zip parts are scanned.
CHUNK_BYTES = 1024 * 1024
