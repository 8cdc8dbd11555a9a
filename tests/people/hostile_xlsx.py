"""Hand-built XLSX packages that cost far more to read than their size suggests (roster bounds tests
and ``bench/roster_hostile.py``). Each is a valid workbook that openpyxl would open."""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>nip</t></is></c></row>'


def workbook(
    *,
    shared_strings: bytes | None = None,
    sheet_data: bytes = HEADER_ROW.encode(),
    sheets: int = 1,
    extra_parts: dict[str, bytes] | None = None,
    prefix: str = "",
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A workbook of ``sheets`` identical sheets holding ``sheet_data`` (the ``<sheetData>`` body),
    with ``shared_strings`` as the body of ``<sst>`` when given. ``prefix`` writes every SpreadsheetML
    element with that namespace prefix (``x:``), as some exporters do."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_SHEET}"/>' for i in range(1, sheets + 1)
        )
        strings_override = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared_strings is not None
            else ""
        )
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            f'main+xml"/>{overrides}{strings_override}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        names = "".join(f'<{p}sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {ns} xmlns:r="{REL}"><{p}sheets>{names}'
            f"</{p}sheets></{p}workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, sheets + 1)
        )
        if shared_strings is not None:
            rels += f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if "xl/styles.xml" in (extra_parts or {}):
            rels += f'<Relationship Id="rIdT" Type="{REL}/styles" Target="styles.xml"/>'
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{rels}</Relationships>',
        )
        if shared_strings is not None:
            archive.writestr(
                "xl/sharedStrings.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><{p}sst {ns}>'.encode()
                + shared_strings
                + f"</{p}sst>".encode(),
            )
        for i in range(1, sheets + 1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}><{p}sheetData>'.encode()
                + sheet_data
                + f"</{p}sheetData></{p}worksheet>".encode(),
            )
        for name, body in (extra_parts or {}).items():
            archive.writestr(name, body)
    return out.getvalue()


def many_shared_strings(count: int, *, prefix: str = "") -> bytes:
    """``count`` one-letter shared strings: 1,000,000 deflate to about 43 KB."""
    p = f"{prefix}:" if prefix else ""
    return workbook(shared_strings=f"<{p}si><{p}t>x</{p}t></{p}si>".encode() * count, prefix=prefix)


def many_cells(rows: int, cells_per_row: int) -> bytes:
    """A sheet of ``rows`` rows of ``cells_per_row`` numeric cells (a huge sheet XML)."""
    row = b"<row>" + b'<c t="n"><v>1</v></c>' * cells_per_row + b"</row>"
    return workbook(sheet_data=HEADER_ROW.encode() + row * (rows - 1))


def many_rows(rows: int) -> bytes:
    """``rows`` empty rows after the header (Excel writes such rows to keep a row format)."""
    return workbook(sheet_data=HEADER_ROW.encode() + b'<row s="1" customFormat="1"/>' * rows)


def many_sheets(sheets: int) -> bytes:
    return workbook(sheets=sheets)


def deflate_bomb(unpacked_bytes: int, *, part: str = "xl/styles.xml") -> bytes:
    """One part of ``unpacked_bytes`` of spaces (about 1,000 : 1 under deflate)."""
    body = (
        b'<?xml version="1.0"?><styleSheet xmlns="' + MAIN.encode() + b'">' + b" " * unpacked_bytes + b"</styleSheet>"
    )
    return workbook(extra_parts={part: body})
