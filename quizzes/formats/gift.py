"""GIFT import (Moodle's plain-text question format): every question becomes a draft or a problem.

Follows Moodle's own parser (question/format/gift/format.php): questions are separated by blank lines;
``//`` lines are comments, and ``// [tag:…]`` in them adds a tag; ``$CATEGORY:`` switches the category
(``//`` in a name is a literal ``/``); ``::name::``; the answer block is the first ``{…}``; the type is
decided in Moodle's order (``{}`` essay, ``{#…}`` numerical, any ``~`` choice, ``=`` with ``->`` matching,
T/TRUE/F/FALSE, else short answer); ``%weight%``, ``#feedback``, ``####general feedback``; numerical
``value:tolerance``, ``min..max`` and ``~#feedback for any other answer``; the escapes ``\\~ \\= \\# \\{ \\}
\\: \\\\ \\n``; the markers ``[html]``, ``[moodle]``, ``[plain]``, ``[markdown]`` on the question text, every
answer, matching item and feedback (see quizzes.formats.text). Descriptions and cloze are reported, never
guessed, and so is anything Moodle would import as garbage (an unescaped brace, an empty answer)."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from quizzes import grading
from quizzes.authoring import OptionDraft, Problem, QuestionDraft
from quizzes.formats.text import default_name, to_html, to_plain

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
_TAGS = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass
class Block:
    """One question of the file: its text (comments removed), its comments and the line it starts on."""

    text: str
    comments: str
    line: int


def _protect(text: str) -> str:
    for sequence, placeholder in _ESCAPES.items():
        text = text.replace(sequence, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def split_blocks(content: str) -> list[Block]:
    """Questions are separated by blank lines; ``//`` lines are comments of the question they sit in."""
    blocks: list[Block] = []
    lines: list[str] = []
    comments: list[str] = []
    start = 0

    def close():
        text = "\n".join(lines).strip()
        if text:
            blocks.append(Block(text=text, comments="\n".join(comments), line=start))

    for number, line in enumerate(content.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            close()
            lines, comments, start = [], [], 0
            continue
        if not start:
            start = number
        if stripped.startswith("//"):
            comments.append(stripped)
        else:
            lines.append(line)
    close()
    return blocks


def _with_format(raw: str, default: str) -> tuple[str, str]:
    """(text, format) of a piece that may start with a [format] marker; escapes restored."""
    raw = raw.strip()
    marker = _FORMAT.match(raw)
    if marker:
        return _restore(raw[marker.end() :]).strip(), marker.group(1).lower()
    return _restore(raw).strip(), default


def _plain(raw: str, default: str) -> str:
    text, text_format = _with_format(raw, default)
    return to_plain(text, text_format)


def _weight(answer: str) -> tuple[Decimal | None, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return None, answer
    return Decimal(match.group(1)), answer[match.end() :]


def _split_answers(body: str, marker: str) -> list[str]:
    pieces = body.split(marker)
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    return pieces


def _number(text: str) -> Decimal:
    value = grading.parse_number(text)
    if value is None:
        raise ValueError(text)
    return value


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _numerical(body: str, fmt: str) -> list[OptionDraft]:
    body = body[1:]  # the leading "#"
    wrong = ""
    if "~" in body:
        body, wrong = body[: body.index("~")], body[body.index("~") + 1 :]
    options = []
    for raw in _split_answers(body, "="):
        weight, rest = _weight(raw.strip())
        value_part, _sep, feedback = rest.partition("#")
        value_text = _restore(value_part).strip()
        try:
            if value_text == "*":
                value, tolerance = None, Decimal("0")
            elif value_text.find("..") > 0:
                low, high = (_number(part) for part in value_text.split("..", 1))
                value, tolerance = (low + high) / 2, abs(high - low) / 2
            elif value_text.find(":") > 0:
                value_part, tolerance_part = value_text.split(":", 1)
                value, tolerance = _number(value_part), abs(_number(tolerance_part))
            else:
                value, tolerance = _number(value_text), Decimal("0")
        except (ValueError, InvalidOperation) as exc:
            raise ValueError(
                _("'%(value)s' is not a number (write value, value:tolerance or min..max).") % {"value": value_text}
            ) from exc
        options.append(
            OptionDraft(
                text="*" if value is None else _plain_number(value),
                credit=HUNDRED if weight is None else weight,
                feedback=_plain(feedback, fmt),
                tolerance=tolerance,
            )
        )
    if not options:
        raise ValueError(_("A numerical question needs at least one answer."))
    if wrong:
        _unused, _sep, feedback = wrong.partition("#")
        options.append(OptionDraft(text="*", credit=Decimal("0"), feedback=_plain(feedback, fmt)))
    return options


def _choice_options(body: str, fmt: str) -> list[OptionDraft]:
    options = []
    pieces = body.replace("=", "~=").split("~")
    if pieces[0].strip():
        raise ValueError(
            _("The answers must start with = or ~ (text before the first answer: '%(text)s').")
            % {"text": _restore(pieces[0]).strip()[:40]}
        )
    for raw in pieces[1:]:
        raw = raw.strip()
        if raw.startswith("="):
            weight, rest = _weight(raw[1:].strip())
            weight = HUNDRED if weight is None else weight
        else:
            weight, rest = _weight(raw)
            weight = Decimal("0") if weight is None else weight
        answer, _sep, feedback = rest.partition("#")
        options.append(OptionDraft(text=_plain(answer, fmt), credit=weight, feedback=_plain(feedback, fmt)))
    return options


def _empty_answer_check(options: list[OptionDraft]) -> None:
    for number, option in enumerate(options, start=1):
        if not option.text.strip():
            raise ValueError(
                _(
                    "Answer %(number)s is empty. A '#' starts the feedback and '=' or '~' a new answer: "
                    "write \\#, \\= or \\~ for the character itself."
                )
                % {"number": number}
            )


def _answer_block(text: str) -> tuple[int, int]:
    start = text.find("{")
    end = text.find("}")
    if start < 0 and end < 0:
        raise ValueError(_("No answer block {…}: a description, not a question (a blank line ends a question)."))
    if start >= 0 and end < 0:
        raise ValueError(_("The answer block '{' is not closed with '}' (a blank line ends a question)."))
    if start < 0 or end < start:
        raise ValueError(_("A '}' comes before any '{': write \\} for the character itself."))
    if "{" in text[start + 1 : end] or "{" in text[end + 1 :] or "}" in text[end + 1 :]:
        raise ValueError(
            _("More than one '{' or '}': only one answer block is allowed; write \\{ and \\} for the characters.")
        )
    return start, end


def parse_question(block: str, *, category_path: list[str], comments: str = "") -> QuestionDraft:
    """One GIFT question (already split out of the file) → a draft; raises ValueError(reason)."""
    text = _protect(block.strip())
    name = ""
    if text.startswith("::"):
        finish = text.find("::", 2)
        if finish >= 0:
            name = " ".join(_restore(text[2:finish]).split())
            text = text[finish + 2 :].strip()
        else:
            text = text[2:]
    start, end = _answer_block(text)
    body = text[start + 1 : end].strip()
    question_raw = text[:start] + ("" if not text[end + 1 :].strip() else "_____" + text[end + 1 :])
    question_text, fmt = _with_format(question_raw, "moodle")
    general_feedback = ""
    if "####" in body:
        separator = body.rindex("####")
        general_feedback = _plain(body[separator + 4 :], fmt)
        body = body[:separator].strip()
    if re.match(r"^\d+:[A-Z_]+:", body):
        raise ValueError(_("Embedded answers (cloze) are not supported."))
    html = to_html(question_text, fmt)
    draft = QuestionDraft(
        qtype="",
        name=name or default_name(html),
        text=html,
        general_feedback=general_feedback,
        category_path=list(category_path),
        tags=_tags(comments),
    )

    if body == "":
        draft.qtype = "essay"
    elif body.startswith("#"):
        draft.qtype = "numerical"
        draft.options = _numerical(body, fmt)
    elif "~" in body:
        draft.qtype = "single" if "=" in body else "multiple"
        draft.options = _choice_options(body, fmt)
        _empty_answer_check(draft.options)
    elif "=" in body and "->" in body:
        draft.qtype = "matching"
        for raw in _split_answers(body, "="):
            if "->" not in raw:
                raise ValueError(_("A matching pair has no '->': '%(text)s'.") % {"text": _restore(raw).strip()[:40]})
            prompt, _arrow, answer = raw.partition("->")
            draft.options.append(OptionDraft(text=_plain(prompt, fmt), match=_restore(answer).strip()))
    elif body.partition("#")[0].strip().upper() in _TRUE_FALSE:
        draft.qtype = "truefalse"
        head, *feedbacks = body.split("#", 2)
        draft.correct_true = _TRUE_FALSE[head.strip().upper()]
        wrong = _plain(feedbacks[0], fmt) if feedbacks else ""
        right = _plain(feedbacks[1], fmt) if len(feedbacks) > 1 else ""
        draft.true_feedback, draft.false_feedback = (right, wrong) if draft.correct_true else (wrong, right)
    else:
        draft.qtype = "shortanswer"
        for raw in _split_answers(body, "="):
            weight, rest = _weight(raw.strip())
            answer, _sep, feedback = rest.partition("#")
            draft.options.append(
                OptionDraft(
                    text=_with_format(answer, fmt)[0],
                    credit=HUNDRED if weight is None else weight,
                    feedback=_plain(feedback, fmt),
                )
            )
        _empty_answer_check(draft.options)
    if fmt == "markdown":
        draft.warnings.append(_("Markdown was converted to formatted text (bold, italic, code, links, lists)."))
    return draft


def _tags(comments: str) -> list[str]:
    tags = []
    for raw in _TAGS.findall(comments):
        tag = " ".join(raw.replace("\\]", "]").split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def parse(content: str) -> tuple[list[tuple[int, QuestionDraft]], list[Problem]]:
    """The whole file → ``([(question number, draft)], [problem])``; a broken question never hides the others."""
    content = content.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    drafts, problems = [], []
    category_path: list[str] = []
    index = 0
    for block in split_blocks(content):
        if block.text.startswith("$CATEGORY:"):
            first, _newline, rest = block.text.partition("\n")
            category_path = moodle_category_path(first[len("$CATEGORY:") :].strip())
            if not rest.strip():
                continue
            # No blank line after the category line: the rest is the first question of the category.
            block = Block(text=rest.strip(), comments=block.comments, line=block.line + 1)
        index += 1
        try:
            draft = parse_question(block.text, category_path=category_path, comments=block.comments)
        except ValueError as exc:
            problems.append(Problem(index=index, name=_excerpt(block.text), reason=str(exc), line=block.line))
            continue
        draft.source_line = block.line
        drafts.append((index, draft))
    return drafts, problems


def moodle_category_path(path: str) -> list[str]:
    """ "$course$/top/Default for X/A//B" → ["Default for X", "A/B"]: context and "top" dropped, and "//"
    is a literal slash (Moodle's ``split_category_path``)."""
    parts = [part.replace("//", "/").strip() for part in re.split(r"(?<!/)/(?!/)", path)]
    parts = [part for part in parts if part]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts


def assemble_category_path(names: list[str]) -> str:
    """The reverse of moodle_category_path, as Moodle writes it: "/" in a name doubled, and a name that
    starts or ends with "/" padded with a space so the doubled slash is not read as a separator."""
    escaped = []
    for name in names:
        name = name.replace("/", "//")
        if name.startswith("/"):
            name = " " + name
        if name.endswith("/"):
            name = name + " "
        escaped.append(name)
    return "/".join(escaped)


def _excerpt(block: str) -> str:
    """The question's name, or the start of its text, to name it in the report."""
    protected = _protect(block)
    finish = protected.find("::", 2)
    if protected.startswith("::") and finish > 0:
        return " ".join(_restore(protected[2:finish]).split())[:80]
    return " ".join(_restore(protected).split())[:80]
