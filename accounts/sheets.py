"""The sheets of activation codes an office prints: an XLSX list, or a PDF of slips to cut and hand out."""

import io

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from accounts import codes
from lms import pdf
from lms.spreadsheets import WIB, neutralise_cell, wib_text
from people import nip as nip_rules

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"

# A4 in slips of 2 columns by 5 rows, with room at the edges for any printer.
COLUMNS, ROWS = 2, 5
MARGIN = 12 * mm
SLIP_WIDTH = (A4[0] - 2 * MARGIN) / COLUMNS
SLIP_HEIGHT = (A4[1] - 2 * MARGIN) / ROWS
PADDING = 5 * mm


def xlsx(rows, issued, *, activation_url: str) -> bytes:
    """One row per person with the code and where to use it (``rows``: user id, NIP, name, unit)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Activation codes"))
    sheet.append(
        [
            gettext("NIP"),
            gettext("Name"),
            gettext("Work unit"),
            gettext("Activation code"),
            gettext("Valid until"),
            gettext("Activate at"),
        ]
    )
    for (_user_id, nip, name, unit_name), item in zip(rows, issued, strict=True):
        sheet.append(
            [
                nip,
                neutralise_cell(name),
                neutralise_cell(unit_name),
                codes.printed(item.code),
                wib_text(item.expires_at),
                activation_url,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_slips(rows, issued, *, activation_url: str) -> bytes:
    """Ten slips per A4 page, cut along the dashed lines: who it is for, the code, until when, and
    what to do with it. The text is in the language of the request (Indonesian by default)."""
    pdf.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(gettext("Activation codes"))
    canvas.setAuthor(settings.WAGTAIL_SITE_NAME)
    heading = gettext("Account activation · %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
    instructions = gettext(
        "Open %(url)s, type your NIP and this code, then choose your own password. The code works once."
    ) % {"url": activation_url}
    per_page = COLUMNS * ROWS
    for index, ((_user_id, nip, name, unit_name), item) in enumerate(zip(rows, issued, strict=True)):
        if index and index % per_page == 0:
            canvas.showPage()
        if index % per_page == 0:
            _cut_lines(canvas)
        slot = index % per_page
        x = MARGIN + (slot % COLUMNS) * SLIP_WIDTH
        top = A4[1] - MARGIN - (slot // COLUMNS) * SLIP_HEIGHT
        _slip(
            canvas,
            x=x,
            top=top,
            heading=heading,
            name=name,
            nip=nip_rules.format_nip(nip),
            unit_name=unit_name,
            code=codes.printed(item.code),
            valid_until=gettext("Valid until %(when)s") % {"when": _wib_date(item.expires_at)},
            instructions=instructions,
        )
    canvas.save()
    return buffer.getvalue()


def _wib_date(moment) -> str:
    """``31 Desember 2026 pukul 23.59 WIB``: the date as people here write it, in the page's language."""
    local = timezone.localtime(moment, WIB)
    return gettext("%(date)s at %(time)s WIB") % {
        "date": formats.date_format(local, "j F Y"),
        "time": local.strftime("%H.%M"),
    }


def _cut_lines(canvas) -> None:
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.5)
    for column in range(COLUMNS + 1):
        x = MARGIN + column * SLIP_WIDTH
        canvas.line(x, MARGIN, x, A4[1] - MARGIN)
    for row in range(ROWS + 1):
        y = MARGIN + row * SLIP_HEIGHT
        canvas.line(MARGIN, y, A4[0] - MARGIN, y)
    canvas.restoreState()


def _slip(canvas, *, x, top, heading, name, nip, unit_name, code, valid_until, instructions) -> None:
    """One slip, top to bottom. Names and units wrap to two lines rather than lose their end (titles
    such as ``M.Kn.`` come last); only beyond two lines are they cut."""
    width = SLIP_WIDTH - 2 * PADDING
    left = x + PADDING
    y = top - PADDING - 6

    def lines(text, *, font, size, leading, most):
        nonlocal y
        canvas.setFont(font, size)
        wrapped = pdf.wrap(text, font=font, size=size, width=width) or [""]
        if len(wrapped) > most:
            wrapped = [*wrapped[: most - 1], pdf.fit(" ".join(wrapped[most - 1 :]), font=font, size=size, width=width)]
        for line in wrapped:
            canvas.drawString(left, y, line)
            y -= leading

    canvas.setFillGray(0.35)
    lines(heading, font=pdf.SANS, size=6.5, leading=11, most=1)
    canvas.setFillGray(0)
    lines(name, font=pdf.SANS_BOLD, size=10, leading=11.5, most=2)
    lines(f"NIP {nip}", font=pdf.SANS, size=8.5, leading=10, most=1)
    lines(unit_name, font=pdf.SANS, size=8, leading=9.5, most=2)
    y -= 14
    canvas.setFont(pdf.MONO_BOLD, 20)
    canvas.drawString(left, y, code)
    y -= 11
    lines(valid_until, font=pdf.SANS_BOLD, size=7.5, leading=10, most=1)
    lines(instructions, font=pdf.SANS, size=7, leading=8.5, most=3)
