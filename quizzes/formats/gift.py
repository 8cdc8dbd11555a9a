"""GIFT import (Moodle's plain-text question format): every question becomes a draft or a problem.

Supported: single and multiple choice (with %weights% and negative marks), true/false, short answer,
numerical (value:tolerance, min..max, several answers), matching, essay, missing-word questions, titles,
per-answer and general feedback, $CATEGORY lines, [html]/[plain]/[moodle]/[markdown] formats. Anything
else (cloze/embedded answers, descriptions) is reported, never guessed."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from quizzes import grading
from quizzes.authoring import OptionDraft, Problem, QuestionDraft, clean_html, plain_to_html

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
_TITLE = re.compile(r"^::(.*?)::", re.DOTALL)
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


def _protect(text: str) -> str:
    for sequence, placeholder in _ESCAPES.items():
        text = text.replace(sequence, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _split_blocks(content: str) -> list[str]:
    """Questions are separated by blank lines; // lines are comments."""
    blocks, current = [], []
    for line in content.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append("\n".join(current).strip())
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current).strip())
    return blocks


def _text_to_html(text: str, text_format: str) -> str:
    text = _restore(text).strip()
    if text_format == "html" or (text_format == "moodle" and re.search(r"<[a-zA-Z/][^>]*>", text)):
        return clean_html(text)
    return plain_to_html(text)


def _weight_and_rest(answer: str) -> tuple[Decimal | None, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return None, answer
    return Decimal(match.group(1)), answer[match.end() :]


def _feedback(answer: str) -> tuple[str, str]:
    text, _sep, feedback = answer.partition("#")
    return text, _restore(feedback).strip()


def _answers(body: str) -> list[tuple[str, str]]:
    """Split on = and ~ markers: [(marker, text), ...]."""
    parts = re.split(r"([=~])", body)
    answers = []
    for index in range(1, len(parts), 2):
        answers.append((parts[index], parts[index + 1]))
    return answers


def _number(text: str) -> Decimal:
    value = grading.parse_number(_restore(text))
    if value is None:
        raise ValueError(text)
    return value


def _numerical(body: str) -> list[OptionDraft]:
    body = body[1:].strip()  # drop the leading "#"
    pieces = [("=", body)] if not body.startswith("=") else _answers(body)
    options = []
    for _marker, raw in pieces:
        weight, rest = _weight_and_rest(raw.strip())
        value_text, feedback = _feedback(rest)
        value_text = value_text.strip()
        if ".." in value_text:
            low, high = (_number(part) for part in value_text.split("..", 1))
            value, tolerance = (low + high) / 2, abs(high - low) / 2
        elif ":" in value_text:
            value_part, tolerance_part = value_text.split(":", 1)
            value, tolerance = _number(value_part), abs(_number(tolerance_part))
        else:
            value, tolerance = _number(value_text), Decimal("0")
        options.append(
            OptionDraft(
                text=str(value.normalize()),
                credit=HUNDRED if weight is None else weight,
                feedback=feedback,
                tolerance=tolerance,
            )
        )
    return options


def parse_question(block: str, *, category_path: list[str]) -> QuestionDraft:
    """One GIFT question (already split out of the file) → a draft; raises ValueError(reason)."""
    text = _protect(block)
    name = ""
    title = _TITLE.match(text)
    if title:
        name = _restore(title.group(1)).strip()
        text = text[title.end() :].lstrip()
    text_format = "moodle"
    fmt = _FORMAT.match(text)
    if fmt:
        text_format = fmt.group(1).lower()
        text = text[fmt.end() :].lstrip()
    start = text.find("{")
    end = text.rfind("}")
    if start < 0 or end < start:
        raise ValueError(_("No answer block {…}: a description, not a question."))
    before, body, after = text[:start], text[start + 1 : end].strip(), text[end + 1 :].strip()
    question_text = before.strip() + (" _____ " + after if after else "")
    draft = QuestionDraft(
        qtype="", name=name, text=_text_to_html(question_text, text_format), category_path=list(category_path)
    )
    if text_format == "markdown":
        draft.warnings.append(_("Markdown was imported as plain text."))
    if "####" in body:
        body, _sep, general = body.partition("####")
        draft.general_feedback = _restore(general).strip()
        body = body.strip()
    if re.match(r"^\d+:[A-Z_]+:", body):
        raise ValueError(_("Embedded answers (cloze) are not supported."))

    if body == "":
        draft.qtype = "essay"
        return draft
    if body.startswith("#"):
        draft.qtype = "numerical"
        try:
            draft.options = _numerical(body)
        except (ValueError, InvalidOperation) as exc:
            raise ValueError(_("A numerical answer is not a number.")) from exc
        return draft
    if "=" in body and "->" in body:
        draft.qtype = "matching"
        for _marker, raw in _answers(body):
            prompt, _arrow, answer = raw.partition("->")
            if not _arrow:
                raise ValueError(_("A matching pair has no '->'."))
            draft.options.append(OptionDraft(text=_restore(prompt).strip(), match=_restore(answer).strip()))
        return draft
    head, _sep, rest = body.partition("#")
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE"):
        draft.qtype = "truefalse"
        draft.correct_true = head.strip().upper() in ("T", "TRUE")
        feedbacks = [_restore(piece).strip() for piece in rest.split("#")] if _sep else []
        wrong = feedbacks[0] if feedbacks else ""
        right = feedbacks[1] if len(feedbacks) > 1 else ""
        draft.true_feedback, draft.false_feedback = (right, wrong) if draft.correct_true else (wrong, right)
        return draft
    answers = _answers(body)
    if not answers or body.split("=")[0].split("~")[0].strip():
        raise ValueError(_("The answers must start with = or ~."))
    if "~" in body:
        draft.qtype = "single" if any(marker == "=" for marker, _raw in answers) else "multiple"
    else:
        draft.qtype = "shortanswer"
    for marker, raw in answers:
        weight, rest = _weight_and_rest(raw.strip())
        answer_text, feedback = _feedback(rest)
        if weight is None:
            weight = HUNDRED if marker == "=" else Decimal("0")
        draft.options.append(OptionDraft(text=_restore(answer_text).strip(), credit=weight, feedback=feedback))
    return draft


def parse(content: str) -> tuple[list[QuestionDraft], list[Problem]]:
    drafts, problems = [], []
    category_path: list[str] = []
    index = 0
    for block in _split_blocks(content.lstrip("\ufeff")):
        if block.startswith("$CATEGORY:"):
            path = block[len("$CATEGORY:") :].strip()
            category_path = moodle_category_path(path)
            continue
        index += 1
        try:
            drafts.append((index, parse_question(block, category_path=category_path)))
        except ValueError as exc:
            problems.append(Problem(index=index, name=_excerpt(block), reason=str(exc)))
    return drafts, problems


def moodle_category_path(path: str) -> list[str]:
    """ "$course$/top/Default for X/Pelayanan" → ["Default for X", "Pelayanan"] (context and "top" dropped)."""
    parts = [part.strip() for part in path.split("/") if part.strip()]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts


def _excerpt(block: str) -> str:
    title = _TITLE.match(block)
    if title:
        return title.group(1).strip()[:80]
    return " ".join(block.split())[:80]
