"""Shared pieces for the PDFs the platform makes (reportlab): the vendored DejaVu fonts, registered once."""

from functools import cache
from pathlib import Path

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts" / "dejavu"
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
MONO_BOLD = "DejaVuSansMono-Bold"


@cache
def register_fonts() -> None:
    """Register the fonts with reportlab (once per process). The standard PDF fonts cover Latin-1
    only; names here need more (``Rahmā``)."""
    for name in (SANS, SANS_BOLD, MONO_BOLD):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{name}.ttf")))


def fit(text: str, *, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` points in ``font`` at ``size``."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, *, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width)
