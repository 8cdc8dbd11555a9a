"""CSV and XLSX exports of a report with flat memory, built on Wagtail's spreadsheet export.

Wagtail's ``SpreadsheetExportMixin`` iterates the whole queryset into its result cache and builds
the XLSX in a ``BytesIO``; at province scale that is hundreds of megabytes. Here rows come from the
database in chunks (``QuerySet.iterator``), the CSV streams as it is written, and the XLSX is written
by openpyxl's write-only mode into a temporary file on disk that is then streamed back.
"""

import csv
import tempfile

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from wagtail.admin.views.mixins import Echo, ExcelDateFormatter, SpreadsheetExportMixin

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StreamedSpreadsheetExportMixin(SpreadsheetExportMixin):
    chunk_size = 2000

    def export_items(self, queryset):
        """The rows to write, fetched in chunks; views may wrap this to add computed columns."""
        if isinstance(queryset, QuerySet):
            return queryset.iterator(chunk_size=self.chunk_size)
        return iter(queryset)

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        # A byte-order mark, so spreadsheet programs read names with accents as UTF-8.
        yield "\ufeff".encode() + writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in self.export_items(queryset):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=self.get_filename()[:31])
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in self.export_items(queryset):
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format))
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        output = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it after the download
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(output, as_attachment=True, content_type=XLSX_TYPE, filename=f"{self.get_filename()}.xlsx")

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response
