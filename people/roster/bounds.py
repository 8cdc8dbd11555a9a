"""Refusing, before openpyxl parses anything, an XLSX whose reading would cost far more than any roster."""

import io
import re
import zipfile
import zlib

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from people.roster import limits
from people.roster.columns import RosterFileError, megabytes, thousands


def damaged_message() -> str:
    return _("The XLSX file is damaged or is not an Excel workbook. Open it in Excel, save it again and retry.")


def _too_big_message() -> str:
    return _(
        "The workbook holds far more than a roster of %(rows)s rows needs (%(what)s: more than %(limit)s). "
        "Copy only the roster columns into a new workbook, or save it as CSV UTF-8, and upload that."
    )


# A start tag in any namespace prefix (``<si>``, ``<x:si …>``); the longest match is below OVERLAP bytes.
SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?si[\s>/]")
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?c[\s>/]")
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,31}:)?row[\s>/]")
TAG_OVERLAP = 64


def _count_tags(
    stream, patterns: dict[str, re.Pattern], bounds: dict[str, int], byte_limit: int
) -> tuple[int, dict[str, int]]:
    """Decompress one zip part in chunks, counting start tags; stop at the first bound passed.
    Returns the bytes read and the counts. Raises ``RosterFileError`` naming the bound."""
    counts = dict.fromkeys(patterns, 0)
    total = 0
    tail = b""
    while True:
        chunk = stream.read(limits.CHUNK_BYTES)
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
            if counts[name] > bounds[name]:
                _refuse_size(name)
        if not chunk:
            return total, counts
        tail = buffer[cutoff:]


def _refuse_size(what: str):
    labels = {
        "unpacked": (pgettext("roster limit", "unpacked size"), f"{megabytes(limits.MAX_XLSX_UNPACKED_BYTES)} MB"),
        "part": (
            pgettext("roster limit", "unpacked size of one part"),
            f"{megabytes(limits.MAX_XLSX_OTHER_PART_BYTES)} MB",
        ),
        "entries": (pgettext("roster limit", "files inside the workbook"), thousands(limits.MAX_XLSX_ENTRIES)),
        "sheets": (pgettext("roster limit", "sheets"), thousands(limits.MAX_XLSX_SHEETS)),
        "strings": (
            pgettext("roster limit", "distinct texts (shared strings)"),
            thousands(limits.MAX_XLSX_SHARED_STRINGS),
        ),
        "cells": (pgettext("roster limit", "cells"), thousands(limits.MAX_XLSX_CELLS)),
        "rows": (pgettext("roster limit", "rows in one sheet"), thousands(limits.MAX_XLSX_ROWS)),
    }
    label, limit = labels[what]
    raise RosterFileError(_too_big_message() % {"rows": thousands(limits.MAX_ROWS), "what": label, "limit": limit})


def check_xlsx_bounds(data: bytes) -> None:
    """Refuse, before openpyxl parses it, a workbook whose reading would cost far more than any roster:
    too many parts or sheets, too many bytes unpacked (declared or real), shared strings, cells or rows.
    One pass over the zip; the XML is only scanned for start tags, never parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > limits.MAX_XLSX_ENTRIES:
                _refuse_size("entries")
            if sum(info.file_size for info in entries) > limits.MAX_XLSX_UNPACKED_BYTES:
                _refuse_size("unpacked")
            sheets = [info for info in entries if _is_part(info.filename, "xl/worksheets/")]
            if len(sheets) > limits.MAX_XLSX_SHEETS:
                _refuse_size("sheets")
            budget = limits.MAX_XLSX_UNPACKED_BYTES
            cells_left = limits.MAX_XLSX_CELLS
            for info in entries:
                name = info.filename.lower()
                if info.is_dir():
                    continue
                with archive.open(info) as stream:
                    if name.endswith("sharedstrings.xml"):
                        read, _counts = _count_tags(
                            stream, {"strings": SHARED_STRING_TAG}, {"strings": limits.MAX_XLSX_SHARED_STRINGS}, budget
                        )
                        budget -= read
                    elif info in sheets:
                        sheet_limits = {"cells": cells_left, "rows": limits.MAX_XLSX_ROWS}
                        read, counts = _count_tags(stream, {"cells": CELL_TAG, "rows": ROW_TAG}, sheet_limits, budget)
                        budget -= read
                        cells_left -= counts["cells"]
                    elif name.endswith((".xml", ".rels", ".vml")):
                        if info.file_size > limits.MAX_XLSX_OTHER_PART_BYTES:
                            _refuse_size("part")
                        budget -= _drain(stream, min(budget, limits.MAX_XLSX_OTHER_PART_BYTES))
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
        raise RosterFileError(damaged_message()) from exc


def _is_part(filename: str, folder: str) -> bool:
    name = filename.lower()
    return name.startswith(folder) and name.endswith(".xml") and "/" not in name[len(folder) :]


def _drain(stream, byte_limit: int) -> int:
    total = 0
    while chunk := stream.read(limits.CHUNK_BYTES):
        total += len(chunk)
        if total > byte_limit:
            _refuse_size("part" if byte_limit == limits.MAX_XLSX_OTHER_PART_BYTES else "unpacked")
    return total
