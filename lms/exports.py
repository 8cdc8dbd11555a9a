"""CSV and XLSX exports of a report with flat memory, built on Wagtail's spreadsheet export.

Wagtail's ``SpreadsheetExportMixin`` iterates the whole queryset into its result cache and builds
the XLSX in a ``BytesIO``; at province scale that is hundreds of megabytes. Here rows come from the
database in chunks (``QuerySet.iterator``), the CSV streams as it is written, and the XLSX is written
by openpyxl's write-only mode into a temporary file on disk that is then streamed back.

Every export of the admin (the reports, H5P results and statements) goes through this mixin, so each
one writes formula-like text as text (``lms.spreadsheets``), times in WIB, and an XLSX sheet a
person can work with: a readable sheet name, column widths, the header row frozen and filterable.
"""

import datetime
import itertools
import re
import tempfile

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.functional import cached_property
from openpyxl.utils import get_column_letter
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

from lms.spreadsheets import SafeDictWriter, wib, wib_text
from people.models import UnitKerja

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Day first, as Indonesian readers write dates; 24-hour clock (Wagtail derives a format from the
# locale's "d-m-Y G.i" that Excel shows with the hour twice).
XLSX_DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
XLSX_DATE_FORMAT = "dd-mm-yyyy"

# Excel refuses a sheet name longer than 31 characters or holding any of these.
SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str) -> str:
    """``text`` as an Excel sheet name: forbidden characters dropped, and when too long cut at a word
    with an ellipsis rather than in the middle of one."""
    name = " ".join(_SHEET_NAME_FORBIDDEN.sub(" ", str(text)).split()).strip("'") or "Data"
    if len(name) <= SHEET_NAME_LIMIT:
        return name
    cut = name[: SHEET_NAME_LIMIT - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" -–—,.;") + "…"


def _cell_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


class StreamedSpreadsheetExportMixin(SpreadsheetExportMixin):
    chunk_size = 2000
    # Rows read before the XLSX is begun, to size its columns (openpyxl writes widths first).
    width_sample = 200
    min_width, max_width = 8, 60
    sheet_title = ""  # the sheet name; default: the page title

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        # Wagtail writes UTC (a string with "+00:00" in CSV, a UTC clock time in XLSX): a completion
        # at 00:30 WIB on 1 January would land in the previous year, and JP years depend on it.
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: wib_text,
            SpreadsheetExportMixin.FORMAT_XLSX: wib,
        },
    }

    # {export field: attribute holding the row's unit path}: the field is written as the unit's label
    # ("BKPSDM — Kab. Bungo"), from one query for every unit, not one per row.
    unit_label_fields: dict[str, str] = {}

    @cached_property
    def export_unit_labels(self) -> dict[str, str]:
        return UnitKerja.labels(UnitKerja.objects.values_list("path", "name").order_by())

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for field, path_attribute in self.unit_label_fields.items():
            path = getattr(item, path_attribute, None)
            if path:
                row[field] = self.export_unit_labels.get(path, row[field])
        return row

    def export_items(self, queryset):
        """The rows to write, fetched in chunks; views may wrap this to add computed columns."""
        if isinstance(queryset, QuerySet):
            return queryset.iterator(chunk_size=self.chunk_size)
        return iter(queryset)

    def get_sheet_title(self) -> str:
        title = self.sheet_title
        if not title:
            get_page_title = getattr(self, "get_page_title", None)
            title = (get_page_title() if get_page_title else "") or self.get_filename()
        return sheet_name(title)

    def stream_csv(self, queryset):
        writer = SafeDictWriter(Echo(), fieldnames=self.list_export)
        # A byte-order mark, so spreadsheet programs read names with accents as UTF-8.
        yield "\ufeff".encode() + writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in self.export_items(queryset):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=self.get_sheet_title())
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        rows = (self.to_row_dict(item) for item in self.export_items(queryset))
        sample = list(itertools.islice(rows, self.width_sample))

        widths = [_cell_width(heading) + 2 for heading in headings]
        for row in sample:
            for index, value in enumerate(row.values()):
                widths[index] = max(widths[index], _cell_width(value) + 1)
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = max(
                self.min_width, min(self.max_width, width)
            )
        worksheet.freeze_panes = "A2"

        bold = Font(bold=True)
        header = []
        for heading in headings:
            cell = WriteOnlyCell(worksheet, heading)
            cell.data_type = "s"  # a heading is text, whatever it starts with
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        count = 0
        for row in itertools.chain(sample, rows):
            worksheet.append(self.xlsx_cells(worksheet, row))
            count += 1
        last_column = get_column_letter(max(1, len(headings)))
        worksheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
        workbook.save(output)

    def xlsx_cells(self, worksheet, row_dict):
        """Wagtail's cells (formula-like text kept as text), dates the Indonesian way (day first)."""
        for cell in self.generate_xlsx_row(worksheet, row_dict, date_format=XLSX_DATETIME_FORMAT):
            if isinstance(cell.value, datetime.date) and not isinstance(cell.value, datetime.datetime):
                cell.number_format = XLSX_DATE_FORMAT
            yield cell

    def write_xlsx_response(self, queryset):
        output = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it after the download
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(output, as_attachment=True, content_type=XLSX_TYPE, filename=f"{self.get_filename()}.xlsx")

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response


def one_decimal(value):
    """A percentage or average as a number cell to one decimal place; empty when there is none (the
    CSV writer writes ``None`` as an empty cell, openpyxl as an empty cell too)."""
    return None if value is None else round(float(value), 1)
