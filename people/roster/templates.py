"""The roster templates an admin downloads (CSV, XLSX with an instructions sheet) and their instructions."""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lms.spreadsheets import SafeCSVWriter
from people.ranks import PANGKAT_BY_GOLONGAN, PPPK_GRADES, EmploymentType, JabatanType
from people.roster import limits
from people.roster.columns import COLUMN_NAMES, COLUMNS, TEXT_COLUMNS, megabytes


def template_csv() -> bytes:
    """A CSV template: the header row and one example row, UTF-8 with a BOM so Excel reads it right."""
    buffer = io.StringIO(newline="")
    writer = SafeCSVWriter(buffer)
    writer.writerow(COLUMN_NAMES)
    writer.writerow([column.example for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """An XLSX template: a data sheet (headings, an example row, drop-down lists, text columns kept
    as text) and an instructions sheet describing every column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ASN"
    sheet.append(COLUMN_NAMES)
    example = []
    for column in COLUMNS:
        example.append(date(1986, 9, 26) if column.name == "tanggal_lahir" else column.example)
    sheet.append(example)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[letter].width = max(14, len(column.example) + 2, len(column.name) + 4)
        if column.name in TEXT_COLUMNS:
            # A column style: whatever is typed or pasted below stays text (all 18 digits, leading zeros).
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
        if column.name == "tanggal_lahir":
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    lists = {
        "jenis_kelamin": ["L", "P"],
        "jenis_kepegawaian": list(EmploymentType.values),
        "jenis_jabatan": list(JabatanType.values),
    }
    for name, choices in lists.items():
        letter = get_column_letter(COLUMN_NAMES.index(name) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}10001")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("How to fill in the roster")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in instructions():
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS:
        guide.append([column.name, _("yes") if column.required else _("no"), str(column.description), column.example])
    guide.append([])
    guide.append([_("Golongan/ruang (PNS)"), ", ".join(PANGKAT_BY_GOLONGAN)])
    guide.append([_("PPPK grades"), ", ".join(PPPK_GRADES)])
    guide.append([_("Position types"), ", ".join(JabatanType.values)])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def instructions() -> list[str]:
    return [
        _("Fill one row per ASN on the ASN sheet and delete the example row."),
        _("Row 1 holds the column headings; keep them as they are (upper or lower case does not matter)."),
        _("Keep the NIP columns formatted as Text so Excel keeps all 18 digits."),
        _(
            "Every row is checked first: if any row has an error nothing is imported, and every error is listed "
            "with its row and column."
        ),
        _("Importing the same file again updates people by NIP; it never creates duplicates."),
        _("An empty optional cell (tempat_lahir, nip_atasan, email, telepon) keeps the value already stored."),
        _("At most %(rows)s rows and %(size)s MB per file.")
        % {"rows": f"{limits.MAX_ROWS:,}".replace(",", "."), "size": megabytes(limits.MAX_FILE_BYTES)},
    ]
