"""The GIFT tokeniser's shared pieces: escapes, ``[format]`` markers, ``%weight%``, answer splitting and
numbers. The GIFT reader (quizzes.formats.gift) and each question type's GIFT part (quizzes.qtypes) use
them; this module imports neither, so the types can be read without a cycle."""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from quizzes.formats.text import to_plain
from quizzes.qtypes.base import parse_number

HUNDRED = Decimal("100")
# Escaped characters are swapped for private-use code points while parsing, then swapped back.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\~": "\ue001",
    "\\=": "\ue002",
    "\\#": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\:": "\ue006",
    "\\n": "\ue007",
}
_RESTORE = {
    "\ue000": "\\",
    "\ue001": "~",
    "\ue002": "=",
    "\ue003": "#",
    "\ue004": "{",
    "\ue005": "}",
    "\ue006": ":",
    "\ue007": "\n",
}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


def protect(text: str) -> str:
    for sequence, placeholder in _ESCAPES.items():
        text = text.replace(sequence, placeholder)
    return text


def restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def with_format(raw: str, default: str) -> tuple[str, str]:
    """(text, format) of a piece that may start with a [format] marker; escapes restored."""
    raw = raw.strip()
    marker = _FORMAT.match(raw)
    if marker:
        return restore(raw[marker.end() :]).strip(), marker.group(1).lower()
    return restore(raw).strip(), default


def plain(raw: str, default: str) -> str:
    text, text_format = with_format(raw, default)
    return to_plain(text, text_format)


def weight(answer: str) -> tuple[Decimal | None, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return None, answer
    return Decimal(match.group(1)), answer[match.end() :]


def split_answers(body: str, marker: str) -> list[str]:
    pieces = body.split(marker)
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    return pieces


def number(text: str) -> Decimal:
    value = parse_number(text)
    if value is None:
        raise ValueError(text)
    return value


def plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def empty_answer_check(options) -> None:
    for position, option in enumerate(options, start=1):
        if not option.text.strip():
            raise ValueError(
                _(
                    "Answer %(number)s is empty. A '#' starts the feedback and '=' or '~' a new answer: "
                    "write \\#, \\= or \\~ for the character itself."
                )
                % {"number": position}
            )
