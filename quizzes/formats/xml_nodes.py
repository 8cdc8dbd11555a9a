"""Moodle XML's shared pieces for reading and writing one element: text children, format= attributes,
numbers and flags. The Moodle XML reader/writer (quizzes.formats.moodle_xml) and each question type's XML
part (quizzes.qtypes) use them; this module imports neither, so the types can be read without a cycle."""

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import SubElement  # noqa: S405 - building, not parsing

from quizzes.formats.text import to_html, to_plain, xml_safe

HUNDRED = Decimal("100")
FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown", "wiki_like"}


def text(element, path: str = "text", default: str = "") -> str:
    """The text of a child, trimmed as Moodle trims it (``import_text``/``getpath``)."""
    if element is None:
        return default
    found = element.find(path)
    return (found.text or "").strip() if found is not None else default


def text_format(element, default: str) -> str:
    value = (element.get("format") or "").strip() if element is not None else ""
    return value if value in FORMATS else default


def formatted(element, default: str = "html") -> tuple[str, bool]:
    """(sanitised HTML, had files) of an element with format= and a <text> child."""
    if element is None:
        return "", False
    value = text(element)
    return to_html(value, text_format(element, default)), has_files(element)


def has_files(element) -> bool:
    """Whether an element carries embedded files, which are not imported."""
    return element.find("file") is not None or "@@PLUGINFILE@@" in text(element)


def plain(element, default: str) -> str:
    """An answer, feedback or other text the bank holds as plain text: literal when the file says
    plain_text, the visible text when it is HTML."""
    if element is None:
        return ""
    return to_plain(text(element), text_format(element, default))


def decimal(value, default="0") -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, AttributeError):
        return Decimal(default)
    return number if number.is_finite() else Decimal(default)


def boolean(value, default=False) -> bool:
    if value is None or not str(value).strip():
        return default
    return str(value).strip().lower() in ("1", "true", "yes")


def add_text(parent, tag: str, value: str, *, fmt: str | None = "plain_text", **attrs):
    element = SubElement(parent, tag, **({"format": fmt} if fmt else {}), **attrs)
    SubElement(element, "text").text = xml_safe(value)
    return element


def flag(value: bool) -> str:
    return "true" if value else "false"


def number(value) -> str:
    return format(Decimal(value).normalize(), "f")
