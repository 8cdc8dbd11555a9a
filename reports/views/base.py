"""What every report screen shares: access by role and scope, the listing with its filters, search,
sorting and pages, and the CSV/XLSX export of the same rows, all derived from the report's columns.

Every view resolves the viewer's scope once (``reports/scoping.py``); a course or person outside it
is a 404. Listings are Wagtail listing views: filters, search, sorting and page live in the URL, and
the export buttons download the same rows (all pages) as CSV or XLSX.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils.formats import localize, number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from lms.exports import StreamedSpreadsheetExportMixin, sheet_name
from people.nip import normalise
from reports import scoping, selectors
from reports.columns import ReportColumn


class PlainColumn(Column):
    """A cell written out in Python. Wagtail renders one template per cell, which for a page of 50
    rows and ten columns costs more than the report's queries; the markup is the same as
    ``wagtailadmin/tables/cell.html``."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None:
            text = ""
        elif isinstance(value, int) and not isinstance(value, bool):
            text = number_format(value, force_grouping=True)
        else:
            text = localize(value) if str(value).strip() else self.empty_value_display
        classname = format_html(' class="{}"', self.classname) if self.classname else ""
        return format_html("<td{}>{}</td>", classname, text)


class GroupedPaginator(WagtailPaginator):
    """Pages over rows sorted first by a group (a quiz title) whose sizes were counted beforehand.

    A page reads only the groups it spans (``group_field__in``), so the database sorts the rows of one
    or two quizzes by name instead of every result of the scope; the counts replace the ``COUNT(*)``."""

    def __init__(self, object_list, per_page, *, groups: list[tuple[str, list, int]], group_field: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.groups = groups
        self.group_field = group_field

    @cached_property
    def count(self):
        return sum(size for _title, _keys, size in self.groups)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys, skip, offset = [], 0, 0
        for _title, group_keys, size in self.groups:
            if offset + size > bottom and offset < top:
                if not keys:
                    skip = bottom - offset
                keys.extend(group_keys)
            offset += size
        rows = self.object_list.filter(**{f"{self.group_field}__in": keys})[skip : skip + top - bottom]
        return self._get_page(rows, number, self)


class EstimatedCountPaginator(WagtailPaginator):
    """A paginator given a precomputed count, which may be a few minutes behind the rows: every page,
    the last included, shows a full page of rows when there are that many, rather than cutting the
    last page at a count that is already out of date."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class ReportAccessMixin:
    """Only people with a reporting role; ``self.scope`` for everything after that."""

    def dispatch(self, request, *args, **kwargs):
        if not scoping.may_view_reports(request.user):
            raise PermissionDenied
        self.scope = scoping.scope_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("reports:overview"), "label": _("Reports")}] + super().get_breadcrumbs_items()


class ReportListingView(ReportAccessMixin, StreamedSpreadsheetExportMixin, BaseListingView):
    """A paginated, sortable, searchable, filterable report with CSV/XLSX export of the whole result."""

    paginate_by = 50
    template_name = "reports/listing.html"
    results_template_name = "reports/listing_results.html"
    summary_note = ""  # set when the page shows precomputed figures: when they were computed
    is_searchable = True
    search_fields = ["user__asn_profile__full_name"]
    nip_field = "user__asn_profile__nip"
    header_icon = "table"
    header_more_buttons = []  # the export buttons stand in the header itself
    url_name = ""

    def get_index_url(self):
        return reverse(f"reports:{self.url_name}", kwargs=self.kwargs)

    def get_index_results_url(self):
        return reverse(f"reports:{self.url_name}_results", kwargs=self.kwargs)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    @property
    def unit_labels(self) -> dict[str, str]:
        """``{path: "BKPSDM — Kab. Bungo"}`` for every unit of the scope, read with the unit filter's
        options, for the rows and the export."""
        return self.filters.unit_labels

    def unit_label(self, path: str | None, name: str | None) -> str:
        return self.unit_labels.get(path or "", name or "")

    @cached_property
    def filter_values(self) -> dict:
        return self.filters.values() if self.filters else {}

    @cached_property
    def year(self) -> int:
        return self.filter_values.get("year") or selectors.current_year()

    def filter_queryset(self, queryset):
        return queryset  # the selector has applied the filters

    tie_breakers = ("pk",)

    # --- everything about the columns derives from ``report_columns`` ---------------------------

    report_columns: tuple[ReportColumn, ...] = ()

    @cached_property
    def exported_columns(self) -> list[ReportColumn]:
        return [column for column in self.report_columns if column.heading is not None]

    @property
    def list_export(self) -> list[str]:
        return [column.key for column in self.exported_columns]

    @property
    def export_headings(self) -> dict[str, str]:
        return {column.key: column.export_heading(self) for column in self.exported_columns}

    @cached_property
    def custom_field_preprocess(self) -> dict:
        return {
            column.key: {self.FORMAT_CSV: column.export_format, self.FORMAT_XLSX: column.export_format}
            for column in self.exported_columns
            if column.export_format is not None
        }

    def to_row_dict(self, item):
        return {column.key: column.read(item, self) for column in self.exported_columns}

    @property
    def columns(self):
        shown = [column for column in self.report_columns if column.shown(self)]
        shown.sort(key=lambda column: not column.screen_first)  # stable: the rest keep their order
        return [
            PlainColumn(
                column.key,
                label=column.screen_label(self),
                sort_key=column.sort or None,
                accessor=partial(column.display, view=self),
            )
            for column in shown
        ]

    @cached_property
    def sort_columns(self) -> dict[str, ReportColumn]:
        return {column.sort: column for column in self.report_columns if column.sort}

    def get_valid_orderings(self):
        return [*self.sort_columns, *(f"-{key}" for key in self.sort_columns)]

    def order_queryset(self, queryset):
        """By the chosen column (the view's default when none or an unknown one is asked for): its
        ``order_by`` fields, or the column itself with empty values last; then the tie-breakers so
        pages never overlap."""
        key = self.ordering.lstrip("-")
        descending = self.ordering.startswith("-")
        fields = self.sort_columns[key].order_by if key in self.sort_columns else ()
        if fields:
            return queryset.order_by(*[f"{'-' if descending else ''}{name}" for name in fields], *self.tie_breakers)
        column = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
        return queryset.order_by(column, *self.tie_breakers)

    def search_queryset(self, queryset):
        """By name, or by NIP typed with or without its spaces, dots and dashes."""
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        digits = normalise(query)
        if self.nip_field and digits.isdigit() and len(digits) >= 4:
            return queryset.filter(**{f"{self.nip_field}__startswith": digits})
        return super().search_queryset(queryset)

    sheet_has_year = False  # the report is of one year: the file name and the XLSX sheet name say which

    def get_filename(self):
        return f"{self.export_filename}-{self.year}" if self.sheet_has_year else self.export_filename

    def get_sheet_title(self) -> str:
        title = str(self.get_page_title())
        return sheet_name(f"{title} {self.year}" if self.sheet_has_year else title)

    def get_header_buttons(self):
        return [
            HeaderButton(_("Download XLSX"), url=self.xlsx_export_url, icon_name="download", priority=10),
            HeaderButton(_("Download CSV"), url=self.csv_export_url, icon_name="download", priority=20),
        ]

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file: building the page context would evaluate every row.
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)
