"""The one CSV writer of the project: every cell that a spreadsheet program would run as a formula is
written as text, and times are written as a reader in Jambi reads them (WIB).

A CSV cell holds no type, so Excel and LibreOffice run any cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``), and some strip a leading tab or
carriage return first. Names, course titles and answers are typed by people, so OWASP's advice is
followed here: such a cell gets a leading apostrophe, which the programs show and never evaluate.
A Python number is a number: ``-7.5`` stays ``-7.5``, and so does a text that is nothing but a plain
number (``"-12"``), which no program can run.
"""

import csv
import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

# The project's TIME_ZONE (Asia/Jakarta, WIB), not a second hard-coded zone.
WIB = ZoneInfo(settings.TIME_ZONE)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def neutralise_cell(value):
    """``value`` as a cell that no spreadsheet program runs: numbers unchanged, formula-like text quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def wib(moment: datetime.datetime) -> datetime.datetime:
    """An aware time as a naive time in WIB (a spreadsheet cell has no time zone); a naive time is
    taken to be WIB already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(WIB).replace(tzinfo=None)


def wib_text(moment: datetime.datetime) -> str:
    """``2027-01-01 00:30``: ISO order, which every spreadsheet program reads as a date whatever its
    language, in WIB."""
    return wib(moment).strftime("%Y-%m-%d %H:%M")


class SafeCSVWriter:
    """``csv.writer`` whose rows are neutralised cell by cell."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose rows are neutralised cell by cell."""

    def writerow(self, rowdict):
        return super().writerow({key: neutralise_cell(value) for key, value in rowdict.items()})
