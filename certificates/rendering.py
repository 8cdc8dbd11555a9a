"""The certificate PDF, drawn with reportlab from the certificate's snapshot (no system libraries),
with a QR code to its verification page and, when the template has one, over the designer's background
(an image drawn first, or a PDF page merged under ours with pypdf)."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader, PdfWriter
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from lms import pdf
from people import nip as nip_rules

INK = (0.08, 0.2, 0.16)


def verification_url(certificate, *, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("certificate_verify", kwargs={"code": certificate.verification_code})


def _date(iso: str | None) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "j F Y") if iso else "–"


def _grade(text: str | None) -> str:
    return formats.number_format(Decimal(text), 2) if text else ""


def render(certificate, *, base_url: str, background=None) -> bytes:
    """The PDF of ``certificate`` (Indonesian, whatever the reader's language). ``background``: the
    template's file field, or None."""
    pdf.register_fonts()
    data = certificate.snapshot
    size = landscape(A4) if data.get("orientation", "landscape") == "landscape" else A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    canvas.setTitle(f"Sertifikat {data['number']}")
    canvas.setAuthor(data["institution"])
    canvas.setSubject(data["course_title"])
    image_background = background if background and not background.name.lower().endswith(".pdf") else None
    with translation.override("id"):
        _front(canvas, data, size=size, url=verification_url(certificate, base_url=base_url), image=image_background)
        if data.get("outline_page") and data.get("modules"):
            canvas.showPage()
            _outline(canvas, data, size=size)
    canvas.save()
    if background and background.name.lower().endswith(".pdf"):
        return _over_pdf(buffer.getvalue(), background)
    return buffer.getvalue()


def _over_pdf(ours: bytes, background) -> bytes:
    with background.open("rb") as handle:
        design = PdfReader(io.BytesIO(handle.read()))
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(ours)).pages:
        base = writer.add_blank_page(width=page.mediabox.width, height=page.mediabox.height)
        base.merge_page(design.pages[0])
        base.merge_page(page)
    writer.add_metadata({"/Title": PdfReader(io.BytesIO(ours)).metadata.title or ""})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _centered(canvas, text, *, y, font, size, width, page_width):
    canvas.setFont(font, size)
    canvas.drawCentredString(page_width / 2, y, pdf.fit(text, font=font, size=size, width=width))


def _front(canvas, data, *, size, url, image) -> None:
    width, height = size
    margin = 18 * mm
    text_width = width - 2 * margin
    if image is not None:
        with image.open("rb") as handle:
            canvas.drawImage(ImageReader(io.BytesIO(handle.read())), 0, 0, width=width, height=height)
    else:
        canvas.setStrokeColorRGB(*INK)
        canvas.setLineWidth(2)
        canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
        canvas.setLineWidth(0.6)
        canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setFillColorRGB(*INK)
    y = height - 30 * mm
    _centered(canvas, data["institution"].upper(), y=y, font=pdf.SANS_BOLD, size=14, width=text_width, page_width=width)
    y -= 17 * mm
    _centered(canvas, "SERTIFIKAT", y=y, font=pdf.SANS_BOLD, size=30, width=text_width, page_width=width)
    y -= 8 * mm
    _centered(canvas, f"Nomor: {data['number']}", y=y, font=pdf.SANS, size=10.5, width=text_width, page_width=width)
    y -= 11 * mm
    canvas.setFillColorRGB(0, 0, 0)
    _centered(canvas, "diberikan kepada", y=y, font=pdf.SANS, size=11, width=text_width, page_width=width)
    y -= 10 * mm
    for line in pdf.wrap(data["name"], font=pdf.SANS_BOLD, size=20, width=text_width)[:2]:
        _centered(canvas, line, y=y, font=pdf.SANS_BOLD, size=20, width=text_width, page_width=width)
        y -= 8.5 * mm
    y -= 2 * mm
    birth = ", ".join(part for part in (data.get("birth_place"), _date(data.get("birth_date"))) if part and part != "–")
    facts = [
        ("NIP", nip_rules.format_nip(data["nip"]) if data.get("nip") else "–"),
        ("Tempat, tanggal lahir", birth or "–"),
        ("Pangkat/golongan", data.get("rank") or "–"),
        ("Jabatan", data.get("position") or "–"),
        ("Unit kerja / instansi", " · ".join(part for part in (data.get("unit"), data.get("instansi")) if part) or "–"),
    ]
    label_x = width / 2 - 70 * mm
    value_x = label_x + 45 * mm
    canvas.setFont(pdf.SANS, 10)
    for label, value in facts:
        canvas.drawString(label_x, y, label)
        canvas.drawString(value_x - 4 * mm, y, ":")
        canvas.drawString(value_x, y, pdf.fit(value, font=pdf.SANS, size=10, width=width - value_x - margin))
        y -= 5.6 * mm
    y -= 3 * mm
    result = "LULUS"
    if data.get("grade"):
        result += f" dengan nilai {_grade(data['grade'])} ({data['predikat']})"
    sentence = (
        f"telah mengikuti pelatihan {data['competency_kind'].split(' (')[0].lower()} \u201c{data['course_title']}\u201d "
        f"secara {data['training_mode'].split(' (')[0].lower()} yang diselenggarakan oleh {data['institution']} "
        f"pada tanggal {_date(data['started_on'])} sampai dengan {_date(data['completed_on'])} "
        f"sebanyak {data['jp']} jam pelajaran (JP), dan dinyatakan {result}."
    )
    canvas.setFont(pdf.SANS, 10.5)
    for line in pdf.wrap(sentence, font=pdf.SANS, size=10.5, width=text_width - 30 * mm)[:4]:
        canvas.drawCentredString(width / 2, y, line)
        y -= 5.4 * mm
    # The signature block, right; the QR code and how to verify, left.
    sign_x = width - margin - 75 * mm
    sign_y = 50 * mm
    canvas.setFont(pdf.SANS, 10)
    canvas.drawString(sign_x, sign_y + 22 * mm, f"{data['city']}, {_date(data['issued_on'])}")
    for index, line in enumerate(pdf.wrap(data["signer_position"], font=pdf.SANS, size=10, width=75 * mm)[:2]):
        canvas.drawString(sign_x, sign_y + 17 * mm - index * 4.6 * mm, line)
    canvas.setFont(pdf.SANS_BOLD, 10.5)
    canvas.drawString(
        sign_x, sign_y - 6 * mm, pdf.fit(data["signer_name"], font=pdf.SANS_BOLD, size=10.5, width=75 * mm)
    )
    if data.get("signer_nip"):
        canvas.setFont(pdf.SANS, 9.5)
        canvas.drawString(sign_x, sign_y - 11 * mm, f"NIP {nip_rules.format_nip(data['signer_nip'])}")
    qr_size = 30 * mm
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (right - left), 0, 0, qr_size / (top - bottom), 0, 0])
    drawing.add(widget)
    qr_x, qr_y = margin + 4 * mm, 22 * mm
    renderPDF.draw(drawing, canvas, qr_x, qr_y)
    canvas.setFont(pdf.SANS, 7)
    canvas.drawString(qr_x + qr_size + 3 * mm, qr_y + 20 * mm, "Keaslian sertifikat ini dapat diperiksa")
    canvas.drawString(qr_x + qr_size + 3 * mm, qr_y + 16.5 * mm, "dengan memindai kode QR atau membuka:")
    canvas.drawString(
        qr_x + qr_size + 3 * mm,
        qr_y + 13 * mm,
        pdf.fit(url, font=pdf.SANS, size=7, width=sign_x - qr_x - qr_size - 8 * mm),
    )


def _outline(canvas, data, *, size) -> None:
    width, height = size
    margin = 22 * mm
    y = height - 30 * mm
    canvas.setFillColorRGB(*INK)
    canvas.setFont(pdf.SANS_BOLD, 14)
    canvas.drawString(margin, y, "Materi Pelatihan")
    canvas.setFont(pdf.SANS, 10)
    y -= 6 * mm
    canvas.drawString(margin, y, pdf.fit(data["course_title"], font=pdf.SANS, size=10, width=width - 2 * margin))
    canvas.setFillColorRGB(0, 0, 0)
    y -= 10 * mm
    columns = (margin, margin + 12 * mm, width - margin - 55 * mm, width - margin - 25 * mm)
    canvas.setFont(pdf.SANS_BOLD, 9.5)
    for x, label in zip(columns, ("No.", "Modul", "Materi", "Menit"), strict=True):
        canvas.drawString(x, y, label)
    y -= 2 * mm
    canvas.line(margin, y, width - margin, y)
    y -= 5 * mm
    canvas.setFont(pdf.SANS, 9.5)
    for number, module in enumerate(data["modules"], start=1):
        if y < 30 * mm:
            break
        canvas.drawString(columns[0], y, str(number))
        canvas.drawString(
            columns[1], y, pdf.fit(module["title"], font=pdf.SANS, size=9.5, width=columns[2] - columns[1] - 4 * mm)
        )
        canvas.drawString(columns[2], y, str(module["lessons"]))
        canvas.drawString(columns[3], y, str(module["minutes"]))
        y -= 5.5 * mm
    y -= 2 * mm
    canvas.line(margin, y + 3 * mm, width - margin, y + 3 * mm)
    canvas.setFont(pdf.SANS_BOLD, 10)
    canvas.drawString(margin, y - 3 * mm, f"Jumlah: {data['jp']} jam pelajaran (JP)")
