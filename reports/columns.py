"""The columns of a report, declared once, and how their cells read on screen.

A report view lists its ``ReportColumn`` objects in export order; the listing's columns, the export's
fields and headings, each row of the export and the orderings the URL may ask for all derive from
that one list (``reports.views.base.ReportListingView``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.coreutils import multigetattr

# A heading: a (lazy) string, or a function of the view for one that depends on the filters.
Label = Any | Callable[[Any], str]


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report.

    ``key`` names the export field (and the listing column). ``label`` heads it on screen and
    ``heading`` in the export; a column without one of them is left out there. ``value(row, view)``
    reads the export value (default: the row's ``key``), ``cell(row, view)`` what the screen shows
    (default: the export value), ``export_format`` turns the value into a cell of either format.
    ``sort`` is the name of the column's ordering in the URL (empty: not sortable) and ``order_by``
    the fields it orders by (default: that name, empty values last)."""

    key: str
    label: Label = None
    heading: Label = None
    value: Callable[[Any, Any], Any] | None = None
    cell: Callable[[Any, Any], Any] | None = None
    export_format: Callable[[Any], Any] | None = None
    sort: str = ""
    order_by: tuple[str, ...] = ()
    screen_first: bool = False  # shown before the columns that come before it in the export
    on_screen: Callable[[Any], bool] | None = None  # shown only when true for the view

    def read(self, row, view):
        return self.value(row, view) if self.value is not None else multigetattr(row, self.key)

    def display(self, row, view):
        return self.cell(row, view) if self.cell is not None else self.read(row, view)

    def shown(self, view) -> bool:
        return self.label is not None and (self.on_screen is None or self.on_screen(view))

    def screen_label(self, view) -> str:
        return _resolve(self.label, view)

    def export_heading(self, view) -> str:
        return _resolve(self.heading, view)


def _resolve(label: Label, view) -> str:
    return label(view) if callable(label) else label


# --- cells on screen ------------------------------------------------------------------------------


def number(value, decimals: int = 1) -> str:
    """A number the Indonesian way (``1.234,5``): Django's number format for the active language,
    thousands grouped, no decimals for a whole number."""
    value = float(value)
    if round(value, decimals).is_integer():
        return number_format(round(value), decimal_pos=0, force_grouping=True)
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def percent(value) -> str:
    if value is None:
        return "–"
    return f"{number(value)}%"


def signed(value) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("-" if value < 0 else "")
    return sign + number(abs(value))


def wib_datetime(moment) -> str:
    """A time as a reader in Jambi reads it, whatever time zone the process or the viewer's admin
    profile is in (the project's ``TIME_ZONE``): ``1 Jan 2027, 00.30``."""
    if moment is None:
        return "–"
    return date_format(timezone.localtime(moment, timezone.get_default_timezone()), "j M Y, H.i")


def as_of(moment) -> str:
    """When precomputed figures were computed, as a reader in Jambi reads it."""
    return wib_datetime(moment)


def bar(value, text: str | None = None) -> str:
    """A progress bar (decorative) followed by its number as text, which is what a screen reader reads."""
    width = max(0, min(100, round(float(value or 0))))
    return format_html(
        '<span class="lms-bar" aria-hidden="true"><span style="width:{}%"></span></span> {}',
        width,
        text if text is not None else f"{width}%",
    )


def yes_no(value) -> str:
    if value is None:
        return "–"
    return _("Yes") if value else _("No")


def person_link(row, view=None):
    return format_html('<a href="{}">{}</a>', reverse("reports:person", args=[row.user_id]), row.full_name)
